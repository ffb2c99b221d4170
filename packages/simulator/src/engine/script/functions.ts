/**
 * The script functions of the supported subset, with the semantics of help.qlik.com's
 * script-function pages (string, date, formatting, conditional and mapping functions).
 */
import type { Cell } from '../table.js';
import { StatementError } from './errors.js';
import {
  bool,
  dual,
  formatDate,
  formatNumber,
  numberText,
  parseDate,
  toDateSerial,
  toNumber,
  toText,
  truthy,
  type Formats,
} from './values.js';

/** What a function may consult besides its arguments. */
export interface FunctionScope {
  readonly formats: Formats;
  /** A mapping table by name (case-insensitive), or undefined. */
  mapping(name: string): ReadonlyMap<string, Cell> | undefined;
}

interface ScriptFunction {
  readonly min: number;
  readonly max: number;
  readonly call: (args: readonly Cell[], scope: FunctionScope) => Cell;
}

const orNull = (n: number): Cell => (Number.isNaN(n) || !Number.isFinite(n) ? null : n);
const text = (cell: Cell | undefined): string => toText(cell ?? null);
const num = (cell: Cell | undefined): number => toNumber(cell ?? null);
const count = (cell: Cell | undefined, fallback: number): number => {
  const n = num(cell);
  return Number.isNaN(n) ? fallback : Math.trunc(n);
};

/** A string function: null in, null out. */
const onText =
  (fn: (value: string, args: readonly Cell[]) => Cell) =>
  (args: readonly Cell[]): Cell =>
    args[0] === null ? null : fn(text(args[0]), args);

const roundTo =
  (fn: (x: number) => number) =>
  (args: readonly Cell[]): Cell => {
    const x = num(args[0]);
    const step = args.length > 1 ? num(args[1]) : 1;
    const offset = args.length > 2 ? num(args[2]) : 0;
    if (Number.isNaN(x) || Number.isNaN(step) || Number.isNaN(offset)) return null;
    if (step === 0) return x;
    return Number(numberText(fn((x - offset) / step) * step + offset));
  };

/** A part of a date: the number of the year, month (as a dual with its name), day. */
const datePart =
  (part: (date: Date, formats: Formats) => Cell) =>
  (args: readonly Cell[], scope: FunctionScope): Cell => {
    const serial = toDateSerial(args[0] ?? null, scope.formats);
    if (Number.isNaN(serial)) return null;
    return part(new Date(Math.round((serial - 25_569) * 86_400_000)), scope.formats);
  };

/** `Date(x[, format])`, `Timestamp(x[, format])`: a dual of the serial and its text in `format`, else the default. */
const formatted =
  (defaultFormat: 'dateFormat' | 'timestampFormat') =>
  (args: readonly Cell[], scope: FunctionScope): Cell => {
    const serial = toDateSerial(args[0] ?? null, scope.formats);
    if (Number.isNaN(serial)) return null;
    const format = args.length > 1 ? text(args[1]) : scope.formats[defaultFormat];
    return dual(formatDate(serial, format, scope.formats), serial);
  };

