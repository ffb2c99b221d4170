/**
 * Section access at open: the rows of the SECTION ACCESS tables that name the user (USERID, matched
 * to the user's subject) or one of the user's groups (GROUP), or `*`, select the user's values of every
 * reduction field (the other fields; `*` means every value the table lists for it), and the app's
 * tables keep only the rows associated with them, as a selection would (Qlik: "Section Access: Strict
 * Exclusion", community.qlik.com/t5/Official-Support-Articles/Section-Access-Strict-Exclusion/ta-p/1479908).
 * Qlik Sense always applies strict exclusion: a user without a row, or whose values of a reduction
 * field match none of the data, is denied. Values are compared upper-cased, as section access stores them.
 * OMIT names a field the user's rows leave out of their model (help.qlik.com, "Managing data security
 * with Section Access").
 */
import { cellText, keepFields, keepRows, type Cell, type LoadedData, type LoadedTable } from '../table.js';
import { DataModel } from './data-model.js';
import { Selections } from './selection.js';

export interface AccessUser {
  /** The user's subject (Qlik Cloud: the IdP subject; QSEoW: DIRECTORY\USER). */
  readonly subject: string;
  readonly groups: readonly string[];
}

export type AccessResult =
  { readonly ok: true; readonly data: LoadedData } | { readonly ok: false; readonly reason: string };

const CONTROL_FIELDS = new Set([
  'ACCESS',
  'USERID',
  'GROUP',
  'OMIT',
  'PASSWORD',
  'SERIAL',
  'NTNAME',
  'NTDOMAINSID',
  'NTSID',
  'USER.EMAIL',
]);
const ROW_FIELD = '$SectionAccessRow';

const upper = (cell: Cell): string => cellText(cell).trim().toUpperCase();

/** The data `user` may see, or why they are refused. Apps without section access are not reduced. */
export function reduceForUser(data: LoadedData, user: AccessUser): AccessResult {
  const security = data.sectionAccess;
  if (!security || security.length === 0) return { ok: true, data };
  const subject = user.subject.toUpperCase();
  const groups = new Set(user.groups.map((group) => group.toUpperCase()));
  const granted: { table: LoadedTable; row: readonly Cell[]; admin: boolean }[] = [];
  for (const table of security) {
    const at = (field: string) => table.fields.indexOf(field);
    for (const row of table.rows) {
      const access = at('ACCESS') >= 0 ? upper(row[at('ACCESS')] ?? null) : '';
      if (access !== 'USER' && access !== 'ADMIN') continue;
      const userId = at('USERID') >= 0 ? upper(row[at('USERID')] ?? null) : '';
      const group = at('GROUP') >= 0 ? upper(row[at('GROUP')] ?? null) : '';
      const named =
        userId === '*' || (userId !== '' && userId === subject) || group === '*' || (group !== '' && groups.has(group));
      if (named) granted.push({ table, row, admin: access === 'ADMIN' });
    }
  }
  if (granted.length === 0) return { ok: false, reason: 'The user is not in the section access table' };
  const omitted = new Set(
    granted.flatMap(({ table, row }) => {
      const at = table.fields.indexOf('OMIT');
      const field = at < 0 ? '' : cellText(row[at] ?? null).trim();
      return field === '' ? [] : [field];
    }),
  );
  const reduced = reduceRows(data, security, granted);
  return reduced.ok && omitted.size > 0 ? { ok: true, data: withoutFields(reduced.data, omitted) } : reduced;
}

/** The tables without the omitted fields (a table left with no field is dropped). */
function withoutFields(data: LoadedData, omitted: ReadonlySet<string>): LoadedData {
  return {
    tables: data.tables.flatMap((table) => {
      const keep = table.fields.flatMap((field, at) => (omitted.has(field) ? [] : [at]));
      if (keep.length === table.fields.length) return [table];
      if (keep.length === 0) return [];
      return [keepFields(table, keep)];
    }),
  };
}

/** The rows of the app's tables associated with the granted rows' reduction values. */
function reduceRows(
  data: LoadedData,
  security: readonly LoadedTable[],
  granted: readonly { table: LoadedTable; row: readonly Cell[]; admin: boolean }[],
): AccessResult {
  const model = new DataModel(data);
  const reductionFields = [...new Set(security.flatMap((table) => table.fields))].filter(
    (field) => !CONTROL_FIELDS.has(field) && model.field(field),
  );
  if (reductionFields.length === 0) return { ok: true, data: { tables: data.tables } };

  // The user's rows, with `*` spread to every value the security tables list for that field.
  const listed = new Map<string, Exclude<Cell, null>[]>(
    reductionFields.map((field) => [
      field,
      [
        ...new Set(security.flatMap((table) => table.rows.map((row) => row[table.fields.indexOf(field)] ?? null))),
      ].filter((cell): cell is Exclude<Cell, null> => cell !== null && upper(cell) !== '*' && upper(cell) !== ''),
    ]),
  );
  // Each value as the data holds it (a security table's '1' is the data's 1), or undefined if absent.
  const inData = (field: string, cell: Exclude<Cell, null>): Cell | undefined => {
    const { symbols } = model.field(field)!;
    const numeric = typeof cell === 'string' && cell.trim() !== '' ? Number(cell) : Number.NaN;
    const symbol = symbols.find(cell) ?? (Number.isNaN(numeric) ? undefined : symbols.find(numeric));
    if (symbol === undefined) return undefined;
    const num = symbols.nums[symbol]!;
    return Number.isNaN(num) ? symbols.texts[symbol]! : { text: symbols.texts[symbol]!, num };
  };
  const rows: Cell[][] = [];
  for (const { table, row } of granted) {
    const choices = reductionFields.map((field) => {
      const at = table.fields.indexOf(field);
      const cell = at < 0 ? '*' : (row[at] ?? null);
      const values = cell === null || upper(cell) === '' ? [] : upper(cell) === '*' ? listed.get(field)! : [cell];
      return values.flatMap((value) => {
        const found = inData(field, value);
        return found === undefined ? [] : [found];
      });
    });
    for (const combo of product(choices)) rows.push([rows.length, ...combo]);
  }
  if (rows.length === 0) {
    // unverified: an ADMIN row without a valid reduction value opens unreduced rather than denied
    // (registry: engine-section-access-admin-unreduced).
    if (granted.some((grant) => grant.admin)) return { ok: true, data: { tables: data.tables } };
    return { ok: false, reason: "No data matches the user's reduction values" };
  }
  const securityTable: LoadedTable = { name: '$SectionAccess', fields: [ROW_FIELD, ...reductionFields], rows };
  const combined = new DataModel({ tables: [...data.tables, securityTable] });

  const selections = new Selections(combined);
  selections.select(
    ROW_FIELD,
    rows.map((_, index) => index),
  );
  const possible = selections.inference.rows;
  return {
    ok: true,
    data: {
      tables: data.tables.map((table, index) => {
        const mask = possible[index];
        return mask ? keepRows(table, mask) : table;
      }),
    },
  };
}

function product(choices: readonly (readonly Cell[])[]): Cell[][] {
  return choices.reduce<Cell[][]>(
    (combos, values) => combos.flatMap((combo) => values.map((value) => [...combo, value])),
    [[]],
  );
}
