/**
 * The tables a reload produces: the contract between the load-script interpreter, which makes them,
 * and the data model, which indexes them for selections, hypercubes and list objects.
 */

/** A value with both a text and a number, as `Date()`, `Num()` and `Dual()` produce in Qlik. */
export interface Dual {
  readonly text: string;
  readonly num: number;
}

/** One field value of one row: a text, a number, a dual, or null (a missing value). */
export type Cell = null | number | string | Dual;

/**
 * One field of a loaded table, stored as Qlik stores it: the field's distinct values in the order
 * first loaded, and for each row the index of its value (`-1` for null). Rows are never objects.
 */
export interface LoadedColumn {
  readonly values: readonly Cell[];
  readonly indexes: Int32Array;
}

/** A table of the app's data model as the script left it at the end of the reload. */
export interface LoadedTable {
  readonly name: string;
  readonly fields: readonly string[];
  /**
   * One array per row, in field order. A reload's tables are columnar (`columns`): for them this
   * builds the rows on each read, for tests, app files and small tables; the engine reads `columns`.
   */
  readonly rows: readonly (readonly Cell[])[];
  /** The table by field (as `columnsOf` gives it); present on the tables a reload makes. */
  readonly columns?: readonly LoadedColumn[];
}

/** What a successful reload leaves in the app. */
export interface LoadedData {
  /** The tables of SECTION APPLICATION, in load order. */
  readonly tables: readonly LoadedTable[];
  /**
   * The tables loaded in SECTION ACCESS (field names upper-cased, as Qlik does), or absent when the
   * script has no section access. The engine reduces the data model with them when a user opens the app.
   */
  readonly sectionAccess?: readonly LoadedTable[];
}

export const isDual = (cell: Cell): cell is Dual => typeof cell === 'object' && cell !== null;

/** The text Qlik shows for a cell. */
export const cellText = (cell: Cell): string =>
  cell === null ? '' : typeof cell === 'object' ? cell.text : String(cell);

/** The number of a cell, or NaN when it has none (a pure text). */
export const cellNumber = (cell: Cell): number =>
  cell === null ? Number.NaN : typeof cell === 'object' ? cell.num : typeof cell === 'number' ? cell : Number.NaN;

/**
 * A table held by column: what the load-script interpreter leaves in the app. The held data is each
 * field's values and one `Int32Array` of indexes per field, not one object per row. Seen as an object
 * (enumerated, spread, compared, written to an app file as JSON) it is the row form `{ name, fields,
 * rows }`: `rows` is built on each read, and `columns` and `rowCount` are not enumerable.
 */
export class ColumnTable implements LoadedTable {
  declare readonly name: string;
  declare readonly fields: readonly string[];
  declare readonly columns: readonly LoadedColumn[];
  declare readonly rowCount: number;
  declare readonly rows: Cell[][];

  constructor(name: string, fields: readonly string[], columns: readonly LoadedColumn[]) {
    const rowCount = columns[0]?.indexes.length ?? 0;
    Object.defineProperties(this, {
      name: { value: name, enumerable: true },
      fields: { value: fields, enumerable: true },
      rows: { get: () => materialize(columns, rowCount), enumerable: true },
      columns: { value: columns },
      rowCount: { value: rowCount },
    });
  }

  /** A columnar copy of row-shaped data. */
  static fromRows(name: string, fields: readonly string[], rows: readonly (readonly Cell[])[]): ColumnTable {
    const builders = fields.map(() => new ColumnBuilder(rows.length));
    for (const row of rows) builders.forEach((builder, at) => builder.push(row[at] ?? null));
    return new ColumnTable(
      name,
      fields,
      builders.map((builder) => builder.finish()),
    );
  }
}

function materialize(columns: readonly LoadedColumn[], rowCount: number): Cell[][] {
  const rows: Cell[][] = new Array<Cell[]>(rowCount);
  for (let row = 0; row < rowCount; row++) rows[row] = columns.map((column) => cellAt(column, row));
  return rows;
}

/** The cell of `row` in a column. */
export const cellAt = (column: LoadedColumn, row: number): Cell => {
  const index = column.indexes[row]!;
  return index < 0 ? null : column.values[index]!;
};

