/**
 * Script expressions: parsed from a statement's tokens and compiled to closures over a row, so a
 * LOAD evaluates each expression without walking a tree per row. Precedence, lowest first:
 * OR/XOR, AND, NOT, comparisons (= <> < > <= >= LIKE), &, + -, * /, unary minus.
 */
import type { Cell } from '../table.js';
import { StatementError } from './errors.js';
import { FUNCTIONS, type FunctionScope } from './functions.js';
import { unexpected, type Lexer } from './lexer.js';
import { bool, numberText, toNumber, toText, truthy } from './values.js';

export type Expression =
  | { readonly kind: 'literal'; readonly value: Cell }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Expression }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[] };

/** Per-row counters: `RecNo()` counts input records, `RowNo()` rows kept. */
export interface RowState {
  recNo: number;
  rowNo: number;
}

export type Compiled = (row: readonly Cell[], state: RowState) => Cell;

// ---- parsing -----------------------------------------------------------------------------------

export function parseExpression(lexer: Lexer): Expression {
  return parseOr(lexer);
}

function parseOr(lexer: Lexer): Expression {
  let left = parseAnd(lexer);
  for (;;) {
    const op = lexer.isWord('or') ? 'or' : lexer.isWord('xor') ? 'xor' : undefined;
    if (!op) return left;
    lexer.next();
    left = { kind: 'binary', op, left, right: parseAnd(lexer) };
  }
}

function parseAnd(lexer: Lexer): Expression {
  let left = parseNot(lexer);
  while (lexer.acceptWord('and')) left = { kind: 'binary', op: 'and', left, right: parseNot(lexer) };
  return left;
}

function parseNot(lexer: Lexer): Expression {
  if (lexer.acceptWord('not')) return { kind: 'unary', op: 'not', arg: parseNot(lexer) };
  return parseComparison(lexer);
}

const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=']);

function parseComparison(lexer: Lexer): Expression {
  let left = parseConcat(lexer);
  for (;;) {
    const token = lexer.peek();
    let op: string | undefined;
    if (token.kind === 'op' && COMPARISONS.has(token.value)) op = token.value;
    else if (lexer.isWord('like')) op = 'like';
    if (!op) return left;
    lexer.next();
    left = { kind: 'binary', op, left, right: parseConcat(lexer) };
  }
}

function parseConcat(lexer: Lexer): Expression {
  let left = parseAdditive(lexer);
  while (lexer.acceptOp('&')) left = { kind: 'binary', op: '&', left, right: parseAdditive(lexer) };
  return left;
}

function parseAdditive(lexer: Lexer): Expression {
  let left = parseMultiplicative(lexer);
  for (;;) {
    const op = lexer.acceptOp('+') ? '+' : lexer.acceptOp('-') ? '-' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseMultiplicative(lexer) };
  }
}

function parseMultiplicative(lexer: Lexer): Expression {
  let left = parseUnary(lexer);
  for (;;) {
    const op = lexer.acceptOp('*') ? '*' : lexer.acceptOp('/') ? '/' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseUnary(lexer) };
  }
}

function parseUnary(lexer: Lexer): Expression {
  if (lexer.acceptOp('-')) return { kind: 'unary', op: '-', arg: parseUnary(lexer) };
  if (lexer.acceptOp('+')) return parseUnary(lexer);
  return parsePrimary(lexer);
}

function parsePrimary(lexer: Lexer): Expression {
  const token = lexer.next();
  switch (token.kind) {
    case 'number':
      return { kind: 'literal', value: Number(token.value) };
    case 'string':
      return { kind: 'literal', value: token.value };
    case 'name':
      return { kind: 'field', name: token.value };
    case 'word': {
      if (lexer.acceptOp('(')) {
        const name = token.value.toLowerCase();
        const args: Expression[] = [];
        if (!lexer.acceptOp(')')) {
          do args.push(parseExpression(lexer));
          while (lexer.acceptOp(','));
          lexer.expectOp(')');
        }
        return { kind: 'call', name, args };
      }
      return { kind: 'field', name: token.value };
    }
    case 'op':
      if (token.value === '(') {
        const inner = parseExpression(lexer);
        lexer.expectOp(')');
        return inner;
      }
      throw unexpected(token);
    default:
      throw unexpected(token);
  }
}

/** The fields an expression reads. */
export function fieldsIn(expression: Expression, into: Set<string> = new Set()): Set<string> {
  switch (expression.kind) {
    case 'field':
      into.add(expression.name);
      break;
    case 'unary':
      fieldsIn(expression.arg, into);
      break;
    case 'binary':
      fieldsIn(expression.left, into);
      fieldsIn(expression.right, into);
      break;
    case 'call':
      for (const arg of expression.args) fieldsIn(arg, into);
      break;
    default:
      break;
  }
  return into;
}

