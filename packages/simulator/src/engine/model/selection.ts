/**
 * Selections and the associative inference over them: the rows of every table still possible given
 * the selected values, propagated through the fields tables share until nothing changes, and each
 * field value's state (selected, optional, alternative, excluded) as a list object shows it.
 */
import type { DataModel } from './data-model.js';

/** Selected symbols per field name. */
export type FieldSelections = ReadonlyMap<string, ReadonlySet<number>>;

/** `S` selected, `O` optional (possible), `A` alternative, `X` excluded, `XS` selected but excluded. */
export type ValueState = 'S' | 'O' | 'A' | 'X' | 'XS';

export class Inference {
  /** Per table, the possible rows (1) or `undefined` when every row is possible. */
  readonly rows: (Uint8Array | undefined)[];
  readonly #possible = new Map<string, Uint8Array | undefined>();

  constructor(
    readonly model: DataModel,
    readonly selections: FieldSelections,
  ) {
    this.rows = inferRows(model, selections);
  }

  /** The possible symbols of a field (1), or `undefined` when all are possible. */
  possibleValues(fieldName: string): Uint8Array | undefined {
    if (this.#possible.has(fieldName)) return this.#possible.get(fieldName);
    const field = this.model.field(fieldName);
    let possible: Uint8Array | undefined;
    if (field && field.tables.some((table) => this.rows[table] !== undefined)) {
      possible = new Uint8Array(field.symbols.size);
      for (const index of field.tables) {
        const table = this.model.tables[index]!;
        const column = table.columns[table.fields.indexOf(fieldName)]!;
        const mask = this.rows[index];
        for (let row = 0; row < table.rowCount; row++) {
          const symbol = column[row]!;
          if (symbol >= 0 && (!mask || mask[row])) possible[symbol] = 1;
        }
      }
    }
    this.#possible.set(fieldName, possible);
    return possible;
  }

  /** The state of every symbol of a field. */
  valueStates(fieldName: string): ValueState[] {
    const field = this.model.field(fieldName);
    if (!field) return [];
    const selected = this.selections.get(fieldName);
    const possible = this.possibleValues(fieldName);
    // Alternatives: values the other fields' selections would still allow.
    let alternative: Uint8Array | undefined;
    if (selected) {
      const others = new Map(this.selections);
      others.delete(fieldName);
      alternative = new Inference(this.model, others).possibleValues(fieldName);
    }
    const states = new Array<ValueState>(field.symbols.size);
    for (let symbol = 0; symbol < field.symbols.size; symbol++) {
      const isPossible = !possible || possible[symbol] === 1;
      if (selected?.has(symbol)) states[symbol] = isPossible ? 'S' : 'XS';
      else if (isPossible && !selected) states[symbol] = 'O';
      else if (selected && (!alternative || alternative[symbol] === 1)) states[symbol] = 'A';
      else states[symbol] = 'X';
    }
    return states;
  }
}

/**
 * The possible rows of every table: rows that take part in a row of the tables' natural outer join
 * consistent with every selection, as Qlik's logical inference defines them. A table is constrained
 * through a key field only by the branches beyond it that hold selections, so selecting a customer
 * without orders keeps the customer selected and excludes every order. Computed by passing value sets
 * along the table–key graph (exact when the model has no circular references).
 */
function inferRows(model: DataModel, selections: FieldSelections): (Uint8Array | undefined)[] {
  if (selections.size === 0) return model.tables.map(() => undefined);
  const selectedMasks = new Map<string, Uint8Array>();
  for (const [name, symbols] of selections) {
    const field = model.field(name);
    if (!field) continue;
    const mask = new Uint8Array(field.symbols.size);
    for (const symbol of symbols) if (symbol >= 0 && symbol < mask.length) mask[symbol] = 1;
    selectedMasks.set(name, mask);
  }
  const memo = new Map<string, Uint8Array | undefined>();
  const computing = new Set<string>();
  const column = (table: number, field: string) =>
    model.tables[table]!.columns[model.tables[table]!.fields.indexOf(field)]!;

  /** Rows of `table` meeting its own selections and the constraints of every key but `except`. */
  const matchingRows = (table: number, except: string | undefined): Uint8Array | undefined => {
    const { fields, rowCount } = model.tables[table]!;
    let rows: Uint8Array | undefined;
    for (const field of fields) {
      const own = selectedMasks.get(field);
      const beyond = field !== except && model.field(field)!.tables.length > 1 ? fieldToTable(field, table) : undefined;
      for (const allowed of [own, beyond]) {
        if (!allowed) continue;
        rows ??= new Uint8Array(rowCount).fill(1);
        const values = column(table, field);
        for (let row = 0; row < rowCount; row++)
          if (rows[row] && !(values[row]! >= 0 && allowed[values[row]!])) rows[row] = 0;
      }
    }
    return rows;
  };

  /** The values of `field` that the rows of `table` (and the branches beyond it) still allow. */
  const tableToField = (table: number, field: string): Uint8Array | undefined =>
    cached(`t${table}>${field}`, () => {
      const rows = matchingRows(table, field);
      if (!rows) return undefined;
      const values = column(table, field);
      const allowed = new Uint8Array(model.field(field)!.symbols.size);
      for (let row = 0; row < rows.length; row++) if (rows[row] && values[row]! >= 0) allowed[values[row]!] = 1;
      return allowed;
    });

  /** The values of a key field that the other tables holding it allow `table`. */
  const fieldToTable = (field: string, table: number): Uint8Array | undefined =>
    cached(`${field}>t${table}`, () => {
      let allowed: Uint8Array | undefined;
      for (const other of model.field(field)!.tables) {
        if (other === table) continue;
        const values = tableToField(other, field);
        if (!values) continue;
        if (!allowed) allowed = values.slice();
        else
          for (let symbol = 0; symbol < allowed.length; symbol++) allowed[symbol] = allowed[symbol]! & values[symbol]!;
      }
      return allowed;
    });

  function cached(key: string, compute: () => Uint8Array | undefined): Uint8Array | undefined {
    if (memo.has(key)) return memo.get(key);
    if (computing.has(key)) return undefined; // a circular reference: this branch constrains nothing more
    computing.add(key);
    const value = compute();
    computing.delete(key);
    memo.set(key, value);
    return value;
  }

  return model.tables.map((_, table) => matchingRows(table, undefined));
}

/** A session's selections over one data model; `inference` is recomputed only after a change. */
export class Selections {
  readonly #selected = new Map<string, Set<number>>();
  #inference: Inference | undefined;

