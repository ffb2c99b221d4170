import type { AppObjects, LiveObject } from './app-objects.js';

/**
 * A generic object's layout from its properties, as the engine evaluates it: `qMetaDef` becomes
 * `qMeta`, and definitions anywhere in the tree are replaced by what they evaluate to
 * (`qAppObjectListDef` → `qAppObjectList`, `qChildListDef` → `qChildList`). Definitions over data
 * (`qHyperCubeDef`, `qListObjectDef`) are evaluated by `evaluators`.
 */
export interface LayoutContext {
  readonly objects: AppObjects;
  /** Further definition evaluators, keyed by the definition's property name (e.g. `qHyperCubeDef`). */
  readonly evaluators?: Readonly<Record<string, (definition: Record<string, unknown>, objectId: string) => unknown>>;
}

export function objectLayout(object: LiveObject, context: LayoutContext): Record<string, unknown> {
  const { qMetaDef, qInfo: _info, ...rest } = object.properties;
  return {
    ...(evaluate(rest, object, context) as Record<string, unknown>),
    qInfo: { qId: object.id, qType: object.type },
    qMeta: objectMeta(object, qMetaDef),
    qSelectionInfo: {},
  };
}

/** The `qMeta` of an object: its `qMetaDef` plus what the engine adds. */
export function objectMeta(object: LiveObject, metaDef: unknown): Record<string, unknown> {
  return {
    ...(isRecord(metaDef) ? structuredClone(metaDef) : {}),
    privileges: ['read', 'update', 'delete', 'exportdata'],
    createdDate: object.createdDate,
    modifiedDate: object.modifiedDate,
    published: false,
    approved: object.kind === 'base',
    ...(object.ownerId !== undefined ? { owner: { id: object.ownerId } } : {}),
  };
}

function evaluate(value: unknown, object: LiveObject, context: LayoutContext): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, object, context));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const evaluator = context.evaluators?.[key];
    if (key === 'qAppObjectListDef' && isRecord(inner)) out.qAppObjectList = appObjectList(inner, context);
    else if (key === 'qChildListDef' && isRecord(inner)) out.qChildList = childList(inner, object, context);
    else if (evaluator && isRecord(inner)) out[key.replace(/Def$/, '')] = evaluator(inner, object.id);
    else out[key] = evaluate(inner, object, context);
  }
  return out;
}

/** `qAppObjectListDef {qType, qData}`: every visible object of that type, `qData` paths resolved. */
function appObjectList(definition: Record<string, unknown>, context: LayoutContext): Record<string, unknown> {
  const type = typeof definition.qType === 'string' ? definition.qType : '';
  const items = context.objects
    .all()
    .filter((candidate) => candidate.type === type && !candidate.session)
    .map((candidate) => listItem(candidate, definition.qData));
  return { qItems: items };
}

/** `qChildListDef {qData}`: the object's children. */
function childList(definition: Record<string, unknown>, object: LiveObject, context: LayoutContext) {
  return { qItems: context.objects.children(object.id).map((child) => listItem(child, definition.qData)) };
}

function listItem(object: LiveObject, data: unknown): Record<string, unknown> {
  const qData: Record<string, unknown> = {};
  if (isRecord(data)) {
    for (const [name, path] of Object.entries(data)) {
      qData[name] = typeof path === 'string' ? resolvePointer(object.properties, path) : path;
    }
  }
  return {
    qInfo: { qId: object.id, qType: object.type },
    qMeta: objectMeta(object, object.properties.qMetaDef),
    qData,
  };
}

/** A JSON Pointer (`/qMetaDef/title`) into the properties; a missing path is `null`, as in the engine. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return pointer;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isRecord(current)) current = current[key];
    else return null;
  }
  return current === undefined ? null : structuredClone(current);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
