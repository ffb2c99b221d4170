/**
 * Evaluates chart expressions over the data model grouped by dimension fields: the rows of a straight
 * hypercube before sorting and paging. One table drives the grouping (the largest one the chart
 * touches, normally the fact table); dimensions and aggregations over other tables reach it through
 * the key fields, and a row of another table counts once per group however many driving rows reach it.
 */
import type { DataModel } from './data-model.js';
import {
  aggregatesOf,
  evaluate,
  ExpressionError,
  fieldsOf,
  toNumber,
  withImplicitOnly,
  type Expr,
  type Value,
} from './expression.js';
import type { Inference } from './selection.js';

type AggregateNode = Extract<Expr, { kind: 'aggregate' }>;

/** Up to this many dimension-value combinations, groups are found by array slot (16 MB at most). */
const DENSE_KEY_SPACE = 1 << 22;

export interface ChartRow {
  /** One symbol per dimension (`-1` for null). */
  readonly dims: number[];
  /** One value per measure. */
  readonly values: Value[];
}

/** Evaluates `measures` per combination of `dims` over the possible rows; no dims gives one row. */
export function evaluateChart(
  model: DataModel,
  inference: Inference,
  dims: readonly string[],
  measures: readonly Expr[],
): ChartRow[] {
  const nodes = measures.flatMap((measure) => aggregatesOf(measure));
  const dimTables = dims.map((dim) => {
    const field = model.field(dim);
    if (!field) throw new ExpressionError(`Field not found: ${dim}`);
    return largest(model, field.tables);
  });
  const candidateTables = nodes.map((node) => tablesHolding(model, fieldsOf(node.arg)));
  const involved = [...dimTables, ...candidateTables.map((tables) => largest(model, tables))];
  const driver = involved.length > 0 ? largest(model, involved) : -1;
  const nodeTables = candidateTables.map((tables) => (tables.includes(driver) ? driver : largest(model, tables)));

  const groups = new Map<number | string, number>();
  const groupDims: number[][] = [];
  const extraSeen = new Set<string>();
  let addGroup = (combo: number[]): void => void combo;
  const accumulators = nodes.map((node, at) => accumulatorFor(model, node, nodeTables[at]!));
  const seen = nodes.map(() => new Map<number, Set<number>>());
  const mask = (table: number) => inference.rows[table];

  if (dims.length === 0) {
    groupDims.push([]);
    nodes.forEach((node, at) => {
      if ((node.distinct || node.fn === 'only') && node.arg.kind === 'field') {
        // The distinct values of a field do not depend on the table read: count its possible values.
        accumulators[at] = possibleValuesAccumulator(model, inference, node);
        return;
      }
      const table = nodeTables[at]!;
      const possible = mask(table);
      const accumulate = accumulators[at]!;
      const rowCount = model.tables[table]!.rowCount;
      if (accumulate.addRows) {
        const rowGroups = new Int32Array(rowCount);
        if (possible) for (let row = 0; row < rowCount; row++) rowGroups[row] = possible[row] ? 0 : -1;
        accumulate.addRows(rowGroups, 1);
      } else for (let row = 0; row < rowCount; row++) if (!possible || possible[row]) accumulate.add(0, row);
    });
  } else {
    const driverTable = model.tables[driver]!;
    const possible = mask(driver);
    const dimColumns = dims.map((dim) => columnOf(model, driver, dim));
    const dimLinks = dims.map((dim, at) =>
      dimColumns[at] ? undefined : linker(model, inference, driver, dimTables[at]!),
    );
    const nodeLinks = nodeTables.map((table) =>
      table === driver ? undefined : linker(model, inference, driver, table),
    );
    const cardinals = dims.map((dim) => model.field(dim)!.symbols.size + 1);
    const keySpace = cardinals.reduce((product, size) => product * size, 1);
    const numericKeys = keySpace < 2 ** 52;
    // A small key space indexes groups by array slot instead of hashing: the common case of charts.
    const slots = keySpace <= DENSE_KEY_SPACE ? new Int32Array(keySpace).fill(-1) : undefined;
    const keyOf = (combo: number[]): number | string => {
      if (!numericKeys) return combo.join(',');
      let key = 0;
      for (let at = 0; at < combo.length; at++) key = key * cardinals[at]! + combo[at]! + 1;
      return key;
    };
    const groupOf = (combo: number[]): number => {
      const key = keyOf(combo);
      let group = slots ? slots[key as number]! : groups.get(key);
      if (group === undefined || group < 0) {
        group = groupDims.length;
        if (slots) slots[key as number] = group;
        else groups.set(key, group);
        groupDims.push([...combo]);
      }
      return group;
    };
    addGroup = (combo) => void groupOf(combo);
    const single = dimLinks.every((link) => link === undefined);
    const combo = new Array<number>(dims.length);
    if (single && slots && nodeLinks.every((link) => link === undefined)) {
      // Every dimension and aggregation in the driving table: the common chart. Column by column, no
      // object per row: each row's slot in the key space, its group, then each aggregation in one loop.
      const columns = dimColumns as Int32Array[];
      const rowCount = driverTable.rowCount;
      const keys = new Int32Array(rowCount);
      for (let at = 0; at < columns.length; at++) {
        const column = columns[at]!;
        const cardinal = cardinals[at]!;
        for (let row = 0; row < rowCount; row++) keys[row] = keys[row]! * cardinal + column[row]! + 1;
      }
      const rowGroups = keys; // each row's key is replaced by its group, -1 for a row not possible
      for (let row = 0; row < rowCount; row++) {
        if (possible && !possible[row]) {
          rowGroups[row] = -1;
          continue;
        }
        const key = keys[row]!;
        let group = slots[key]!;
        if (group < 0) {
          group = groupDims.length;
          slots[key] = group;
          groupDims.push(columns.map((column) => column[row]!));
        }
        rowGroups[row] = group;
      }
      for (const accumulate of accumulators) {
        if (accumulate.addRows) accumulate.addRows(rowGroups, groupDims.length);
        else for (let row = 0; row < rowCount; row++) if (rowGroups[row]! >= 0) accumulate.add(rowGroups[row]!, row);
      }
    } else {
      for (let row = 0; row < driverTable.rowCount; row++) {
        if (possible && !possible[row]) continue;
        let rowGroups: number[];
        if (single) {
          for (let at = 0; at < dims.length; at++) combo[at] = dimColumns[at]![row]!;
          rowGroups = [groupOf(combo)];
        } else {
          const choices = dims.map((dim, at) => {
            const column = dimColumns[at];
            if (column) return [column[row]!];
            const linked = distinctValues(model, dimTables[at]!, dim, dimLinks[at]!(row));
            return linked.length > 0 ? linked : [-1];
          });
          rowGroups = product(choices).map(groupOf);
        }
        for (let at = 0; at < nodes.length; at++) {
          const accumulate = accumulators[at]!;
          const link = nodeLinks[at];
          for (const group of rowGroups) {
            if (!link) {
              accumulate.add(group, row);
              continue;
            }
            let counted = seen[at]!.get(group);
            if (!counted) seen[at]!.set(group, (counted = new Set()));
            for (const linked of link(row)) {
              if (counted.has(linked)) continue;
              counted.add(linked);
              accumulate.add(group, linked);
            }
          }
        }
      }
    }
  }

  if (dims.length > 0) {
    // Dimension values no driving row reaches still get a row (aggregations over nothing: 0 or null).
    const home = model.tables.findIndex((table) => dims.every((dim) => table.fields.includes(dim)));
    if (home >= 0 && home !== driver) {
      const columns = dims.map((dim) => columnOf(model, home, dim)!);
      const possible = mask(home);
      for (let row = 0; row < model.tables[home]!.rowCount; row++) {
        if (possible && !possible[row]) continue;
        const combo = columns.map((column) => column[row]!);
        const key = combo.join(',');
        if (!extraSeen.has(key)) {
          extraSeen.add(key);
          addGroup(combo);
        }
      }
    }
  }

  return groupDims.map((combo, group) => ({
    dims: combo,
    values: measures.map((measure) => evaluate(measure, (node) => accumulators[nodes.indexOf(node)]!.result(group))),
  }));
}