  constructor(readonly model: DataModel) {}

  get inference(): Inference {
    return (this.#inference ??= new Inference(this.model, this.#selected));
  }

  get current(): FieldSelections {
    return this.#selected;
  }

  /**
   * Selects `symbols` in a field (replacing its selection, or toggling them into it with `toggle`).
   * An empty result clears the field. Returns whether the selection changed.
   */
  select(fieldName: string, symbols: Iterable<number>, toggle = false): boolean {
    if (!this.model.field(fieldName)) return false;
    const before = this.#selected.get(fieldName);
    const next = new Set(toggle ? before : []);
    for (const symbol of symbols) {
      if (toggle && next.has(symbol)) next.delete(symbol);
      else next.add(symbol);
    }
    if (sameSet(before, next)) return false;
    if (next.size === 0) this.#selected.delete(fieldName);
    else this.#selected.set(fieldName, next);
    this.#inference = undefined;
    return true;
  }

  clear(fieldName: string): boolean {
    if (!this.#selected.delete(fieldName)) return false;
    this.#inference = undefined;
    return true;
  }

  clearAll(): boolean {
    if (this.#selected.size === 0) return false;
    this.#selected.clear();
    this.#inference = undefined;
    return true;
  }
}

function sameSet(a: ReadonlySet<number> | undefined, b: ReadonlySet<number>): boolean {
  const size = a?.size ?? 0;
  if (size !== b.size) return false;
  for (const value of b) if (!a?.has(value)) return false;
  return true;
}
