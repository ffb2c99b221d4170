// The flags of the commands that work on a fleet's customers, `--only` and `--concurrency`: how each is
// written in help and read, in one place, so that every command selects customers and fans out alike.
import type { CustomerInput } from '@qlik-oem/recipes';
import { positiveInteger, type FlagSpec, type ParsedValues } from './args.js';
import { CliUsageError } from './exit-codes.js';

/** How many customers a command works on at once without `--concurrency`. */
export const DEFAULT_CONCURRENCY = 16;

/** `--only <id,...>` (repeatable), described as `description`. */
export function onlyFlag(description = 'only these customers'): FlagSpec {
  return { type: 'string', value: '<id,...>', multiple: true, description };
}

/** `--concurrency <n>`: customers `done` (provisioned, inspected) at once. */
export function concurrencyFlag(done: string): FlagSpec {
  return { type: 'string', value: '<n>', description: `customers ${done} at once (default ${DEFAULT_CONCURRENCY})` };
}

/** The ids `--only` was given, as typed (`selectCustomers` splits and checks them). */
export function onlyOf(values: ParsedValues): string[] | undefined {
  return values['only'] as string[] | undefined;
}

/** `--concurrency`, or the default. */
export function concurrencyOf(values: ParsedValues): number {
  return positiveInteger('concurrency', values['concurrency'], DEFAULT_CONCURRENCY);
}

/** `--only a,b` (repeatable): those customers, in fleet order; an unknown id is a usage error. */
export function selectCustomers(customers: CustomerInput[], only: string[] | undefined): CustomerInput[] {
  if (!only || only.length === 0) return customers;
  const wanted = new Set(
    only
      .flatMap((o) => o.split(','))
      .map((o) => o.trim())
      .filter(Boolean),
  );
  const known = new Set(customers.map((c) => c.customerId));
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length) throw new CliUsageError(`--only: no customer ${unknown.join(', ')} in the fleet file`);
  return customers.filter((c) => wanted.has(c.customerId));
}
