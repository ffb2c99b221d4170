// A fleet's validation error as the user wrote the fleet: customers by their fleet-file line, the rest
// by the config file's field.
import { formatIssuePath, isQlikValidationError } from '@qlik-oem/core';
import type { CustomerInput } from '@qlik-oem/recipes';
import type { LoadedFleet } from './command.js';
import { CliUsageError } from './exit-codes.js';

/** `error` as a usage error (exit 64) when it is a `QlikValidationError` of the fleet; else `error` itself. */
export function asFleetUsageError(error: unknown, fleet: LoadedFleet, customers: readonly CustomerInput[]): unknown {
  if (!isQlikValidationError(error)) return error;
  const lines = error.issues.map((issue) => {
    const [head, index, ...field] = issue.path;
    const customer = head === 'customers' && typeof index === 'number' ? customers[index] : undefined;
    if (customer)
      return `${fleet.locate(customer.customerId)} (customer ${customer.customerId}): ${formatIssuePath(field)}: ${issue.message}`;
    return `${fleet.config.file}: ${formatIssuePath(issue.path)}: ${issue.message}`;
  });
  return new CliUsageError(`Nothing was written. Fix the fleet first:\n${lines.map((line) => `  ${line}`).join('\n')}`);
}