// ---- compiling ---------------------------------------------------------------------------------

/** Compiles against the input's field names; an unknown field or function fails here, before any row. */
export function compile(
  expression: Expression,
  fieldIndex: (name: string) => number | undefined,
  scope: FunctionScope,
): Compiled {
  switch (expression.kind) {
    case 'literal': {
      const value = expression.value;
      return () => value;
    }
    case 'field': {
      const index = fieldIndex(expression.name);
      if (index === undefined) throw new StatementError(`Field '${expression.name}' not found`, 'FIELD_NOT_FOUND');
      return (row) => row[index] ?? null;
    }
    case 'unary': {
      const arg = compile(expression.arg, fieldIndex, scope);
      if (expression.op === 'not') return (row, state) => bool(!truthy(arg(row, state)));
      return (row, state) => arithmetic(-toNumber(arg(row, state)));
    }
    case 'binary':
      return compileBinary(
        expression.op,
        compile(expression.left, fieldIndex, scope),
        compile(expression.right, fieldIndex, scope),
      );
    case 'call':
      return compileCall(expression.name, expression.args, fieldIndex, scope);
  }
}

function compileCall(
  name: string,
  argExpressions: readonly Expression[],
  fieldIndex: (name: string) => number | undefined,
  scope: FunctionScope,
): Compiled {
  if (name === 'recno' || name === 'rowno') {
    if (argExpressions.length > 0) throw new StatementError(`${name}() takes no arguments`, 'SYNTAX_ERROR');
    return name === 'recno' ? (_row, state) => state.recNo : (_row, state) => state.rowNo;
  }
  const fn = FUNCTIONS[name];
  if (!fn) throw new StatementError(`Unknown function: ${name}`, 'SYNTAX_ERROR');
  if (argExpressions.length < fn.min || argExpressions.length > fn.max) {
    throw new StatementError(`Wrong number of arguments to ${name}()`, 'SYNTAX_ERROR');
  }
  const args = argExpressions.map((arg) => compile(arg, fieldIndex, scope));
  if (name === 'if') {
    const [test, then, otherwise] = args as [Compiled, Compiled, Compiled | undefined];
    return (row, state) => (truthy(test(row, state)) ? then(row, state) : otherwise ? otherwise(row, state) : null);
  }
  return (row, state) =>
    fn.call(
      args.map((arg) => arg(row, state)),
      scope,
    );
}

const arithmetic = (n: number): Cell => (Number.isFinite(n) ? n : null);

function compare(a: Cell, b: Cell): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  const s = toText(a);
  const t = toText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** `LIKE` with `*` (any text) and `?` (one character), case-insensitive. */
function like(value: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'is').test(value);
}

function compileBinary(op: string, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case '+':
      return (row, s) => arithmetic(toNumber(left(row, s)) + toNumber(right(row, s)));
    case '-':
      return (row, s) => arithmetic(toNumber(left(row, s)) - toNumber(right(row, s)));
    case '*':
      return (row, s) => arithmetic(toNumber(left(row, s)) * toNumber(right(row, s)));
    case '/':
      return (row, s) => arithmetic(toNumber(left(row, s)) / toNumber(right(row, s)));
    case '&':
      return (row, s) => toText(left(row, s)) + toText(right(row, s));
    case 'and':
      return (row, s) => bool(truthy(left(row, s)) && truthy(right(row, s)));
    case 'or':
      return (row, s) => bool(truthy(left(row, s)) || truthy(right(row, s)));
    case 'xor':
      return (row, s) => bool(truthy(left(row, s)) !== truthy(right(row, s)));
    case 'like':
      return (row, s) => bool(like(toText(left(row, s)), toText(right(row, s))));
    default: {
      const test = {
        '=': (c: number) => c === 0,
        '<>': (c: number) => c !== 0,
        '<': (c: number) => c < 0,
        '>': (c: number) => c > 0,
        '<=': (c: number) => c <= 0,
        '>=': (c: number) => c >= 0,
      }[op];
      if (!test) throw new StatementError(`Unknown operator ${op}`, 'SYNTAX_ERROR');
      return (row, s) => {
        const a = left(row, s);
        const b = right(row, s);
        return a === null || b === null ? null : bool(test(compare(a, b)));
      };
    }
  }
}

/** Evaluates an expression that reads no fields (LET, `$(=...)`). */
export function evaluateConstant(expression: Expression, scope: FunctionScope): Cell {
  return compile(expression, () => undefined, scope)([], { recNo: 0, rowNo: 0 });
}

/** The text a LET stores: numbers as Qlik writes them. */
export const variableText = (cell: Cell): string => (typeof cell === 'number' ? numberText(cell) : toText(cell));
