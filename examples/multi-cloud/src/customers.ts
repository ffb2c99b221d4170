import { readFile } from 'node:fs/promises';
import { parseInput } from '@qlik-oem/recipes/schemas';
import { z } from 'zod';

/** One line of customers.json. `apps` are QSEoW app ids or names of published apps (resolved through QRS). */
const customerFileSchema = z
  .array(
    z.looseObject({
      customerId: z.string({ error: 'must be a string' }),
      tenantHost: z.string({ error: 'must be a string' }),
      apps: z
        .array(z.string({ error: 'must be an app id or name' }).trim().min(1, 'must not be empty'), {
          error: 'must be a list of app ids or names',
        })
        .min(1, 'must name at least one app'),
      managedSpace: z.string({ error: 'must be a string' }),
      deploymentName: z.string().optional(),
    }),
    { error: 'must be a JSON array of customers' },
  )
  .min(1, 'must list at least one customer');

export type CustomerEntry = z.output<typeof customerFileSchema>[number];

/** Reads and checks the customers file; the recipe validates each field again (hosts, space names) before any request. */
export async function loadCustomers(path: string): Promise<CustomerEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseInput(customerFileSchema, json, { label: `customers file ${path}`, path: ['customers'] });
}
