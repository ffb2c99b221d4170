// The table an apply ends with: one line per customer, then the counts.
import type { ProvisionFleetResult } from '@qlik-oem/recipes';
import { errorText } from './error-text.js';

/** Aligned columns; the last column (free text) is not padded. */
export function table(header: string[], rows: string[][]): string {
  const last = header.length - 1;
  const widths = header.map((title, column) =>
    column === last ? 0 : Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === last ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((w, i) => '-'.repeat(i === last ? header[i]!.length : w))),
    ...rows.map(line),
  ].join('\n');
}

const messageOf = (error: unknown): string =>
  errorText(error).replace(/^Recipe "[^"]+" failed for customer "[^"]+" at step "[^"]+": /, '');

export function formatResult(result: ProvisionFleetResult): string {
  const rows = result.customers.map((c) => [
    c.customerId,
    c.status,
    c.tenantHost ?? '-',
    String(c.steps.filter((s) => s.action !== 'none').length),
    c.fetched ? String(c.fetched.lines) : '-',
    c.durationMs === undefined ? '-' : `${(c.durationMs / 1000).toFixed(1)}s`,
    c.status === 'failed' || c.status === 'aborted'
      ? `${c.failedStep ? `${c.failedStep}: ` : ''}${messageOf(c.error)}`
      : '',
  ]);
  const { provisioned, unchanged, failed, aborted } = result.counts;
  const header = ['customer', 'status', 'tenant host', 'writes', 'lines fetched', 'duration', 'error'];
  return `${table(header, rows)}\n\n${provisioned} provisioned, ${unchanged} unchanged, ${failed} failed, ${aborted} aborted\n`;
}
