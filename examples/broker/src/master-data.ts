// The partner's own master data: its customers and their end users (in a real product: the partner's database).
import { readFileSync } from 'node:fs';
import { customerSchema, parseInput } from '@qlik-oem/recipes/schemas';
import { z } from 'zod';

const userSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().min(3),
  groups: z.array(z.string().min(1)).default([]),
});

const masterDataSchema = z.object({
  customers: z.array(customerSchema.extend({ users: z.array(userSchema).default([]) })).min(1),
});

export type MasterData = z.output<typeof masterDataSchema>;
export type MasterCustomer = MasterData['customers'][number];

/** The example's sample master data: three customers with two, two and one end users. */
export const SAMPLE_MASTER_DATA_FILE = new URL('../customers.sample.json', import.meta.url);

export function readMasterData(file: string | URL = SAMPLE_MASTER_DATA_FILE): MasterData {
  return parseMasterData(JSON.parse(readFileSync(file, 'utf8')));
}

export function parseMasterData(value: unknown): MasterData {
  return parseInput(masterDataSchema, value, { label: 'master data', path: ['masterData'] });
}
