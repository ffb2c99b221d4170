/** Delimited text (INLINE data, `.csv`/`.txt` files) read into rows through csv-parse, as a file format spec says. */
import { parse } from 'csv-parse/sync';
import type { Cell } from '../table.js';
import { StatementError } from './errors.js';
import type { FileFormat } from './parser.js';
import { fromText } from './values.js';

export function readDelimited(
  bytes: Uint8Array,
  format: FileFormat,
  inline: boolean,
): { fields: string[]; rows: Cell[][] } {
  const text = new TextDecoder(format.encoding === 'utf8' ? 'utf-8' : 'latin1').decode(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: format.delimiter,
      quote: format.quotes ? '"' : false,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: inline,
      from_line: format.headerLines + 1,
    });
  } catch (error) {
    throw new StatementError(`Cannot read the data: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (inline) records = records.filter((record) => record.some((value) => value !== ''));
  const width = Math.max(0, ...records.map((r) => r.length));
  const fields =
    format.labels === 'embedded' ? (records.shift() ?? []) : Array.from({ length: width }, (_, i) => `@${i + 1}`);
  if (fields.length === 0) throw new StatementError('The data has no fields');
  const rows = records.map((record) => fields.map((_, i) => fromText(record[i] ?? '')));
  return { fields, rows };
}
