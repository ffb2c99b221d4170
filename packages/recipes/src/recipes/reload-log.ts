/**
 * What a reload's script log says was loaded. Qlik logs each LOAD or SELECT as `<table> << <source>`
 * followed by its count, `<n> Lines fetched` (the progress form) or `Lines fetched: <n>`; counts may
 * carry the locale's thousands separators (`1,234`), lines may start with a timestamp.
 */

/** Lines one table of the data model received during a reload (concatenations add up). */
export interface FetchedTable {
  table: string;
  lines: number;
}

const TIMESTAMP = /^\s*\d{4}-?\d{2}-?\d{2}[T ]\d{2}:?\d{2}:?\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+/;
const TABLE_LINE = /^\s*(.+?)\s+<<\s+.+$/;
const COUNT_LINE = /^\s*(?:(\d[\d.,'\s\u00a0]*?)\s+lines fetched|lines fetched:?\s*(\d[\d.,'\s\u00a0]*))\s*$/i;

/** Every table the log reports lines for, in the order the log first names them. */
export function fetchedTables(log: string): FetchedTable[] {
  const tables = new Map<string, number>();
  let current = '';
  for (const line of log.split(/\r?\n/).map((text) => text.replace(TIMESTAMP, ''))) {
    const count = COUNT_LINE.exec(line);
    if (count) {
      const lines = Number((count[1] ?? count[2] ?? '').replace(/\D/g, ''));
      tables.set(current, (tables.get(current) ?? 0) + lines);
      continue;
    }
    const table = TABLE_LINE.exec(line);
    if (table) current = table[1]!;
  }
  return [...tables].map(([table, lines]) => ({ table, lines }));
}

/** All lines the reload fetched, or null when the log reports none (a log that is missing or not Qlik's). */
export function totalLinesFetched(tables: readonly FetchedTable[] | null | undefined): number | null {
  if (!tables || tables.length === 0) return null;
  return tables.reduce((sum, table) => sum + table.lines, 0);
}
