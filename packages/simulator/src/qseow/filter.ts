/**
 * The subset of the QRS filter language the simulator understands:
 * `prop op value [and|or prop op value …]`, optional surrounding parentheses, dotted property paths
 * (`stream.name`), operators eq, ne, sw, ew, so (string comparisons case-insensitive, as in QRS),
 * values as 'quoted strings', GUIDs, numbers, true/false/null. `and` binds tighter than `or`.
 */
import { wireText } from '../http/wire-text.js';

export type QrsFilter = (entity: unknown) => boolean;

export class QrsFilterSyntaxError extends Error {
  override name = 'QrsFilterSyntaxError';
}

interface Clause {
  path: string[];
  op: string;
  value: string | number | boolean | null;
}

const CLAUSE = /^\s*([A-Za-z_@][\w.@]*)\s+(eq|ne|sw|ew|so|gt|ge|lt|le)\s+('(?:[^']|'')*'|[\w.:+-]+)\s*/i;
const JOINER = /^\s*(and|or)\s+/i;

export function parseQrsFilter(text: string | null | undefined): QrsFilter {
  if (!text || !text.trim()) return () => true;
  let rest = text.trim();
  while (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  const groups: Clause[][] = [[]];
  for (let guard = 0; rest.length > 0; guard++) {
    if (guard > 100) throw new QrsFilterSyntaxError(`filter too long: ${text}`);
    const m = CLAUSE.exec(rest);
    if (!m) throw new QrsFilterSyntaxError(`cannot parse filter near "${rest}"`);
    groups[groups.length - 1]!.push({ path: m[1]!.split('.'), op: m[2]!.toLowerCase(), value: parseValue(m[3]!) });
    rest = rest.slice(m[0].length);
    if (!rest) break;
    const j = JOINER.exec(rest);
    if (!j) throw new QrsFilterSyntaxError(`expected and/or near "${rest}"`);
    if (j[1]!.toLowerCase() === 'or') groups.push([]);
    rest = rest.slice(j[0].length);
  }
  return (entity) => groups.some((clauses) => clauses.every((c) => matches(entity, c)));
}

function parseValue(raw: string): Clause['value'] {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^null$/i.test(raw)) return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw; // GUIDs and enum names go unquoted
}

function lookup(entity: unknown, path: string[]): unknown {
  let current: unknown = entity;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const found = Object.keys(current).find((k) => k.toLowerCase() === key.toLowerCase());
    current = found === undefined ? undefined : (current as Record<string, unknown>)[found];
  }
  return current;
}

function matches(entity: unknown, clause: Clause): boolean {
  const actual = lookup(entity, clause.path);
  const expected = clause.value;
  if (typeof actual === 'string' || typeof expected === 'string') {
    const a = wireText(actual).toLowerCase();
    const e = expected === null ? '' : String(expected).toLowerCase();
    switch (clause.op) {
      case 'eq':
        return actual !== undefined && actual !== null && a === e;
      case 'ne':
        return a !== e;
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      case 'so':
        return a.includes(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
      default:
        return false;
    }
  }
  switch (clause.op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'ge':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'le':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    default:
      return false;
  }
}
