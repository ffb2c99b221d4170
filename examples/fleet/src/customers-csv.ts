import type { CustomerInput } from '@qlik-oem/recipes';

/** Splits one CSV line into fields (RFC 4180 quoting: "a, b" and "" for a quote). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

const REQUIRED = ['customerId', 'name', 'alias'] as const;

/**
 * Reads `customerId,name,alias,allowContributors` rows. Shape problems (missing columns, a bad
 * boolean) are reported with the line number here; field rules (alias is a DNS label...) are checked
 * by provisionFleet's validation, which names `customers[i].<field>`.
 */
export function parseCustomersCsv(text: string): CustomerInput[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header === undefined) throw new Error('customers CSV is empty');
  const columns = splitCsvLine(header);
  for (const name of REQUIRED)
    if (!columns.includes(name)) throw new Error(`customers CSV: missing column "${name}" in the header`);
  return lines.map((line, index) => {
    const values = splitCsvLine(line);
    if (values.length !== columns.length)
      throw new Error(`customers CSV line ${index + 2}: expected ${columns.length} fields, got ${values.length}`);
    const row = Object.fromEntries(columns.map((column, i) => [column, values[i]!]));
    const flag = (row.allowContributors ?? 'false').toLowerCase();
    if (flag !== 'true' && flag !== 'false' && flag !== '')
      throw new Error(`customers CSV line ${index + 2}: allowContributors must be true or false`);
    return { customerId: row.customerId!, name: row.name!, alias: row.alias!, allowContributors: flag === 'true' };
  });
}
