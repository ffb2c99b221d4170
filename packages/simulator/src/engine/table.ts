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

/** A table of the app's data model as the script left it at the end of the reload. */
export interface LoadedTable {
  readonly name: string;
  readonly fields: readonly string[];
  /** One array per row, in field order. */
  readonly rows: readonly (readonly Cell[])[];
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
