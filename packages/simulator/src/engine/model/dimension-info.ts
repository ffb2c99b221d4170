/** `NxDimensionInfo` of a field as hypercubes and list objects report it, with its state counts. */
import type { DataModel } from './data-model.js';
import type { Inference, ValueState } from './selection.js';
import { qNum } from './cells.js';
import { sortIndicator, type SortCriteria } from './sorting.js';
import { fieldTags } from './tables-and-keys.js';

export const AUTO_FORMAT = { qType: 'U', qnDec: 10, qUseThou: 0, qFmt: '', qDec: '', qThou: '' };

/** `NxStateCounts` from the states of a field's values. */
export function stateCounts(states: readonly ValueState[], showAlternatives = true): Record<string, number> {
  const counts = {
    qLocked: 0,
    qSelected: 0,
    qOption: 0,
    qDeselected: 0,
    qAlternative: 0,
    qExcluded: 0,
    qSelectedExcluded: 0,
    qLockedExcluded: 0,
  };
  for (const state of states) {
    if (state === 'S') counts.qSelected++;
    else if (state === 'O') counts.qOption++;
    else if (state === 'A' && showAlternatives) counts.qAlternative++;
    else if (state === 'XS') counts.qSelectedExcluded++;
    else counts.qExcluded++;
  }
  return counts;
}

export function dimensionInfo(
  model: DataModel,
  inference: Inference,
  field: string,
  options: { label?: string; sort?: SortCriteria; reverse?: boolean; showAlternatives?: boolean },
): Record<string, unknown> {
  const symbols = model.field(field)!.symbols;
  const numbers = symbols.nums.filter((num) => !Number.isNaN(num));
  const allNumeric = symbols.size > 0 && numbers.length === symbols.size;
  return {
    qFallbackTitle: options.label || field,
    qApprMaxGlyphCount: symbols.texts.reduce((longest, text) => Math.max(longest, text.length), 0),
    qCardinal: symbols.size,
    qLocked: false,
    qSortIndicator: sortIndicator(options.sort, options.reverse ?? false),
    qGroupFallbackTitles: [options.label || field],
    qGroupPos: 0,
    qStateCounts: stateCounts(inference.valueStates(field), options.showAlternatives ?? true),
    qTags: fieldTags(model, field),
    qDimensionType: allNumeric ? 'N' : 'D',
    qReverseSort: options.reverse ?? false,
    qGrouping: 'N',
    qIsSemantic: false,
    qNumFormat: AUTO_FORMAT,
    qIsAutoFormat: true,
    qGroupFieldDefs: [field],
    qMin: qNum(numbers.length > 0 ? Math.min(...numbers) : Number.NaN),
    qMax: qNum(numbers.length > 0 ? Math.max(...numbers) : Number.NaN),
    qContinuousAxes: false,
    qIsCyclic: false,
    qDerivedField: false,
    qAttrExprInfo: [],
    qAttrDimInfo: [],
    qCardinalities: { qCardinal: symbols.size, qHypercubeCardinal: 0, qAllValuesCardinal: -1 },
  };
}

/** A dimension's field from its definition (`Name` or `[Name]`); a calculated one (`=...`) is undefined. */
export function fieldOfDefinition(definition: unknown): string | undefined {
  if (typeof definition !== 'string') return undefined;
  const text = definition.trim();
  if (text === '' || text.startsWith('=')) return undefined;
  return /^\[(.*)\]$/.exec(text)?.[1] ?? text;
}