export const FUNCTIONS: Readonly<Record<string, ScriptFunction>> = {
  upper: { min: 1, max: 1, call: onText((s) => s.toUpperCase()) },
  lower: { min: 1, max: 1, call: onText((s) => s.toLowerCase()) },
  capitalize: {
    min: 1,
    max: 1,
    call: onText((s) =>
      s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
    ),
  },
  trim: { min: 1, max: 1, call: onText((s) => s.trim()) },
  ltrim: { min: 1, max: 1, call: onText((s) => s.replace(/^\s+/, '')) },
  rtrim: { min: 1, max: 1, call: onText((s) => s.replace(/\s+$/, '')) },
  len: { min: 1, max: 1, call: (args) => [...text(args[0])].length },
  left: { min: 2, max: 2, call: onText((s, args) => [...s].slice(0, Math.max(0, count(args[1], 0))).join('')) },
  right: {
    min: 2,
    max: 2,
    call: onText((s, args) => {
      const n = Math.max(0, count(args[1], 0));
      return n === 0 ? '' : [...s].slice(-n).join('');
    }),
  },
  mid: {
    min: 2,
    max: 3,
    call: onText((s, args) => {
      const chars = [...s];
      const start = Math.max(1, count(args[1], 1)) - 1;
      return chars.slice(start, args.length > 2 ? start + Math.max(0, count(args[2], 0)) : undefined).join('');
    }),
  },
  index: {
    min: 2,
    max: 3,
    call: (args) => {
      const haystack = text(args[0]);
      const needle = text(args[1]);
      const n = args.length > 2 ? count(args[2], 1) : 1;
      if (needle === '' || n === 0) return 0;
      let at = n > 0 ? -1 : haystack.length;
      for (let i = 0; i < Math.abs(n); i += 1) {
        at = n > 0 ? haystack.indexOf(needle, at + 1) : haystack.lastIndexOf(needle, at - 1);
        if (at === -1) return 0;
      }
      return at + 1;
    },
  },
  replace: {
    min: 3,
    max: 3,
    call: onText((s, args) => (text(args[1]) === '' ? s : s.split(text(args[1])).join(text(args[2])))),
  },
  repeat: { min: 1, max: 2, call: onText((s, args) => s.repeat(Math.max(0, count(args[1], 1)))) },
  chr: { min: 1, max: 1, call: (args) => (Number.isNaN(num(args[0])) ? null : String.fromCodePoint(num(args[0]))) },
  ord: { min: 1, max: 1, call: (args) => (text(args[0]) === '' ? null : text(args[0]).codePointAt(0)!) },

  if: { min: 2, max: 3, call: (args) => (truthy(args[0] ?? null) ? (args[1] ?? null) : (args[2] ?? null)) },
  alt: {
    min: 1,
    max: 255,
    call: (args) => args.find((a) => !Number.isNaN(toNumber(a))) ?? args[args.length - 1] ?? null,
  },
  pick: { min: 2, max: 255, call: (args) => args[count(args[0], 0)] ?? null },
  match: {
    min: 2,
    max: 255,
    call: (args) => {
      const needle = text(args[0]);
      const at = args.slice(1).findIndex((a) => text(a) === needle);
      return at + 1;
    },
  },
  mixmatch: {
    min: 2,
    max: 255,
    call: (args) => {
      const needle = text(args[0]).toLowerCase();
      return args.slice(1).findIndex((a) => text(a).toLowerCase() === needle) + 1;
    },
  },
  null: { min: 0, max: 0, call: () => null },
  isnull: { min: 1, max: 1, call: (args) => bool(args[0] === null) },
  isnum: { min: 1, max: 1, call: (args) => bool(!Number.isNaN(toNumber(args[0] ?? null))) },
  istext: {
    min: 1,
    max: 1,
    call: (args) => bool(typeof args[0] === 'string' && Number.isNaN(toNumber(args[0]))),
  },

  num: {
    min: 1,
    max: 4,
    call: (args) => {
      const n = num(args[0]);
      if (Number.isNaN(n)) return null;
      if (args.length < 2 || args[1] === null) return n;
      return dual(
        formatNumber(n, text(args[1]), args.length > 2 ? text(args[2]) : '.', args.length > 3 ? text(args[3]) : ','),
        n,
      );
    },
  },
  'num#': {
    min: 1,
    max: 4,
    call: (args) => {
      const raw = text(args[0]);
      const decimal = args.length > 2 ? text(args[2]) : '.';
      const thousand = args.length > 3 ? text(args[3]) : ',';
      const cleaned = raw
        .split(thousand)
        .join('')
        .split(decimal)
        .join('.')
        .replace(/[^0-9.eE+-]/g, '');
      const n = toNumber(cleaned);
      return Number.isNaN(n) ? null : dual(raw, n);
    },
  },
  text: { min: 1, max: 1, call: (args) => (args[0] === null ? null : text(args[0])) },
  dual: { min: 2, max: 2, call: (args) => dual(text(args[0]), num(args[1])) },
  round: { min: 1, max: 3, call: roundTo((x) => Math.sign(x) * Math.round(Math.abs(x))) },
  floor: { min: 1, max: 3, call: roundTo(Math.floor) },
  ceil: { min: 1, max: 3, call: roundTo(Math.ceil) },
  fabs: { min: 1, max: 1, call: (args) => orNull(Math.abs(num(args[0]))) },
  fmod: { min: 2, max: 2, call: (args) => orNull(num(args[0]) % num(args[1])) },
  mod: { min: 2, max: 2, call: (args) => orNull(((num(args[0]) % num(args[1])) + num(args[1])) % num(args[1])) },
  div: { min: 2, max: 2, call: (args) => orNull(Math.trunc(num(args[0]) / num(args[1]))) },
  sqrt: { min: 1, max: 1, call: (args) => orNull(Math.sqrt(num(args[0]))) },
  pow: { min: 2, max: 2, call: (args) => orNull(num(args[0]) ** num(args[1])) },
  rangesum: {
    min: 1,
    max: 255,
    call: (args) => args.reduce<number>((sum, a) => sum + (Number.isNaN(toNumber(a)) ? 0 : toNumber(a)), 0),
  },

  date: { min: 1, max: 2, call: formatted('dateFormat') },
  timestamp: { min: 1, max: 2, call: formatted('timestampFormat') },
  'date#': {
    min: 1,
    max: 2,
    call: (args, scope) => {
      const raw = text(args[0]);
      const serial = parseDate(raw, args.length > 1 ? text(args[1]) : scope.formats.dateFormat, scope.formats);
      return serial === undefined ? null : dual(raw, serial);
    },
  },
  makedate: {
    min: 1,
    max: 3,
    call: (args, scope) => {
      const [y, m, d] = [num(args[0]), args.length > 1 ? num(args[1]) : 1, args.length > 2 ? num(args[2]) : 1];
      if ([y, m, d].some(Number.isNaN)) return null;
      const serial = Date.UTC(y, m - 1, d) / 86_400_000 + 25_569;
      return dual(formatDate(serial, scope.formats.dateFormat, scope.formats), serial);
    },
  },
  year: { min: 1, max: 1, call: datePart((d) => d.getUTCFullYear()) },
  day: { min: 1, max: 1, call: datePart((d) => d.getUTCDate()) },
  weekday: { min: 1, max: 1, call: datePart((d) => (d.getUTCDay() + 6) % 7) },
  month: {
    min: 1,
    max: 1,
    call: datePart((date, formats) => {
      const month = date.getUTCMonth();
      return dual(formats.monthNames[month] ?? String(month + 1), month + 1);
    }),
  },

  applymap: {
    min: 2,
    max: 3,
    call: (args, scope) => {
      const name = text(args[0]);
      const map = scope.mapping(name);
      if (!map) throw new StatementError(`Mapping table not found: ${name}`, 'TABLE_NOT_FOUND');
      const found = map.get(text(args[1]));
      if (found !== undefined) return found;
      return args.length > 2 ? (args[2] ?? null) : (args[1] ?? null);
    },
  },
};
