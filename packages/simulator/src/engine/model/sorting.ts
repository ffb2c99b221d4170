/**
 * Sort criteria (`NxSortCriteria`) as the engine applies them to a column: by state, expression,
 * frequency, number, text, then load order (the priority Qlik documents), 1 ascending, -1 descending.
 * Values without a number sort after numbers, nulls last.
 */

export interface SortCriteria {
  readonly qSortByState?: number;
  readonly qSortByFrequency?: number;
  readonly qSortByNumeric?: number;
  readonly qSortByAscii?: number;
  readonly qSortByLoadOrder?: number;
  readonly qSortByExpression?: number;
}

/** What a column offers to sort by for one row. */
export interface SortKeys {
  /** 0 selected, 1 optional, 2 alternative/excluded. */
  readonly state: number;
  readonly expression: number;
  readonly frequency: number;
  readonly number: number;
  readonly text: string;
  readonly loadOrder: number;
  readonly isNull: boolean;
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

const numeric = (a: number, b: number): number => {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a - b;
};

/** A comparator of rows by one column's criteria; `reverse` flips it (`qReverseSort`). */
export function comparatorFor(
  criteria: SortCriteria | undefined,
  reverse: boolean,
  fallbackLoadOrder: boolean,
): ((a: SortKeys, b: SortKeys) => number) | undefined {
  const steps: ((a: SortKeys, b: SortKeys) => number)[] = [];
  const by = (direction: number | undefined, compare: (a: SortKeys, b: SortKeys) => number, nanAware = false) => {
    if (!direction) return;
    const sign = direction > 0 ? 1 : -1;
    steps.push(nanAware ? (a, b) => directed(a.number, b.number, sign) : (a, b) => sign * compare(a, b));
  };
  by(criteria?.qSortByState, (a, b) => a.state - b.state);
  by(criteria?.qSortByExpression, (a, b) => numeric(a.expression, b.expression));
  by(criteria?.qSortByFrequency, (a, b) => a.frequency - b.frequency);
  by(criteria?.qSortByNumeric, () => 0, true);
  by(
    criteria?.qSortByAscii,
    (a, b) => collator.compare(a.text, b.text) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
  by(criteria?.qSortByLoadOrder, (a, b) => a.loadOrder - b.loadOrder);
  if (steps.length === 0 && fallbackLoadOrder) steps.push((a, b) => a.loadOrder - b.loadOrder);
  if (steps.length === 0) return undefined;
  const flip = reverse ? -1 : 1;
  return (a, b) => {
    if (a.isNull !== b.isNull) return a.isNull ? 1 : -1;
    for (const step of steps) {
      const order = step(a, b);
      if (order !== 0) return flip * order;
    }
    return 0;
  };
}

/** Numbers in `sign` order, values without a number after them either way. */
function directed(a: number, b: number, sign: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return sign * (a - b);
}

/** The engine's `qSortIndicator` for a column: `A`scending, `D`escending or `N`one. */
export function sortIndicator(criteria: SortCriteria | undefined, reverse: boolean): 'A' | 'D' | 'N' {
  const first = [
    criteria?.qSortByState,
    criteria?.qSortByExpression,
    criteria?.qSortByFrequency,
    criteria?.qSortByNumeric,
    criteria?.qSortByAscii,
    criteria?.qSortByLoadOrder,
  ].find((direction) => direction);
  if (!first) return 'N';
  return first > 0 !== reverse ? 'A' : 'D';
}
