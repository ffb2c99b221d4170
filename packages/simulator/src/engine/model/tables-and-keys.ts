/**
 * `Doc.GetTablesAndKeys` over a data model: the tables with their fields' statistics (`TableRecord`,
 * `FieldInTableData`) and the keys linking them (`SourceKeyRecord`). In synthetic mode the tables are
 * the model's own, `$Syn n Table`s included; otherwise they are the tables as loaded and a synthetic
 * key is reported as one key over the fields it combines.
 */
import type { DataModel, ModelTable } from './data-model.js';

type KeyType = 'NOT_KEY' | 'ANY_KEY' | 'PRIMARY_KEY' | 'PERFECT_KEY';

export function tablesAndKeys(
  model: DataModel,
  syntheticMode: boolean,
): { qtr: Record<string, unknown>[]; qk: Record<string, unknown>[] } {
  const tables = model.tables.filter((table) => syntheticMode || !table.synthetic);
  const fieldsOf = (table: ModelTable) => (syntheticMode ? table.fields : table.sourceFields);
  const columnsOf = (table: ModelTable) => (syntheticMode ? table.columns : table.sourceColumns);
  const holders = new Map<string, string[]>();
  for (const table of tables)
    for (const field of fieldsOf(table)) holders.set(field, [...(holders.get(field) ?? []), table.name]);
  const qtr = tables.map((table, position) => ({
    qName: table.name,
    qLoose: false,
    qNoOfRows: table.rowCount,
    qFields: fieldsOf(table).map((fieldName, column) => {
      const field = model.field(fieldName)!;
      const values = columnsOf(table)[column]!;
      const present = new Set<number>();
      let nonNulls = 0;
      for (const symbol of values) {
        if (symbol < 0) continue;
        nonNulls++;
        present.add(symbol);
      }
      const total = field.symbols.size;
      const isKey = (holders.get(fieldName)?.length ?? 0) > 1;
      const primary = nonNulls === table.rowCount && present.size === table.rowCount;
      const keyType: KeyType = !isKey
        ? 'NOT_KEY'
        : !primary
          ? 'ANY_KEY'
          : present.size === total
            ? 'PERFECT_KEY'
            : 'PRIMARY_KEY';
      return {
        qName: fieldName,
        qOriginalFields: [],
        qPresent: true,
        qHasNull: nonNulls < table.rowCount,
        qHasWild: false,
        qHasDuplicates: present.size < nonNulls,
        qIsSynthetic: field.synthetic,
        qInformationDensity: table.rowCount === 0 ? 0 : nonNulls / table.rowCount,
        qnNonNulls: nonNulls,
        qnRows: table.rowCount,
        qSubsetRatio: total === 0 ? 0 : present.size / total,
        qnTotalDistinctValues: total,
        qnPresentDistinctValues: present.size,
        qKeyType: keyType,
        qComment: '',
        qTags: fieldTags(model, fieldName),
        qDerivedFields: [],
        qIsFieldOnTheFly: false,
        qReadableName: fieldName,
      };
    }),
    qPos: { qx: position * 200, qy: 0 },
    qComment: '',
    qIsDirectDiscovery: false,
    qIsSynthetic: table.synthetic,
    qTableTags: [],
  }));
  const qk = [...holders]
    .filter(([, names]) => names.length > 1)
    .map(([field, names]) => ({ qKeyFields: [field], qTables: names }));
  if (!syntheticMode) {
    // As loaded, the tables sharing a synthetic key's fields are linked by all of them at once.
    for (const key of model.syntheticKeys) {
      for (let at = qk.length - 1; at >= 0; at--) if (key.fields.includes(qk[at]!.qKeyFields[0]!)) qk.splice(at, 1);
      qk.push({ qKeyFields: [...key.fields], qTables: [...key.tables] });
    }
  }
  return { qtr, qk };
}

/** The tags the engine gives a field from its values: `$key`, `$numeric`/`$integer`, `$text`, `$ascii`. */
export function fieldTags(model: DataModel, fieldName: string): string[] {
  const field = model.field(fieldName);
  if (!field) return [];
  const tags: string[] = [];
  if (field.tables.length > 1) tags.push('$key');
  const { nums, texts } = field.symbols;
  if (field.synthetic) tags.push('$syn');
  if (nums.length > 0 && nums.every((num) => !Number.isNaN(num))) {
    tags.push('$numeric');
    if (nums.every((num) => Number.isInteger(num))) tags.push('$integer');
  } else if (texts.length > 0) {
    tags.push('$text');
    // eslint-disable-next-line no-control-regex
    if (texts.every((text) => /^[\x00-\x7f]*$/.test(text))) tags.push('$ascii');
  }
  return tags;
}