/** A table's columns: its own when columnar, else built from its rows. */
export const columnsOf = (table: LoadedTable): readonly LoadedColumn[] =>
  table.columns ?? ColumnTable.fromRows(table.name, table.fields, table.rows).columns;

/** The number of rows of a table. */
export const rowCountOf = (table: LoadedTable): number =>
  table.columns ? (table.columns[0]?.indexes.length ?? 0) : table.rows.length;

/**
 * The table with only the rows whose `keep` entry is 1 (columnar); each column keeps only the values
 * its remaining rows use, as a reduced app's fields hold only the values left in its data.
 */
export function keepRows(table: LoadedTable, keep: Uint8Array): ColumnTable {
  const columns = columnsOf(table);
  let count = 0;
  for (let row = 0; row < keep.length; row++) count += keep[row] === 1 ? 1 : 0;
  return new ColumnTable(
    table.name,
    table.fields,
    columns.map(({ values, indexes }) => {
      const renumbered = new Int32Array(values.length).fill(-1);
      const kept: Cell[] = [];
      const rows = new Int32Array(count);
      for (let row = 0, at = 0; row < indexes.length; row++) {
        if (keep[row] !== 1) continue;
        const index = indexes[row]!;
        if (index >= 0 && renumbered[index] === -1) {
          renumbered[index] = kept.length;
          kept.push(values[index]!);
        }
        rows[at++] = index < 0 ? -1 : renumbered[index]!;
      }
      return { values: kept, indexes: rows };
    }),
  );
}

/** The table with only the fields at `positions` (columnar; the columns are shared, not copied). */
export function keepFields(table: LoadedTable, positions: readonly number[]): ColumnTable {
  const columns = columnsOf(table);
  return new ColumnTable(
    table.name,
    positions.map((at) => table.fields[at]!),
    positions.map((at) => columns[at]!),
  );
}

/**
 * Builds a column a cell at a time: each distinct value stored once (texts, numbers and duals kept
 * apart, so a reload's cells come back exactly as loaded), rows as indexes in a growing `Int32Array`.
 */
export class ColumnBuilder {
  readonly values: Cell[] = [];
  #indexes: Int32Array;
  #length = 0;
  readonly #texts = new Map<string, number>();
  readonly #numbers = new Map<number, number>();
  #duals: Map<string, number> | undefined;

  constructor(capacity = 16) {
    this.#indexes = new Int32Array(Math.max(capacity, 1));
  }

  get length(): number {
    return this.#length;
  }

  push(cell: Cell): void {
    if (this.#length === this.#indexes.length) {
      const grown = new Int32Array(this.#indexes.length * 2);
      grown.set(this.#indexes);
      this.#indexes = grown;
    }
    this.#indexes[this.#length++] = cell === null ? -1 : this.#symbol(cell);
  }

  /** Appends `count` nulls. */
  pushNulls(count: number): void {
    for (let i = 0; i < count; i++) this.push(null);
  }

  /** The cell of a row pushed so far. */
  cell(row: number): Cell {
    const index = this.#indexes[row]!;
    return index < 0 ? null : this.values[index]!;
  }

  #symbol(cell: Exclude<Cell, null>): number {
    if (typeof cell === 'number') {
      const known = this.#numbers.get(cell);
      if (known !== undefined) return known;
      this.#numbers.set(cell, this.values.length);
    } else if (typeof cell === 'string') {
      const known = this.#texts.get(cell);
      if (known !== undefined) return known;
      this.#texts.set(cell, this.values.length);
    } else {
      const key = `${cell.num}\u0000${cell.text}`;
      const known = (this.#duals ??= new Map<string, number>()).get(key);
      if (known !== undefined) return known;
      this.#duals.set(key, this.values.length);
    }
    this.values.push(cell);
    return this.values.length - 1;
  }

  /** The finished column (the builder is not used after). */
  finish(): LoadedColumn {
    const indexes = this.#length === this.#indexes.length ? this.#indexes : this.#indexes.slice(0, this.#length);
    return { values: this.values, indexes };
  }
}
