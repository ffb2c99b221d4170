import { badRequest } from '../http/errors.js';

/** A compiled SCIM (RFC 7644) filter over flat records: `name eq "X" and (status eq "active" or status pr)`. */
export type RecordFilter = (record: Record<string, unknown>) => boolean;

type Token = { kind: 'word' | 'string' | 'lparen' | 'rparen'; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', value: ch });
      i++;
    } else if (ch === '"') {
      let value = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        value += input[i];
        i++;
      }
      if (input[i] !== '"') throw badRequest(`Invalid filter: unterminated string in ${JSON.stringify(input)}`);
      i++;
      tokens.push({ kind: 'string', value });
    } else {
      let value = '';
      while (i < input.length && !/[\s()"]/.test(input[i] as string)) value += input[i++];
      tokens.push({ kind: 'word', value });
    }
  }
  return tokens;
}

const COMPARATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

/** Compiles a filter; attribute names and string comparisons are case-insensitive, as Qlik documents. */
export function compileScimFilter(input: string): RecordFilter {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (why: string): never => {
    throw badRequest(`Invalid filter ${JSON.stringify(input)}: ${why}`);
  };
  const parseOr = (): RecordFilter => {
    let left = parseAnd();
    while (peek()?.kind === 'word' && peek()?.value.toLowerCase() === 'or') {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  };
  const parseAnd = (): RecordFilter => {
    let left = parsePrimary();
    while (peek()?.kind === 'word' && peek()?.value.toLowerCase() === 'and') {
      pos++;
      const l = left;
      const r = parsePrimary();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  };
  const parsePrimary = (): RecordFilter => {
    const t = tokens[pos++];
    if (!t) return fail('unexpected end');
    if (t.kind === 'lparen') {
      const inner = parseOr();
      if (tokens[pos++]?.kind !== 'rparen') fail('missing ")"');
      return inner;
    }
    if (t.kind === 'word' && t.value.toLowerCase() === 'not') {
      const inner = parsePrimary();
      return (rec) => !inner(rec);
    }
    if (t.kind !== 'word') return fail(`expected an attribute, got ${JSON.stringify(t.value)}`);
    const attr = t.value;
    const op = tokens[pos++];
    if (!op || op.kind !== 'word') return fail(`expected an operator after ${attr}`);
    const opName = op.value.toLowerCase();
    if (opName === 'pr') return (rec) => lookup(rec, attr) !== undefined && lookup(rec, attr) !== null;
    if (!COMPARATORS.has(opName)) return fail(`unknown operator ${op.value}`);
    const v = tokens[pos++];
    if (!v || (v.kind !== 'string' && v.kind !== 'word')) return fail(`expected a value after ${attr} ${op.value}`);
    const expected: unknown =
      v.kind === 'string'
        ? v.value
        : v.value === 'true'
          ? true
          : v.value === 'false'
            ? false
            : v.value === 'null'
              ? null
              : Number(v.value);
    if (v.kind === 'word' && typeof expected === 'number' && Number.isNaN(expected)) fail(`invalid value ${v.value}`);
    return (rec) => compare(lookup(rec, attr), opName, expected);
  };
  const filter = parseOr();
  if (pos !== tokens.length) fail(`unexpected ${JSON.stringify(tokens[pos]?.value)}`);
  return filter;
}

function lookup(rec: Record<string, unknown>, attr: string): unknown {
  const wanted = attr.toLowerCase();
  for (const [k, v] of Object.entries(rec)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

function compare(actual: unknown, op: string, expected: unknown): boolean {
  // Date-times compare as instants, whatever their precision (`...:00Z` and `...:00.000Z` are equal).
  if (typeof actual === 'string' && typeof expected === 'string' && ISO_DATE.test(actual) && ISO_DATE.test(expected)) {
    const x = Date.parse(actual);
    const y = Date.parse(expected);
    if (!Number.isNaN(x) && !Number.isNaN(y)) {
      const order = Math.sign(x - y);
      if (op === 'eq') return order === 0;
      if (op === 'ne') return order !== 0;
      if (op === 'gt') return order > 0;
      if (op === 'ge') return order >= 0;
      if (op === 'lt') return order < 0;
      if (op === 'le') return order <= 0;
    }
  }
  if (Array.isArray(actual))
    return actual.some(
      (a) =>
        compare(a, op, expected) ||
        compare((a as { name?: unknown; id?: unknown })?.name, op, expected) ||
        compare((a as { id?: unknown })?.id, op, expected),
    );
  const a = typeof actual === 'string' ? actual.toLowerCase() : actual;
  const e = typeof expected === 'string' ? expected.toLowerCase() : expected;
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'sw':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ew':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    default: {
      if (a === undefined || a === null || e === null || e === undefined) return false;
      const x = a as number | string;
      const y = e as number | string;
      return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
    }
  }
}
