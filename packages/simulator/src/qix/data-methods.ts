/**
 * The QIX methods over the app's data model: fields and selections (`GetField`, `Field.Select`...,
 * `ClearAll`), `GetTablesAndKeys`, `Evaluate`/`EvaluateEx`, and the data definitions in generic objects
 * (`qHyperCubeDef`, `qListObjectDef`, `qFieldListDef` in layouts; `GetHyperCubeData`,
 * `GetListObjectData`, `SelectHyperCubeValues`, `SelectListObjectValues`). Selections are the session's.
 */
import {
  DataModel,
  evaluateExpression,
  ExpressionError,
  fieldTags,
  formatNumber,
  HyperCube,
  ListObject,
  PageTooLargeError,
  parseExpression,
  tablesAndKeys,
  type Selections,
  type Value,
} from '../engine/model/index.js';
import type { LiveObject } from './app-objects.js';
import { QixErrorCode, QixBackendError } from './errors.js';
import { isRecord, resolvePointer } from './layout.js';
import { wireText } from '../http/wire-text.js';

/** What the data methods need from the session. */
export interface DataContext {
  /** The session's selections over the model it sees (reduced by section access). */
  selections(): Selections;
  /** The handles whose layouts a selection change invalidates (the doc and every open object). */
  invalidated(): number[];
  /** The handle of a field (the same one for every `GetField` of it). */
  fieldHandle(fieldName: string): number;
}

export interface DataResult {
  readonly result: Record<string, unknown>;
  readonly change?: number[];
}

export function docDataMethod(
  context: DataContext,
  method: string,
  args: Record<string, unknown>,
): DataResult | undefined {
  const selections = () => context.selections();
  switch (method) {
    case 'GetField': {
      const name = args.qFieldName as string;
      if (!selections().model.field(name))
        return { result: { qReturn: { qType: null, qHandle: null, qGenericType: null, qGenericId: null } } };
      return {
        result: { qReturn: { qType: 'Field', qHandle: context.fieldHandle(name), qGenericType: '', qGenericId: name } },
      };
    }
    case 'ClearAll':
      return changed(context, selections().clearAll(), {});
    case 'GetTablesAndKeys':
      return { result: tablesAndKeys(selections().model, args.qSyntheticMode === true) };
    case 'Evaluate':
      return { result: { qReturn: evaluated(selections(), args.qExpression as string).qText } };
    case 'EvaluateEx':
      return { result: { qValue: evaluated(selections(), args.qExpression as string) } };
    default:
      return undefined;
  }
}

/**
 * `Evaluate`'s text (and `EvaluateEx`'s `FieldValue`). An expression the engine cannot evaluate gives
 * the text "Error: <why>" (unverified: what real Qlik answers for each kind of bad expression; registry:
 * engine-evaluate-error-text).
 */
function evaluated(selections: Selections, source: string): { qText: string; qIsNumeric: boolean; qNumber: number } {
  let value: Value;
  try {
    value = evaluateExpression(selections.model, selections.inference, parseExpression(source));
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { qText: `Error: ${error.message}`, qIsNumeric: false, qNumber: 0 };
  }
  if (value === null) return { qText: '-', qIsNumeric: false, qNumber: 0 };
  if (typeof value === 'number') return { qText: formatNumber(value), qIsNumeric: true, qNumber: value };
  return { qText: value, qIsNumeric: false, qNumber: 0 };
}

export function fieldMethod(
  context: DataContext,
  fieldName: string,
  method: string,
  args: Record<string, unknown>,
): DataResult | undefined {
  const selections = context.selections();
  const field = selections.model.field(fieldName);
  if (!field) throw new QixBackendError(QixErrorCode.NOT_FOUND, 'Field not found', fieldName);
  const { symbols } = field;
  const all = () => Array.from({ length: symbols.size }, (_, symbol) => symbol);
  switch (method) {
    case 'Select':
    case 'ToggleSelect': {
      const matches = all().filter(matcher(wireText(args.qMatch), symbols.texts, symbols.nums));
      if (matches.length === 0 && method === 'Select') return { result: { qReturn: false } };
      return changed(context, selections.select(fieldName, matches, method === 'ToggleSelect'), { qReturn: true });
    }
    case 'SelectValues': {
      const values = Array.isArray(args.qFieldValues) ? args.qFieldValues : [];
      const matches = values.flatMap((value) => {
        const { qText, qIsNumeric, qNumber } = isRecord(value) ? value : {};
        const symbol =
          qIsNumeric === true && typeof qNumber === 'number' ? symbols.find(qNumber) : symbols.find(wireText(qText));
        return symbol === undefined ? [] : [symbol];
      });
      return changed(context, selections.select(fieldName, matches, args.qToggleMode === true), { qReturn: true });
    }
    case 'SelectAll':
      return changed(context, selections.select(fieldName, possibleSymbols(selections, fieldName, all())), {
        qReturn: true,
      });
    case 'Clear':
      return changed(context, selections.clear(fieldName), { qReturn: true });
    case 'ClearAllButThis': {
      let any = false;
      for (const other of [...selections.current.keys()]) if (other !== fieldName) any = selections.clear(other) || any;
      return changed(context, any, { qReturn: true });
    }
    case 'GetCardinal':
      return { result: { qReturn: symbols.size } };
    default:
      return undefined;
  }
}

