/**
 * How script values behave: numbers read from text, texts of numbers, truth, and Qlik's dates
 * (serial day numbers since 1899-12-30, shown through a format such as `YYYY-MM-DD`).
 */
import type { Cell, Dual } from '../table.js';

export const dual = (text: string, num: number): Dual => ({ text, num });

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number in a cell: numbers and duals as they are, numeric texts read, anything else NaN. */
export function toNumber(cell: Cell): number {
  if (cell === null) return Number.NaN;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'object') return cell.num;
  const trimmed = cell.trim();
  return NUMERIC.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The text of a cell; null is the empty text. */
export function toText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.text;
  return typeof cell === 'number' ? numberText(cell) : cell;
}

/** A number as Qlik writes it without a format: no exponent for ordinary magnitudes, at most 14 significant digits. */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(14)));
}

/** Truth as the script sees it: a non-zero number. Qlik's true is -1. */
export const truthy = (cell: Cell): boolean => {
  const n = toNumber(cell);
  return !Number.isNaN(n) && n !== 0;
};
export const bool = (value: boolean): number => (value ? -1 : 0);

/**
 * A value read from a text source (a file, INLINE): a number when the text is one, keeping the
 * text as written when it differs from the number's own (`007`, `1.50`), else the text.
 */
export function fromText(text: string): Cell {
  if (text === '') return text;
  if (!NUMERIC.test(text)) return text;
  const num = Number(text);
  return numberText(num) === text ? num : dual(text, num);
}

// ---- dates -------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const EPOCH_OFFSET_DAYS = 25_569; // 1970-01-01 is day 25569 after 1899-12-30

export const serialFromEpochMs = (ms: number): number => ms / DAY_MS + EPOCH_OFFSET_DAYS;
export const epochMsFromSerial = (serial: number): number => Math.round((serial - EPOCH_OFFSET_DAYS) * DAY_MS);

export const DEFAULT_MONTH_NAMES = 'Jan;Feb;Mar;Apr;May;Jun;Jul;Aug;Sep;Oct;Nov;Dec';
export const DEFAULT_LONG_MONTH_NAMES =
  'January;February;March;April;May;June;July;August;September;October;November;December';

/** The format variables a script may set (`SET DateFormat='YYYY-MM-DD'`), with the defaults used otherwise. */
export interface Formats {
  readonly dateFormat: string;
  readonly timestampFormat: string;
  readonly monthNames: readonly string[];
  readonly longMonthNames: readonly string[];
}

const DATE_TOKENS = /YYYY|YY|MMMM|MMM|MM|M|DD|D|hh|h|mm|m|ss|s|TT|tt/g;

/** Writes a serial date through a Qlik format pattern. */
export function formatDate(serial: number, format: string, formats: Formats): string {
  const date = new Date(epochMsFromSerial(serial));
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const hours = date.getUTCHours();
  return format.replace(DATE_TOKENS, (token) => {
    switch (token) {
      case 'YYYY':
        return String(year);
      case 'YY':
        return pad(year % 100);
      case 'MMMM':
        return formats.longMonthNames[month] ?? '';
      case 'MMM':
        return formats.monthNames[month] ?? '';
      case 'MM':
        return pad(month + 1);
      case 'M':
        return String(month + 1);
      case 'DD':
        return pad(date.getUTCDate());
      case 'D':
        return String(date.getUTCDate());
      case 'hh':
        return pad(/[Tt]{2}/.test(format) ? hours % 12 || 12 : hours);
      case 'h':
        return String(/[Tt]{2}/.test(format) ? hours % 12 || 12 : hours);
      case 'mm':
        return pad(date.getUTCMinutes());
      case 'm':
        return String(date.getUTCMinutes());
      case 'ss':
        return pad(date.getUTCSeconds());
      case 's':
        return String(date.getUTCSeconds());
      case 'TT':
        return hours < 12 ? 'AM' : 'PM';
      default:
        return hours < 12 ? 'am' : 'pm';
    }
  });
}

