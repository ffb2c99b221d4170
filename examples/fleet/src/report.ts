import type { ProvisionedCustomer } from '@qlik-oem/recipes';

/** The final per-customer table: status, tenant host, app id, duration, and the error of failures. */
export function formatReport(customers: readonly ProvisionedCustomer[]): string {
  const rows = customers.map((c) => [
    c.customerId,
    c.status,
    c.tenantHost ?? '-',
    c.appId ?? '-',
    c.durationMs === undefined ? '-' : `${(c.durationMs / 1000).toFixed(1)}s`,
    c.status === 'failed' || c.status === 'aborted'
      ? `${c.failedStep ? `${c.failedStep}: ` : ''}${errorMessage(c.error)}`
      : '',
  ]);
  const header = ['customer', 'status', 'tenant host', 'app id', 'duration', 'error'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 5 ? 0 : row[column]!.length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 5 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // The RecipeStepError message repeats the customer and step; keep the cause.
  return message.replace(/^Recipe "[^"]+" failed for customer "[^"]+" at step "[^"]+": /, '');
}
