/**
 * Straight hypercubes (`qHyperCubeDef`, mode `S`): dimensions over fields, measures over chart
 * expressions, null and zero suppression, sorting by `qInterColumnSortOrder`, grand totals, and data
 * pages (`NxDataPage`). A definition the engine cannot compute gets `qError` (LOCERR_CALC_INVALID_DEF).
 */
import { clipPage, symbolCell, valueCell } from './cells.js';
import { evaluateChart, type ChartRow } from './chart.js';
import type { DataModel } from './data-model.js';
import { AUTO_FORMAT, dimensionInfo, fieldOfDefinition } from './dimension-info.js';
import { ExpressionError, parseExpression, toNumber, withImplicitOnly, type Expr } from './expression.js';
import type { Inference } from './selection.js';
import { comparatorFor, sortIndicator, type SortCriteria, type SortKeys } from './sorting.js';
import { wireText } from '../../http/wire-text.js';

export const LOCERR_CALC_INVALID_DEF = 7000;
export const LOCERR_CALC_PAGES_TOO_LARGE = 7009;
/** The most cells one data page may hold. */
export const MAX_PAGE_CELLS = 10_000;

interface DimensionDef {
  readonly field: string | undefined;
  readonly source: string;
  readonly label?: string;
  readonly sort?: SortCriteria;
  readonly reverse: boolean;
  readonly nullSuppression: boolean;
  readonly sortExpression?: Expr;
}

interface MeasureDef {
  readonly expression: Expr | undefined;
  readonly source: string;
  readonly label?: string;
  readonly sort?: SortCriteria;
  readonly reverse: boolean;
  readonly error?: string;
}

export class PageTooLargeError extends Error {
  readonly code = LOCERR_CALC_PAGES_TOO_LARGE;
}

/** Computed hypercubes per selection state (an `Inference`), by definition; a few per state. */
const computed = new WeakMap<Inference, Map<string, HyperCube>>();
const CUBES_PER_STATE = 32;

export class HyperCube {
  /**
   * The hypercube of `definition` in the state of `inference`, computed once: as Qlik's engine caches
   * a calculation's result, a layout and the data pages that follow it (or another session in the same
   * selection state) read one computed cube. Selections make a new `Inference`, hence a new cube.
   */
  static of(definition: Record<string, unknown>, model: DataModel, inference: Inference): HyperCube {
    let cubes = computed.get(inference);
    if (!cubes) computed.set(inference, (cubes = new Map<string, HyperCube>()));
    const key = JSON.stringify(definition);
    let cube = cubes.get(key);
    if (!cube || cube.model !== model) {
      cube = new HyperCube(structuredClone(definition), model, inference);
      if (cubes.size >= CUBES_PER_STATE) cubes.delete(cubes.keys().next().value!);
      cubes.set(key, cube);
    }
    return cube;
  }

  readonly #dims: DimensionDef[];
  readonly #measures: MeasureDef[];
  readonly #definition: Record<string, unknown>;
  readonly #rows: ChartRow[] = [];
  #totals: ChartRow | undefined;
  readonly #order: number[];
  readonly #error: string | undefined;