function possibleSymbols(selections: Selections, fieldName: string, symbols: number[]): number[] {
  const possible = selections.inference.possibleValues(fieldName);
  return possible ? symbols.filter((symbol) => possible[symbol]) : symbols;
}

/**
 * `Field.Select`'s `qMatch`: a text (case-insensitive), wildcards `*` and `?`, or a numeric search
 * (`>10`, `<=5`, `=3`).
 */
function matcher(match: string, texts: readonly string[], nums: readonly number[]): (symbol: number) => boolean {
  const numeric = /^\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(match);
  if (numeric) {
    const [, op, operand] = numeric;
    const limit = Number(operand);
    const test = {
      '>=': (n: number) => n >= limit,
      '<=': (n: number) => n <= limit,
      '>': (n: number) => n > limit,
      '<': (n: number) => n < limit,
      '=': (n: number) => n === limit,
    }[op as '>='];
    return (symbol) => !Number.isNaN(nums[symbol]!) && test(nums[symbol]!);
  }
  const pattern = new RegExp(
    `^${match
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return (symbol) => pattern.test(texts[symbol]!);
}

export function objectDataMethod(
  context: DataContext,
  object: LiveObject,
  method: string,
  args: Record<string, unknown>,
): DataResult | undefined {
  const selections = context.selections();
  const definition = () => {
    const found = resolvePointer(object.properties, wireText(args.qPath));
    if (!isRecord(found)) throw new QixBackendError(QixErrorCode.INVALID_PATH, 'Invalid path', wireText(args.qPath));
    return found;
  };
  const pages = (): unknown[] => (Array.isArray(args.qPages) ? (args.qPages as unknown[]) : []);
  switch (method) {
    case 'GetHyperCubeData': {
      const cube = HyperCube.of(definition(), selections.model, selections.inference);
      return { result: { qDataPages: paged(() => pages().map((page) => cube.page(page))) } };
    }
    case 'GetListObjectData': {
      const list = new ListObject(definition(), selections.model, selections.inference);
      return { result: { qDataPages: paged(() => pages().map((page) => list.page(page))) } };
    }
    case 'SelectHyperCubeValues': {
      const field = HyperCube.of(definition(), selections.model, selections.inference).dimensionField(
        Number(args.qDimNo),
      );
      if (!field || !selections.model.field(field)) return { result: { qSuccess: false } };
      return select(context, field, args.qValues, args.qToggleMode === true);
    }
    case 'SelectListObjectValues': {
      const field = new ListObject(definition(), selections.model, selections.inference).field;
      if (!field) return { result: { qSuccess: false } };
      return select(context, field, args.qValues, args.qToggleMode === true);
    }
    default:
      return undefined;
  }
}

function select(context: DataContext, field: string, values: unknown, toggle: boolean): DataResult {
  const size = context.selections().model.field(field)!.symbols.size;
  const symbols = (Array.isArray(values) ? values : []).filter(
    (value): value is number => Number.isInteger(value) && value >= 0 && value < size,
  );
  return changed(context, context.selections().select(field, symbols, toggle), { qSuccess: true });
}

function paged(compute: () => Record<string, unknown>[]): Record<string, unknown>[] {
  try {
    return compute();
  } catch (error) {
    if (error instanceof PageTooLargeError) throw new QixBackendError(error.code, error.message);
    throw error;
  }
}

function changed(context: DataContext, didChange: boolean, result: Record<string, unknown>): DataResult {
  return didChange ? { result, change: context.invalidated() } : { result };
}

/** Layout evaluators of the data definitions, for `objectLayout`. */
export function dataEvaluators(context: DataContext): Record<string, (definition: Record<string, unknown>) => unknown> {
  return {
    qHyperCubeDef: (definition) => {
      const selections = context.selections();
      return HyperCube.of(definition, selections.model, selections.inference).layout();
    },
    qListObjectDef: (definition) => {
      const selections = context.selections();
      return new ListObject(definition, selections.model, selections.inference).layout();
    },
    qFieldListDef: (definition) => fieldList(context.selections().model, definition),
  };
}

/** `FieldList`: the model's fields; system fields (`$Syn n`) only with `qShowSystem`. */
function fieldList(model: DataModel, definition: Record<string, unknown>): Record<string, unknown> {
  const items = [...model.fields.values()]
    .filter((field) => definition.qShowSystem === true || !field.synthetic)
    .map((field) => ({
      qName: field.name,
      qCardinal: field.symbols.size,
      qTags: fieldTags(model, field.name),
      qIsSystem: field.synthetic,
      qIsHidden: false,
      qIsSemantic: false,
      qAndMode: false,
      ...(definition.qShowSrcTables === true
        ? { qSrcTables: field.tables.map((index) => model.tables[index]!.name) }
        : {}),
    }));
  return { qItems: items };
}