function largest(model: DataModel, tables: readonly number[]): number {
  let best = tables[0] ?? -1;
  for (const table of tables) if (model.tables[table]!.rowCount > model.tables[best]!.rowCount) best = table;
  return best;
}

function tablesHolding(model: DataModel, fields: ReadonlySet<string>): number[] {
  for (const name of fields) if (!model.field(name)) throw new ExpressionError(`Field not found: ${name}`);
  const tables = model.tables.flatMap((table, index) =>
    [...fields].every((name) => table.fields.includes(name)) ? [index] : [],
  );
  if (tables.length === 0) throw new ExpressionError(`The fields ${[...fields].join(', ')} are not in one table`);
  return tables;
}

function columnOf(model: DataModel, table: number, field: string): Int32Array | undefined {
  const at = model.tables[table]!.fields.indexOf(field);
  return at < 0 ? undefined : model.tables[table]!.columns[at];
}

function distinctValues(model: DataModel, table: number, field: string, rows: readonly number[]): number[] {
  const column = columnOf(model, table, field)!;
  const values = new Set<number>();
  for (const row of rows) values.add(column[row]!);
  return [...values];
}

function product(choices: number[][]): number[][] {
  return choices.reduce<number[][]>(
    (combos, values) => combos.flatMap((combo) => values.map((value) => [...combo, value])),
    [[]],
  );
}

