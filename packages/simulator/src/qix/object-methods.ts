import type { AppObjects, LiveObject } from './app-objects.js';
import { QixErrorCode, QixBackendError } from './errors.js';
import { isRecord, objectLayout, objectMeta, type LayoutContext } from './layout.js';

/** What object methods need from the session: the objects, handles and the clock. */
export interface ObjectContext {
  readonly objects: AppObjects;
  readonly kind: 'base' | 'user';
  readonly layout: LayoutContext;
  /** The handle of the object (the same one for every call that returns it). */
  handleOf(object: LiveObject): number;
  /** Closes the handles of destroyed objects; returns them for the reply's `close`. */
  closeHandles(ids: readonly string[]): number[];
  now(): string;
}

export interface ObjectResult {
  readonly result: Record<string, unknown>;
  readonly change?: number[];
  readonly close?: number[];
}

/** `ObjectInterface` of a generic object; `qHandle: null` is how the engine says "no such object". */
export function objectInterface(object: LiveObject | undefined, handle: number | undefined): Record<string, unknown> {
  if (!object || handle === undefined) return { qType: null, qHandle: null, qGenericType: null, qGenericId: null };
  return { qType: 'GenericObject', qHandle: handle, qGenericType: object.type, qGenericId: object.id };
}

/** The object methods of Doc: create, get, list and destroy generic objects. */
export function docObjectMethod(
  context: ObjectContext,
  method: string,
  args: Record<string, unknown>,
): ObjectResult | undefined {
  const { objects } = context;
  const reply = (object: LiveObject): ObjectResult => ({
    result: { qReturn: objectInterface(object, context.handleOf(object)) },
  });
  switch (method) {
    case 'CreateSessionObject':
      return reply(objects.create(props(args.qProp), { session: true, kind: context.kind, now: context.now() }));
    case 'CreateObject': {
      const object = objects.create(props(args.qProp), { session: false, kind: context.kind, now: context.now() });
      const handle = context.handleOf(object);
      return { result: { qReturn: objectInterface(object, handle), qInfo: { qId: object.id, qType: object.type } } };
    }
    case 'GetObject': {
      const object = objects.get(args.qId as string);
      return object ? reply(object) : { result: { qReturn: objectInterface(undefined, undefined) } };
    }
    case 'GetObjects': {
      const options = isRecord(args.qOptions) ? args.qOptions : {};
      const types = Array.isArray(options.qTypes) ? options.qTypes.filter((t) => typeof t === 'string' && t) : [];
      const list = objects
        .all()
        .filter((object) => (options.qIncludeSessionObjects === true || !object.session) && !object.parentId)
        .filter((object) => types.length === 0 || types.includes(object.type))
        .map((object) => ({
          qInfo: { qId: object.id, qType: object.type },
          // The meta alone: evaluating the whole layout would compute every chart's data.
          qMeta: objectMeta(object, object.properties.qMetaDef),
          qData: {},
        }));
      return { result: { qList: list } };
    }
    case 'DestroyObject':
    case 'DestroySessionObject': {
      const ids = objects.destroy(args.qId as string, method === 'DestroySessionObject');
      return { result: { qSuccess: ids.length > 0 }, close: context.closeHandles(ids) };
    }
    default:
      return undefined;
  }
}

/** The GenericObject methods: layout, properties, children. */
export function genericObjectMethod(
  context: ObjectContext,
  object: LiveObject,
  method: string,
  args: Record<string, unknown>,
): ObjectResult | undefined {
  const self = context.handleOf(object);
  switch (method) {
    case 'GetLayout':
      return { result: { qLayout: objectLayout(object, context.layout) } };
    case 'GetProperties':
    case 'GetEffectiveProperties':
      return { result: { qProp: structuredClone(object.properties) } };
    case 'SetProperties':
      context.objects.setProperties(object, props(args.qProp), context.now());
      return { result: {}, change: [self] };
    case 'GetInfo':
      return { result: { qInfo: { qId: object.id, qType: object.type } } };
    case 'GetChildInfos':
      return {
        result: { qInfos: context.objects.children(object.id).map((child) => ({ qId: child.id, qType: child.type })) },
      };
    case 'CreateChild': {
      const child = context.objects.create(props(args.qProp), {
        session: object.session,
        kind: object.kind,
        parentId: object.id,
        now: context.now(),
      });
      if (isRecord(args.qPropForThis)) context.objects.setProperties(object, args.qPropForThis, context.now());
      context.handleOf(child);
      return { result: { qInfo: { qId: child.id, qType: child.type } }, change: [self] };
    }
    case 'GetChild': {
      const child = context.objects.children(object.id).find((candidate) => candidate.id === args.qId);
      return { result: { qReturn: objectInterface(child, child ? context.handleOf(child) : undefined) } };
    }
    case 'DestroyChild': {
      const child = context.objects.children(object.id).find((candidate) => candidate.id === args.qId);
      const ids = child ? context.objects.destroy(child.id, child.session) : [];
      return { result: { qSuccess: ids.length > 0 }, change: [self], close: context.closeHandles(ids) };
    }
    case 'GetFullPropertyTree':
      return { result: { qPropEntry: propertyTree(context.objects, object) } };
    default:
      return undefined;
  }
}

function propertyTree(objects: AppObjects, object: LiveObject): Record<string, unknown> {
  return {
    qProperty: structuredClone(object.properties),
    qChildren: objects.children(object.id).map((child) => propertyTree(objects, child)),
    qEmbeddedSnapshotRef: null,
  };
}

function props(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new QixBackendError(QixErrorCode.INVALID_PARAMETERS, 'qProp must be an object', 'qProp');
  return value;
}
