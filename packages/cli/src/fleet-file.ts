// The fleet file: one customer per CSV row, JSON array entry or YAML list item.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { CustomerInput } from '@qlik-oem/recipes';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { CliUsageError } from './exit-codes.js';

const BOOLEAN = /^(true|false|)$/i;

function fromRecord(record: Record<string, unknown>, where: string): CustomerInput {
  for (const field of ['customerId', 'name', 'alias'])
    if (typeof record[field] !== 'string' || record[field] === '')
      throw new CliUsageError(`${where}: "${field}" must be a non-empty text`);
  const flag = record['allowContributors'];
  if (flag !== undefined && typeof flag !== 'boolean' && !(typeof flag === 'string' && BOOLEAN.test(flag)))
    throw new CliUsageError(`${where}: "allowContributors" must be true or false`);
  return {
    customerId: record['customerId'] as string,
    name: record['name'] as string,
    alias: record['alias'] as string,
    allowContributors: flag === true || (typeof flag === 'string' && flag.toLowerCase() === 'true'),
  };
}

/** Where customer `index` (0-based) of a fleet file is written: `customers.csv line 3`, `fleet.json entry 2`. */
export function fleetEntryName(path: string, index: number): string {
  return extname(path).toLowerCase() === '.csv' ? `${path} line ${index + 2}` : `${path} entry ${index + 1}`;
}

/**
 * Reads the customers. Shape problems name the file and the row; the recipes then check each field
 * (an alias is a DNS label, ids are unique...) before any request.
 */
export function readFleetFile(path: string): CustomerInput[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`Cannot read the fleet file ${path}: ${(error as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  let records: unknown;
  try {
    if (ext === '.csv') records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    else if (ext === '.json') records = JSON.parse(text);
    else if (ext === '.yaml' || ext === '.yml') records = parseYaml(text);
    else throw new Error(`unknown format "${ext}" (use .csv, .json, .yaml or .yml)`);
  } catch (error) {
    throw new CliUsageError(`Cannot parse the fleet file ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(records) || records.length === 0) throw new CliUsageError(`${path}: expected a list of customers`);
  return records.map((record, i) => {
    const where = fleetEntryName(path, i);
    if (!record || typeof record !== 'object') throw new CliUsageError(`${where}: expected a customer`);
    return fromRecord(record as Record<string, unknown>, where);
  });
}