/**
 * The possible rows of `target` associated with one row of `from`, following the shortest chain of
 * key fields between the two tables; results are cached per value of the first key.
 */
function linker(model: DataModel, inference: Inference, from: number, target: number): (row: number) => number[] {
  const hops = pathBetween(model, from, target);
  if (!hops) return () => [];
  const indexes = hops.map(({ field, table }) => rowsByValue(model, table, field));
  const firstColumn = columnOf(model, from, hops[0]!.field)!;
  const cache = new Map<number, number[]>();
  return (row) => {
    const start = firstColumn[row]!;
    const known = cache.get(start);
    if (known) return known;
    let values = start < 0 ? [] : [start];
    let rows: number[] = [];
    hops.forEach(({ table }, at) => {
      const possible = inference.rows[table];
      const next = new Set<number>();
      for (const value of values)
        for (const linked of indexes[at]!.get(value) ?? []) if (!possible || possible[linked]) next.add(linked);
      rows = [...next];
      const following = hops[at + 1];
      if (following) values = distinctValues(model, table, following.field, rows).filter((value) => value >= 0);
    });
    cache.set(start, rows);
    return rows;
  };
}

/** Breadth-first: the key fields and tables from `from` to `target` (undefined when not linked). */
function pathBetween(model: DataModel, from: number, target: number): { field: string; table: number }[] | undefined {
  const previous = new Map<number, { field: string; table: number }>();
  const queue = [from];
  const visited = new Set([from]);
  while (queue.length > 0) {
    const table = queue.shift()!;
    if (table === target) break;
    for (const field of model.tables[table]!.fields) {
      for (const next of model.field(field)!.tables) {
        if (visited.has(next)) continue;
        visited.add(next);
        previous.set(next, { field, table });
        queue.push(next);
      }
    }
  }
  if (!visited.has(target)) return undefined;
  const hops: { field: string; table: number }[] = [];
  for (let table = target; table !== from;) {
    const step = previous.get(table)!;
    hops.unshift({ field: step.field, table });
    table = step.table;
  }
  return hops;
}

function rowsByValue(model: DataModel, table: number, field: string): Map<number, number[]> {
  const column = columnOf(model, table, field)!;
  const index = new Map<number, number[]>();
  for (let row = 0; row < column.length; row++) {
    const value = column[row]!;
    if (value < 0) continue;
    const rows = index.get(value);
    if (rows) rows.push(row);
    else index.set(value, [row]);
  }
  return index;
}

/** Evaluates an expression outside any chart: its aggregations over every possible row. */
export function evaluateExpression(model: DataModel, inference: Inference, expression: Expr): Value {
  return evaluateChart(model, inference, [], [withImplicitOnly(expression)])[0]!.values[0] ?? null;
}

function possibleValuesAccumulator(model: DataModel, inference: Inference, node: AggregateNode): Accumulator {
  const name = (node.arg as { name: string }).name;
  const symbols = model.field(name)!.symbols;
  const possible = inference.possibleValues(name);
  const values: number[] = [];
  for (let symbol = 0; symbol < symbols.size; symbol++) if (!possible || possible[symbol]) values.push(symbol);
  const only = values.length === 1 ? values[0]! : -1;
  return {
    add() {},
    result: () =>
      node.fn === 'count'
        ? values.length
        : only < 0
          ? null
          : Number.isNaN(symbols.nums[only]!)
            ? symbols.texts[only]!
            : symbols.nums[only]!,
  };
}

