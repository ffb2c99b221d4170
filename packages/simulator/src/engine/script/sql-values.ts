/**
 * Database values as script cells: numbers stay numbers (numeric and bigint too), dates and
 * timestamps become duals shown through the script's DateFormat/TimestampFormat, as the
 * connector hands Qlik typed values. Both drivers (pg, PGlite) share it.
 */
import type { Cell } from '../table.js';
import type { RowSet } from './interpreter.js';
import { dual, formatDate, toDateSerial, type Formats } from './values.js';

/** PostgreSQL type oids the conversion treats specially. */
const NUMERIC_TYPES = new Set([20, 21, 23, 700, 701, 1700, 26]);
const DATE = 1082;
const TIMESTAMPS = new Set([1114, 1184]);

/** Parsers for both drivers: dates and timestamps arrive as PostgreSQL's text, so no time zone shifts them. */
export const RAW_TEXT_TYPES = [DATE, ...TIMESTAMPS, 20, 1700];

export function sqlCell(typeId: number, value: unknown, formats: Formats): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? -1 : 0;
  // pg hands arrays, Buffers and json objects too; String() is the simulator's text of them (Qlik's is unverified).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (NUMERIC_TYPES.has(typeId)) {
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (typeId === DATE || TIMESTAMPS.has(typeId)) {
    const serial = toDateSerial(text.slice(0, 19), formats);
    if (Number.isNaN(serial)) return text;
    return dual(formatDate(serial, typeId === DATE ? formats.dateFormat : formats.timestampFormat, formats), serial);
  }
  return typeof value === 'object' ? JSON.stringify(value) : text;
}

/** The driver's rows as cells, converted in place (the driver's arrays are the reload's own: no copy per row). */
export function sqlRowSet(
  fields: readonly { name: string; dataTypeID: number }[],
  rows: unknown[][],
  formats: Formats,
): RowSet {
  const types = fields.map((f) => f.dataTypeID);
  for (const row of rows) {
    for (let i = 0; i < types.length; i++) {
      const value = row[i];
      if (typeof value !== 'number') row[i] = sqlCell(types[i]!, value, formats);
    }
  }
  return { fields: fields.map((f) => f.name), rows: rows as Cell[][] };
}
