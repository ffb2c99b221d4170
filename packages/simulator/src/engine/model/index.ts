/** The engine's data model: symbol tables, associations, selections and what QIX computes over them. */
export { DataModel, NULL_SYMBOL, type ModelField, type ModelTable, type SyntheticKey } from './data-model.js';
export { FieldSymbols } from './symbols.js';
export { Inference, Selections, type FieldSelections, type ValueState } from './selection.js';
export { fieldTags, tablesAndKeys } from './tables-and-keys.js';