  constructor(
    definition: Record<string, unknown>,
    readonly model: DataModel,
    readonly inference: Inference,
  ) {
    this.#definition = definition;
    this.#dims = list(definition.qDimensions).map(parseDimension);
    this.#measures = list(definition.qMeasures).map(parseMeasure);
    const width = this.#dims.length + this.#measures.length;
    this.#order = interColumnOrder(definition.qInterColumnSortOrder, width);
    this.#error =
      definition.qMode !== undefined && definition.qMode !== 'S' && definition.qMode !== 'DATA_MODE_STRAIGHT'
        ? `Hypercube mode ${wireText(definition.qMode)} is not supported`
        : this.#dims.find((dim) => !dim.field || !model.field(dim.field))
          ? 'Invalid dimension'
          : this.#measures.find((measure) => measure.error)?.error;
    if (this.#error !== undefined) return;
    try {
      const measures = this.#measures.map((measure) => measure.expression!);
      const sortExpressions = this.#dims.flatMap((dim) => (dim.sortExpression ? [dim.sortExpression] : []));
      const fields = this.#dims.map((dim) => dim.field!);
      this.#rows = this.#suppress(evaluateChart(model, inference, fields, [...measures, ...sortExpressions]));
      this.#sort();
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.#error = error.message;
      this.#rows = [];
    }
  }

  get size(): { qcx: number; qcy: number } {
    return { qcx: this.#dims.length + this.#measures.length, qcy: this.#rows.length };
  }

  /** The field of dimension `index` (for `SelectHyperCubeValues`). */
  dimensionField(index: number): string | undefined {
    return this.#dims[index]?.field;
  }

  /** `HyperCube`: what a layout shows, with the pages of `qInitialDataFetch`. */
  layout(): Record<string, unknown> {
    const error = this.#error === undefined ? {} : { qError: validationError(this.#error) };
    return {
      qStateName:
        typeof this.#definition.qStateName === 'string' && this.#definition.qStateName
          ? this.#definition.qStateName
          : '$',
      qSize: this.size,
      ...error,
      qDimensionInfo: this.#dims.map((dim) =>
        dim.field && this.model.field(dim.field)
          ? dimensionInfo(this.model, this.inference, dim.field, {
              label: dim.label,
              sort: dim.sort,
              reverse: dim.reverse,
            })
          : { qFallbackTitle: dim.label || dim.source, qError: validationError('Invalid dimension') },
      ),
      qMeasureInfo: this.#measures.map((measure, index) => this.#measureInfo(measure, index)),
      qEffectiveInterColumnSortOrder: this.#order,
      qGrandTotalRow: this.#measures.map((_, index) => ({
        ...valueCell(this.#grandTotals()?.values[index] ?? null),
        qElemNumber: -1,
        qState: 'L',
        qIsTotalCell: true,
      })),
      qDataPages:
        this.#error === undefined ? list(this.#definition.qInitialDataFetch).map((page) => this.page(page)) : [],
      qPivotDataPages: [],
      qStackedDataPages: [],
      qMode: 'S',
      qNoOfLeftDims: -1,
      qIndentMode: false,
      qLastExpandedPos: { qx: 0, qy: 0 },
      qHasOtherValues: false,
      qTitle: typeof this.#definition.qTitle === 'string' ? this.#definition.qTitle : '',
      qTreeNodesOnDim: [],
      qColumnOrder: Array.isArray(this.#definition.qColumnOrder) ? this.#definition.qColumnOrder : [],
    };
  }

  /** One `NxDataPage`; more than 10,000 cells is LOCERR_CALC_PAGES_TOO_LARGE. */
  page(request: unknown): Record<string, unknown> {
    const { qcx, qcy } = this.size;
    const area = clipPage(request, qcx, qcy);
    if (requestedCells(request) > MAX_PAGE_CELLS) throw new PageTooLargeError('Requested page is too large');
    const qMatrix: Record<string, unknown>[][] = [];
    for (let row = area.qTop; row < area.qTop + area.qHeight; row++) {
      const cells: Record<string, unknown>[] = [];
      for (let column = area.qLeft; column < area.qLeft + area.qWidth; column++) cells.push(this.#cell(row, column));
      qMatrix.push(cells);
    }
    return { qMatrix, qTails: this.#dims.map(() => ({ qUp: 0, qDown: 0 })), qArea: area };
  }

  /** The measures over every possible row, computed when a layout first asks for them. */
  #grandTotals(): ChartRow | undefined {
    if (this.#error !== undefined) return undefined;
    this.#totals ??= evaluateChart(
      this.model,
      this.inference,
      [],
      this.#measures.map((measure) => measure.expression!),
    )[0];
    return this.#totals;
  }

  #cell(row: number, column: number): Record<string, unknown> {
    const data = this.#rows[row]!;
    if (column < this.#dims.length) {
      const field = this.#dims[column]!.field!;
      const symbol = data.dims[column]!;
      return symbolCell(this.model.field(field)!.symbols, symbol, this.#isSelected(field, symbol) ? 'S' : 'O');
    }
    return { ...valueCell(data.values[column - this.#dims.length] ?? null), qElemNumber: 0, qState: 'L' };
  }

  #isSelected(field: string, symbol: number): boolean {
    return this.inference.selections.get(field)?.has(symbol) ?? false;
  }

  #measureInfo(measure: MeasureDef, index: number): Record<string, unknown> {
    const numbers = this.#rows.flatMap((row) => {
      const value = toNumber(row.values[index] ?? null);
      return value === null ? [] : [value];
    });
    return {
      qFallbackTitle: measure.label || measure.source,
      qApprMaxGlyphCount: this.#rows.reduce(
        (longest, row) => Math.max(longest, valueCell(row.values[index] ?? null).qText.length),
        0,
      ),
      qCardinal: 0,
      qSortIndicator: sortIndicator(measure.sort, measure.reverse),
      qNumFormat: AUTO_FORMAT,
      qMin: numbers.length > 0 ? Math.min(...numbers) : 'NaN',
      qMax: numbers.length > 0 ? Math.max(...numbers) : 'NaN',
      qReverseSort: measure.reverse,
      qIsAutoFormat: true,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
      qTrendLines: [],
      ...(measure.error === undefined ? {} : { qError: validationError(measure.error) }),
    };
  }

  #suppress(rows: ChartRow[]): ChartRow[] {
    const measureCount = this.#measures.length;
    const suppressZero = this.#definition.qSuppressZero === true;
    const suppressMissing = this.#definition.qSuppressMissing === true;
    return rows.filter((row) => {
      if (this.#dims.some((dim, at) => dim.nullSuppression && row.dims[at]! < 0)) return false;
      if (measureCount === 0) return true;
      const measures = row.values.slice(0, measureCount);
      if (suppressMissing && measures.every((value) => value === null)) return false;
      if (suppressZero && measures.every((value) => value === null || toNumber(value) === 0)) return false;
      return true;
    });
  }

  #sort(): void {
    let sortExpressionAt = this.#measures.length;
    const comparators = [
      ...this.#dims.map((dim, at) => {
        const field = dim.field!;
        const { texts, nums } = this.model.field(field)!.symbols;
        const expressionAt = dim.sortExpression ? sortExpressionAt++ : -1;
        const compare = comparatorFor(dim.sort, dim.reverse, true)!;
        const keys = this.#rows.map((row): SortKeys => {
          const symbol = row.dims[at]!;
          return {
            state: this.#isSelected(field, symbol) ? 0 : 1,
            expression: expressionAt < 0 ? Number.NaN : (toNumber(row.values[expressionAt] ?? null) ?? Number.NaN),
            frequency: 0,
            number: symbol < 0 ? Number.NaN : nums[symbol]!,
            text: symbol < 0 ? '' : texts[symbol]!,
            loadOrder: symbol,
            isNull: symbol < 0,
          };
        });
        return { compare, keys };
      }),
      ...this.#measures.map((measure, at) => {
        const compare = comparatorFor(measure.sort, measure.reverse, false);
        const keys = this.#rows.map((row, index): SortKeys => {
          const value = row.values[at] ?? null;
          return {
            state: 1,
            expression: Number.NaN,
            frequency: 0,
            number: toNumber(value) ?? Number.NaN,
            text: valueCell(value).qText,
            loadOrder: index,
            isNull: value === null,
          };
        });
        return { compare, keys };
      }),
    ];
    const order = this.#order.map((column) => comparators[column]!).filter((column) => column.compare);
    const indexes = this.#rows.map((_, index) => index);
    indexes.sort((a, b) => {
      for (const { compare, keys } of order) {
        const result = compare!(keys[a]!, keys[b]!);
        if (result !== 0) return result;
      }
      return a - b;
    });
    const sorted = indexes.map((index) => this.#rows[index]!);
    this.#rows.splice(0, this.#rows.length, ...sorted);
  }
}

