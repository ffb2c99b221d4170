/** A field's symbol table: its distinct values, each with a text and a number, in load order. */
import { cellNumber, cellText, type Cell } from '../table.js';

/** The symbol index of a missing value (null) in a column. */
export const NULL_SYMBOL = -1;

export class FieldSymbols {
  readonly texts: string[] = [];
  /** NaN for a value without a number (a pure text). */
  readonly nums: number[] = [];
  /** Numbers (and duals) are keyed by their number, texts by their text: `1` and `'1'` differ. */
  readonly #index = new Map<number | string, number>();

  get size(): number {
    return this.texts.length;
  }

  /**
   * The symbol of `cell`, added when new. A number seen again with another text keeps the first text,
   * as Qlik keeps the first representation of a number it loads.
   */
  add(cell: Cell): number {
    if (cell === null) return NULL_SYMBOL;
    const key = typeof cell === 'string' ? cell : cellNumber(cell);
    const known = this.#index.get(key);
    if (known !== undefined) return known;
    const symbol = this.texts.length;
    this.#index.set(key, symbol);
    this.texts.push(cellText(cell));
    this.nums.push(cellNumber(cell));
    return symbol;
  }

  /** The symbol of an existing value, or undefined. */
  find(cell: Exclude<Cell, null>): number | undefined {
    return this.#index.get(typeof cell === 'string' ? cell : cellNumber(cell));
  }

  isNumeric(symbol: number): boolean {
    return !Number.isNaN(this.nums[symbol] ?? Number.NaN);
  }
}