/** Reads a text through a Qlik format pattern; undefined when it does not match. */
export function parseDate(text: string, format: string, formats: Formats): number | undefined {
  const parts: string[] = [];
  let pattern = '';
  let last = 0;
  for (const match of format.matchAll(DATE_TOKENS)) {
    pattern += escapeRegExp(format.slice(last, match.index));
    const token = match[0];
    parts.push(token);
    if (token === 'MMMM' || token === 'MMM') pattern += '([A-Za-z\\u00C0-\\uFFFF]+)';
    else if (token === 'TT' || token === 'tt') pattern += '([AaPp][Mm])';
    else if (token === 'YYYY') pattern += '(\\d{4})';
    else pattern += '(\\d{1,2})';
    last = (match.index ?? 0) + token.length;
  }
  pattern += escapeRegExp(format.slice(last));
  const match = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!match) return undefined;
  let [year, month, day, hours, minutes, seconds] = [1899, 0, 30, 0, 0, 0];
  let pm: boolean | undefined;
  parts.forEach((token, index) => {
    const value = match[index + 1]!;
    const n = Number(value);
    if (token === 'YYYY') year = n;
    else if (token === 'YY') year = 2000 + n;
    else if (token === 'MM' || token === 'M') month = n - 1;
    else if (token === 'MMM' || token === 'MMMM') {
      const names = token === 'MMM' ? formats.monthNames : formats.longMonthNames;
      month = names.findIndex((name) => name.toLowerCase() === value.toLowerCase());
    } else if (token === 'DD' || token === 'D') day = n;
    else if (token === 'hh' || token === 'h') hours = n;
    else if (token === 'mm' || token === 'm') minutes = n;
    else if (token === 'ss' || token === 's') seconds = n;
    else pm = value.toLowerCase() === 'pm';
  });
  if (month < 0 || month > 11 || day < 1 || day > 31) return undefined;
  if (pm !== undefined) hours = (hours % 12) + (pm ? 12 : 0);
  const ms = Date.UTC(year, month, day, hours, minutes, seconds);
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return serialFromEpochMs(ms);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * The serial date in a cell: its number, or a text read through the date/timestamp formats, or
 * ISO 8601 (Qlik also reads the standard formats). NaN when none fits.
 */
export function toDateSerial(cell: Cell, formats: Formats): number {
  const n = toNumber(cell);
  if (!Number.isNaN(n)) return n;
  if (typeof cell !== 'string') return Number.NaN;
  const iso = ISO_DATE.exec(cell.trim());
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso;
    return serialFromEpochMs(
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)),
    );
  }
  return (
    parseDate(cell, formats.dateFormat, formats) ?? parseDate(cell, formats.timestampFormat, formats) ?? Number.NaN
  );
}

// ---- number formats ----------------------------------------------------------------------------

/** Writes a number through a Qlik number format such as `#,##0.00`, `0.0%` or `$#,##0`. */
export function formatNumber(value: number, format: string, decimalSep = '.', thousandSep = ','): string {
  const match = /^([^#0]*)([#0,]*)(?:\.([#0]*))?(.*)$/.exec(format);
  if (!match) return numberText(value);
  const [, prefix = '', integerPart = '', decimals, suffix = ''] = match;
  const scaled = suffix.includes('%') ? value * 100 : value;
  const places = decimals?.length ?? 0;
  const minPlaces = decimals ? decimals.replace(/#+$/, '').length : 0;
  const rounded = Math.abs(scaled).toFixed(places);
  let [whole, frac = ''] = rounded.split('.');
  frac = frac.replace(/0+$/, '').padEnd(minPlaces, '0');
  const minWhole = integerPart.replace(/[#,]/g, '').length;
  whole = (whole ?? '0').padStart(minWhole, '0');
  if (whole === '0' && minWhole === 0 && frac !== '') whole = '';
  if (integerPart.includes(',')) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousandSep);
  const sign = scaled < 0 && /[1-9]/.test(rounded) ? '-' : '';
  return `${sign}${prefix}${whole}${frac ? decimalSep + frac : ''}${suffix}`;
}
