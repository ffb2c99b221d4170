/**
 * The chart expression language the engine evaluates in hypercube measures, sort expressions and
 * `Evaluate`: numbers, 'texts', field references (`Name`, `[Name with spaces]`, `"Name"`), the
 * aggregations Sum, Count, Avg, Min, Max and Only (with `DISTINCT`), unary minus, + - * / and
 * parentheses. Separate from the load script's expressions, which are evaluated row by row.
 */

export type Aggregation = 'sum' | 'count' | 'avg' | 'min' | 'max' | 'only';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'aggregate'; readonly fn: Aggregation; readonly distinct: boolean; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'negate'; readonly arg: Expr };

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const AGGREGATIONS = new Set<string>(['sum', 'count', 'avg', 'min', 'max', 'only']);

type Token =
  | { type: 'number'; value: number }
  | { type: 'text'; value: string }
  | { type: 'name'; value: string; quoted: boolean }
  | { type: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at++;
    } else if (/[0-9.]/.test(char)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(at));
      if (!match) throw new ExpressionError(`Unexpected '${char}' at ${at + 1}`);
      tokens.push({ type: 'number', value: Number(match[0]) });
      at += match[0].length;
    } else if (char === "'") {
      const end = closing(source, at, "'");
      tokens.push({ type: 'text', value: source.slice(at + 1, end).replace(/''/g, "'") });
      at = end + 1;
    } else if (char === '[' || char === '"') {
      const end = closing(source, at, char === '[' ? ']' : '"');
      tokens.push({ type: 'name', value: source.slice(at + 1, end), quoted: true });
      at = end + 1;
    } else if (/[A-Za-z_$%#@\u00c0-\uffff]/.test(char)) {
      const match = /^[A-Za-z_$%#@\u00c0-\uffff][\w.$%#@\u00c0-\uffff]*/.exec(source.slice(at))!;
      tokens.push({ type: 'name', value: match[0], quoted: false });
      at += match[0].length;
    } else if ('+-*/(),'.includes(char)) {
      tokens.push({ type: 'op', value: char });
      at++;
    } else {
      throw new ExpressionError(`Unexpected '${char}' at ${at + 1}`);
    }
  }
  return tokens;
}

function closing(source: string, start: number, quote: string): number {
  let at = start + 1;
  for (;;) {
    const end = source.indexOf(quote, at);
    if (end < 0) throw new ExpressionError(`Missing ${quote} for the one at ${start + 1}`);
    if (quote === "'" && source[end + 1] === "'") {
      at = end + 2;
      continue;
    }
    return end;
  }
}

/** Parses an expression; a leading `=` (as chart properties write them) is allowed. */
export function parseExpression(source: string): Expr {
  const text = source.trim().replace(/^=/, '');
  if (text.trim() === '') throw new ExpressionError('Empty expression');
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (value: string) => {
    const token = peek();
    return token?.type === 'op' && token.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`Expected '${value}'`);
    at++;
  };

  const additive = (): Expr => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[at++] as { value: '+' | '-' }).value;
      left = { kind: 'binary', op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[at++] as { value: '*' | '/' }).value;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      at++;
      return { kind: 'negate', arg: unary() };
    }
    if (isOp('+')) {
      at++;
      return unary();
    }
    return primary();
  };
  const primary = (): Expr => {
    const token = tokens[at++];
    if (!token) throw new ExpressionError('Unexpected end of expression');
    if (token.type === 'number') return { kind: 'number', value: token.value };
    if (token.type === 'text') return { kind: 'text', value: token.value };
    if (token.type === 'op') {
      if (token.value !== '(') throw new ExpressionError(`Unexpected '${token.value}'`);
      const inner = additive();
      expect(')');
      return inner;
    }
    if (!token.quoted && isOp('(')) {
      const fn = token.value.toLowerCase();
      if (!AGGREGATIONS.has(fn)) throw new ExpressionError(`Unknown function ${token.value}`);
      at++;
      const next = peek();
      const distinct = next?.type === 'name' && !next.quoted && next.value.toUpperCase() === 'DISTINCT';
      if (distinct) at++;
      const arg = additive();
      expect(')');
      if (containsAggregate(arg)) throw new ExpressionError(`Nested aggregation in ${token.value}`);
      return { kind: 'aggregate', fn: fn as Aggregation, distinct, arg };
    }
    return { kind: 'field', name: token.value };
  };

  const expression = additive();
  if (at < tokens.length) throw new ExpressionError(`Unexpected '${String(tokens[at]!.value)}'`);
  return expression;
}

export function containsAggregate(expression: Expr): boolean {
  switch (expression.kind) {
    case 'aggregate':
      return true;
    case 'binary':
      return containsAggregate(expression.left) || containsAggregate(expression.right);
    case 'negate':
      return containsAggregate(expression.arg);
    default:
      return false;
  }
}

/** The field names an expression reads. */
export function fieldsOf(expression: Expr, into = new Set<string>()): Set<string> {
  if (expression.kind === 'field') into.add(expression.name);
  else if (expression.kind === 'aggregate' || expression.kind === 'negate') fieldsOf(expression.arg, into);
  else if (expression.kind === 'binary') {
    fieldsOf(expression.left, into);
    fieldsOf(expression.right, into);
  }
  return into;
}

/**
 * A chart expression with its field references outside aggregations made explicit: a bare field in a
 * measure means the field's only value in the row's context, as `Only(field)`.
 */
export function withImplicitOnly(expression: Expr): Expr {
  switch (expression.kind) {
    case 'field':
      return { kind: 'aggregate', fn: 'only', distinct: false, arg: expression };
    case 'binary':
      return { ...expression, left: withImplicitOnly(expression.left), right: withImplicitOnly(expression.right) };
    case 'negate':
      return { kind: 'negate', arg: withImplicitOnly(expression.arg) };
    default:
      return expression;
  }
}

/** The aggregations of an expression, in order of appearance. */
export function aggregatesOf(expression: Expr, into: Extract<Expr, { kind: 'aggregate' }>[] = []) {
  if (expression.kind === 'aggregate') into.push(expression);
  else if (expression.kind === 'negate') aggregatesOf(expression.arg, into);
  else if (expression.kind === 'binary') {
    aggregatesOf(expression.left, into);
    aggregatesOf(expression.right, into);
  }
  return into;
}

/** A value an expression yields: a number, a text, or null. */
export type Value = number | string | null;

/** Evaluates an expression whose aggregations are already computed (`aggregate(node)`). */
export function evaluate(
  expression: Expr,
  aggregate: (node: Extract<Expr, { kind: 'aggregate' }>) => Value,
  field?: (name: string) => Value,
): Value {
  switch (expression.kind) {
    case 'number':
    case 'text':
      return expression.value;
    case 'field':
      return field ? field(expression.name) : null;
    case 'aggregate':
      return aggregate(expression);
    case 'negate': {
      const value = toNumber(evaluate(expression.arg, aggregate, field));
      return value === null ? null : -value;
    }
    case 'binary': {
      const left = toNumber(evaluate(expression.left, aggregate, field));
      const right = toNumber(evaluate(expression.right, aggregate, field));
      if (left === null || right === null) return null;
      switch (expression.op) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return right === 0 ? null : left / right;
      }
    }
  }
}

/** The number of a value (a text that reads as a number counts); null when it has none. */
export function toNumber(value: Value): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  const trimmed = value.trim();
  const number = trimmed === '' ? Number.NaN : Number(trimmed);
  return Number.isNaN(number) ? null : number;
}