function parseDimension(value: unknown): DimensionDef {
  const definition = record(record(value).qDef);
  const source = wireText(list(definition.qFieldDefs)[0]);
  const sort = record(list(definition.qSortCriterias)[0]) as SortCriteria & { qExpression?: { qv?: unknown } };
  let sortExpression: Expr | undefined;
  if (sort.qSortByExpression && typeof sort.qExpression?.qv === 'string' && sort.qExpression.qv.trim() !== '') {
    try {
      sortExpression = withImplicitOnly(parseExpression(sort.qExpression.qv));
    } catch {
      sortExpression = undefined;
    }
  }
  const label = list(definition.qFieldLabels)[0];
  return {
    field: fieldOfDefinition(source),
    source,
    ...(typeof label === 'string' && label !== '' ? { label } : {}),
    sort,
    reverse: definition.qReverseSort === true,
    nullSuppression: record(value).qNullSuppression === true,
    ...(sortExpression ? { sortExpression } : {}),
  };
}

function parseMeasure(value: unknown): MeasureDef {
  const definition = record(record(value).qDef);
  const source = typeof definition.qDef === 'string' ? definition.qDef : '';
  const label = typeof definition.qLabel === 'string' && definition.qLabel !== '' ? definition.qLabel : undefined;
  const common = {
    source,
    ...(label ? { label } : {}),
    sort: record(record(value).qSortBy) as SortCriteria,
    reverse: definition.qReverseSort === true,
  };
  try {
    return { ...common, expression: withImplicitOnly(parseExpression(source)) };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { ...common, expression: undefined, error: error.message };
  }
}

function interColumnOrder(value: unknown, width: number): number[] {
  const given = list(value).filter(
    (column): column is number => Number.isInteger(column) && (column as number) >= 0 && (column as number) < width,
  );
  const order = [...new Set(given)];
  for (let column = 0; column < width; column++) if (!order.includes(column)) order.push(column);
  return order;
}

/** The cells a page asks for, before clipping to the cube (the engine refuses more than 10,000). */
export function requestedCells(request: unknown): number {
  const { qWidth = 0, qHeight = 0 } = record(request) as { qWidth?: number; qHeight?: number };
  return Math.max(0, qWidth) * Math.max(0, qHeight);
}

function validationError(message: string): Record<string, unknown> {
  return { qErrorCode: LOCERR_CALC_INVALID_DEF, qContext: '', qExtendedMessage: message };
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