interface Accumulator {
  add(group: number, row: number): void;
  /** Adds every row at once: `rowGroups[row]` is the row's group, or -1 to leave the row out. */
  addRows?(rowGroups: Int32Array, groupCount: number): void;
  result(group: number): Value;
}

/** How one aggregation reads a row: a plain field by its symbol, anything else by evaluating it. */
function accumulatorFor(model: DataModel, node: AggregateNode, table: number): Accumulator {
  const arg = node.arg;
  let num: (row: number) => number;
  let key: (row: number) => number | string | null;
  let valueOfKey: (key: number | string) => Value;
  if (arg.kind === 'field') {
    const column = columnOf(model, table, arg.name)!;
    const { nums, texts } = model.field(arg.name)!.symbols;
    num = (row) => {
      const symbol = column[row]!;
      return symbol < 0 ? Number.NaN : nums[symbol]!;
    };
    key = (row) => {
      const symbol = column[row]!;
      return symbol < 0 ? null : symbol;
    };
    valueOfKey = (symbol) => {
      const number = nums[symbol as number]!;
      return Number.isNaN(number) ? texts[symbol as number]! : number;
    };
  } else {
    const reads = [...fieldsOf(arg)].map((name) => ({
      name,
      column: columnOf(model, table, name)!,
      symbols: model.field(name)!.symbols,
    }));
    const valueAt = (row: number): Value =>
      evaluate(
        arg,
        () => null,
        (name) => {
          const read = reads.find((candidate) => candidate.name === name)!;
          const symbol = read.column[row]!;
          if (symbol < 0) return null;
          const number = read.symbols.nums[symbol]!;
          return Number.isNaN(number) ? read.symbols.texts[symbol]! : number;
        },
      );
    num = (row) => toNumber(valueAt(row)) ?? Number.NaN;
    key = (row) => valueAt(row);
    valueOfKey = (value) => value;
  }
  switch (node.fn) {
    case 'sum': {
      const sums: number[] = [];
      const column = arg.kind === 'field' ? columnOf(model, table, arg.name)! : undefined;
      return {
        addRows: column
          ? (rowGroups, groupCount) => {
              const nums = Float64Array.from(model.field((arg as { name: string }).name)!.symbols.nums);
              const totals = new Float64Array(groupCount);
              for (let row = 0; row < rowGroups.length; row++) {
                const group = rowGroups[row]!;
                const symbol = column[row]!;
                if (group < 0 || symbol < 0) continue;
                const value = nums[symbol]!;
                if (value === value) totals[group] = totals[group]! + value; // NaN (a text) adds nothing
              }
              for (let group = 0; group < groupCount; group++) sums[group] = totals[group]!;
            }
          : undefined,
        add(group, row) {
          const value = num(row);
          if (!Number.isNaN(value)) sums[group] = (sums[group] ?? 0) + value;
        },
        result: (group) => sums[group] ?? 0,
      };
    }
    case 'avg': {
      const sums: number[] = [];
      const counts: number[] = [];
      return {
        add(group, row) {
          const value = num(row);
          if (Number.isNaN(value)) return;
          sums[group] = (sums[group] ?? 0) + value;
          counts[group] = (counts[group] ?? 0) + 1;
        },
        result: (group) => (counts[group] ? sums[group]! / counts[group] : null),
      };
    }
    case 'min':
    case 'max': {
      const best: number[] = [];
      const better = node.fn === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      return {
        add(group, row) {
          const value = num(row);
          if (!Number.isNaN(value) && (best[group] === undefined || better(value, best[group]))) best[group] = value;
        },
        result: (group) => best[group] ?? null,
      };
    }
    case 'count':
      if (!node.distinct) {
        const counts: number[] = [];
        return {
          add(group, row) {
            if (key(row) !== null) counts[group] = (counts[group] ?? 0) + 1;
          },
          result: (group) => counts[group] ?? 0,
        };
      }
    // falls through: Count(DISTINCT x) and Only(x) both collect the distinct values.
    case 'only': {
      const sets: Set<number | string>[] = [];
      return {
        add(group, row) {
          const value = key(row);
          if (value !== null) (sets[group] ??= new Set()).add(value);
        },
        result(group) {
          const values = sets[group];
          if (node.fn === 'count') return values?.size ?? 0;
          return values?.size === 1 ? valueOfKey(values.values().next().value!) : null;
        },
      };
    }
  }
}
