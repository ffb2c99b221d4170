/** The engine's data model: symbol tables, associations, selections and what QIX computes over them. */
export { DataModel, NULL_SYMBOL, type ModelField, type ModelTable, type SyntheticKey } from './data-model.js';
export { FieldSymbols } from './symbols.js';
export { Inference, Selections, type FieldSelections, type ValueState } from './selection.js';
export { fieldTags, tablesAndKeys } from './tables-and-keys.js';
export { evaluateChart, evaluateExpression, type ChartRow } from './chart.js';
export { ExpressionError, parseExpression, withImplicitOnly, type Expr, type Value } from './expression.js';
export { HyperCube, LOCERR_CALC_PAGES_TOO_LARGE, PageTooLargeError } from './hypercube.js';
export { ListObject } from './list-object.js';
export { formatNumber, valueCell } from './cells.js';
export { reduceForUser, type AccessResult, type AccessUser } from './section-access.js';
