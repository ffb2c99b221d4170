/**
 * The data model the engine builds from a reload's tables, as Qlik's associative engine does: one
 * symbol table per field (shared by every table holding the field, so equal values associate), table
 * rows as symbol indexes in typed arrays, and a synthetic key (`$Syn n` in a `$Syn n Table`) wherever
 * tables share more than one field.
 */
import { columnsOf, rowCountOf, type LoadedData, type LoadedTable } from '../table.js';
import { FieldSymbols, NULL_SYMBOL } from './symbols.js';

export interface ModelTable {
  readonly name: string;
  /** Field names, in column order (a synthetic key replaces the fields it combines). */
  readonly fields: string[];
  /** One column of symbol indexes per field (`NULL_SYMBOL` for null). */
  readonly columns: Int32Array[];
  readonly rowCount: number;
  readonly synthetic: boolean;
  /** The fields and columns as loaded, before synthetic keys replaced shared fields. */
  readonly sourceFields: readonly string[];
  readonly sourceColumns: readonly Int32Array[];
}

export interface ModelField {
  readonly name: string;
  readonly symbols: FieldSymbols;
  /** Indexes (into `DataModel.tables`) of the tables holding the field. */
  readonly tables: number[];
  readonly synthetic: boolean;
}

export interface SyntheticKey {
  /** `$Syn 1`, `$Syn 2`... */
  readonly name: string;
  /** The fields it combines. */
  readonly fields: readonly string[];
  /** The tables it links (not its own `$Syn n Table`). */
  readonly tables: readonly string[];
}

export class DataModel {
  readonly tables: ModelTable[];
  readonly fields = new Map<string, ModelField>();
  readonly syntheticKeys: SyntheticKey[] = [];
  /** For each table, the id of its connected component (tables linked through shared fields). */
  readonly components: number[];

  constructor(data: LoadedData) {
    const symbols = new Map<string, FieldSymbols>();
    const symbolsOf = (field: string): FieldSymbols => {
      let table = symbols.get(field);
      if (!table) symbols.set(field, (table = new FieldSymbols()));
      return table;
    };
    this.tables = data.tables.map((table) => symbolize(table, symbolsOf));
    this.#addSyntheticKeys(symbolsOf);
    for (const [name, fieldSymbols] of symbols) {
      const tables = this.tables.flatMap((table, index) => (table.fields.includes(name) ? [index] : []));
      if (tables.length > 0)
        this.fields.set(name, { name, symbols: fieldSymbols, tables, synthetic: name.startsWith('$Syn ') });
    }
    this.components = this.#connectedComponents();
  }

  field(name: string): ModelField | undefined {
    return this.fields.get(name);
  }

  /** Tables that share more than one field get one synthetic key replacing the shared fields. */
  #addSyntheticKeys(symbolsOf: (field: string) => FieldSymbols): void {
    for (;;) {
      const shared = this.#firstMultiFieldLink();
      if (!shared) return;
      const name = `$Syn ${this.syntheticKeys.length + 1}`;
      const keySymbols = symbolsOf(name);
      const members = this.tables.filter((table) => shared.every((field) => table.fields.includes(field)));
      const combos: number[][] = [];
      const comboIndex = new Map<string, number>();
      for (const table of members) {
        const parts = shared.map((field) => table.columns[table.fields.indexOf(field)] as Int32Array);
        const key = new Int32Array(table.rowCount);
        for (let row = 0; row < table.rowCount; row++) {
          const combo = parts.map((column) => column[row] as number);
          const text = combo.join(',');
          let symbol = comboIndex.get(text);
          if (symbol === undefined) {
            symbol = keySymbols.add(combos.length);
            comboIndex.set(text, symbol);
            combos.push(combo);
          }
          key[row] = symbol;
        }
        for (const field of shared) {
          const at = table.fields.indexOf(field);
          table.fields.splice(at, 1);
          table.columns.splice(at, 1);
        }
        table.fields.push(name);
        table.columns.push(key);
      }
      this.syntheticKeys.push({ name, fields: shared, tables: members.map((table) => table.name) });
      this.tables.push({
        name: `${name} Table`,
        fields: [name, ...shared],
        columns: [
          Int32Array.from(combos, (_, index) => index),
          ...shared.map((_, part) => Int32Array.from(combos, (combo) => combo[part] as number)),
        ],
        rowCount: combos.length,
        synthetic: true,
        sourceFields: [],
        sourceColumns: [],
      });
    }
  }

  #firstMultiFieldLink(): string[] | undefined {
    for (let i = 0; i < this.tables.length; i++) {
      for (let j = i + 1; j < this.tables.length; j++) {
        const other = this.tables[j] as ModelTable;
        const shared = (this.tables[i] as ModelTable).fields.filter((field) => other.fields.includes(field));
        if (shared.length > 1) return shared;
      }
    }
    return undefined;
  }

  #connectedComponents(): number[] {
    const component = this.tables.map((_, index) => index);
    const root = (index: number): number => {
      while (component[index] !== index) index = component[index] as number;
      return index;
    };
    for (const field of this.fields.values()) {
      const [first, ...rest] = field.tables;
      for (const other of rest) component[root(other)] = root(first as number);
    }
    return component.map((_, index) => root(index));
  }
}

/**
 * The table's columns in the model's symbol tables: each column's distinct values are added to the
 * field's symbols (so a reload's columns cost one lookup per distinct value, not per row); when the
 * symbols come out in the column's own order, the column's indexes are used as they are.
 */
function symbolize(table: LoadedTable, symbolsOf: (field: string) => FieldSymbols): ModelTable {
  const loaded = columnsOf(table);
  const columns = table.fields.map((field, at) => {
    const symbols = symbolsOf(field);
    const { values, indexes } = loaded[at]!;
    const symbolOf = new Int32Array(values.length);
    let same = true;
    for (let value = 0; value < values.length; value++) {
      const symbol = symbols.add(values[value] ?? null);
      symbolOf[value] = symbol;
      if (symbol !== value) same = false;
    }
    if (same) return indexes;
    const mapped = new Int32Array(indexes.length);
    for (let row = 0; row < indexes.length; row++) {
      const index = indexes[row]!;
      mapped[row] = index < 0 ? NULL_SYMBOL : symbolOf[index]!;
    }
    return mapped;
  });
  return {
    name: table.name,
    fields: [...table.fields],
    columns,
    rowCount: rowCountOf(table),
    synthetic: false,
    sourceFields: [...table.fields],
    sourceColumns: [...columns],
  };
}

export { NULL_SYMBOL };
