/**
 * List objects (`qListObjectDef`): every value of one field with its selection state (`S`, `O`, `A`
 * when `qShowAlternatives`, else `X`, `XS`), sorted by the field's criteria, paged like a hypercube.
 */
import { clipPage, symbolCell } from './cells.js';
import type { DataModel } from './data-model.js';
import { dimensionInfo, fieldOfDefinition } from './dimension-info.js';
import {
  LOCERR_CALC_INVALID_DEF,
  list,
  MAX_PAGE_CELLS,
  PageTooLargeError,
  record,
  requestedCells,
} from './hypercube.js';
import type { Inference, ValueState } from './selection.js';
import { comparatorFor, type SortCriteria } from './sorting.js';
import { wireText } from '../../http/wire-text.js';

const STATE_ORDER: Record<ValueState, number> = { S: 0, O: 1, A: 2, X: 3, XS: 3 };

export class ListObject {
  readonly field: string | undefined;
  readonly #definition: Record<string, unknown>;
  readonly #showAlternatives: boolean;
  readonly #symbols: number[] = [];
  readonly #states: ValueState[] = [];

  constructor(
    definition: Record<string, unknown>,
    readonly model: DataModel,
    readonly inference: Inference,
  ) {
    this.#definition = definition;
    this.#showAlternatives = definition.qShowAlternatives === true;
    const def = record(definition.qDef);
    const field = fieldOfDefinition(list(def.qFieldDefs)[0]);
    this.field = field && model.field(field) ? field : undefined;
    if (!this.field) return;
    const { texts, nums, size } = model.field(this.field)!.symbols;
    this.#states = inference.valueStates(this.field);
    const sort = record(list(def.qSortCriterias)[0]) as SortCriteria;
    const compare = comparatorFor(sort, def.qReverseSort === true, true)!;
    const keys = Array.from({ length: size }, (_, symbol) => ({
      state: STATE_ORDER[this.#states[symbol]!],
      expression: Number.NaN,
      frequency: 0,
      number: nums[symbol]!,
      text: texts[symbol]!,
      loadOrder: symbol,
      isNull: false,
    }));
    this.#symbols = keys.map((_, symbol) => symbol).sort((a, b) => compare(keys[a]!, keys[b]!) || a - b);
  }

  /** `ListObject`: what a layout shows, with the pages of `qInitialDataFetch`. */
  layout(): Record<string, unknown> {
    const def = record(this.#definition.qDef);
    const stateName = this.#definition.qStateName;
    const base = {
      qStateName: typeof stateName === 'string' && stateName ? stateName : '$',
      qSize: { qcx: 1, qcy: this.#symbols.length },
    };
    if (!this.field) {
      const title = wireText(list(def.qFieldDefs)[0]);
      const qError = {
        qErrorCode: LOCERR_CALC_INVALID_DEF,
        qContext: '',
        qExtendedMessage: `Field not found: ${title}`,
      };
      return { ...base, qError, qDimensionInfo: { qFallbackTitle: title, qError }, qExpressions: [], qDataPages: [] };
    }
    const label = list(def.qFieldLabels)[0];
    return {
      ...base,
      qDimensionInfo: dimensionInfo(this.model, this.inference, this.field, {
        ...(typeof label === 'string' ? { label } : {}),
        sort: record(list(def.qSortCriterias)[0]),
        reverse: def.qReverseSort === true,
        showAlternatives: this.#showAlternatives,
      }),
      qExpressions: [],
      qDataPages: list(this.#definition.qInitialDataFetch).map((page) => this.page(page)),
    };
  }

  page(request: unknown): Record<string, unknown> {
    const area = clipPage(request, 1, this.#symbols.length);
    if (requestedCells(request) > MAX_PAGE_CELLS) throw new PageTooLargeError('Requested page is too large');
    const symbols = this.field ? this.model.field(this.field)!.symbols : undefined;
    const qMatrix =
      area.qWidth === 0 || !symbols
        ? []
        : this.#symbols
            .slice(area.qTop, area.qTop + area.qHeight)
            .map((symbol) => [symbolCell(symbols, symbol, this.#state(symbol))]);
    return { qMatrix, qTails: [], qArea: area };
  }

  #state(symbol: number): ValueState {
    const state = this.#states[symbol]!;
    return state === 'A' && !this.#showAlternatives ? 'X' : state;
  }
}
