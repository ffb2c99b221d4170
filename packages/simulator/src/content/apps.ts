/**
 * App logic: create, import/export through the simulator's QVF format, copy, publish and republish,
 * move, change owner, delete. Pure functions over a tenant's `ContentState`; the HTTP layer is in
 * `apps-routes.ts`, and the engine and QSEoW backends call these directly (see `backend.ts`).
 */
import type { LoadedData } from '../engine/table.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { guid, objectId } from './ids.js';
import { QvfFormatError, decodeQvf, encodeQvf, type QvfContent, type QvfObject } from './qvf.js';
import { getSpace } from './spaces.js';
import type { AppRecord, ContentState } from './state.js';

export interface NewAppInput {
  id?: string;
  name: string;
  description?: string;
  spaceId?: string | undefined;
  ownerId: string;
  script?: string;
  properties?: Record<string, unknown>;
  objects?: QvfObject[];
  hasData?: boolean;
  data?: LoadedData | undefined;
  distributed?: boolean;
}

export function getApp(state: ContentState, appId: string): AppRecord {
  const app = state.apps.get(appId);
  if (!app) throw notFoundError(`app ${appId}`);
  return app;
}

function checkSpace(state: ContentState, spaceId: string | undefined): void {
  if (spaceId !== undefined) getSpace(state, spaceId);
}

export function createApp(state: ContentState, input: NewAppInput, now: number): AppRecord {
  if (input.name.trim() === '') throw badRequestError('an app needs a name');
  checkSpace(state, input.spaceId);
  const id = input.id ?? guid();
  if (state.apps.has(id)) throw new ContentError(409, 'HTTP-409', 'Conflict', `app ${id} already exists`);
  const app = newAppRecord({ ...input, id }, now);
  state.apps.set(app.id, app);
  return app;
}

/**
 * A new, unpublished app record as of `now`, not yet stored and not checked: `createApp` checks its name,
 * space and id, the state file's seeding skips what it cannot use.
 */
export function newAppRecord(input: NewAppInput & { id: string }, now: number): AppRecord {
  return {
    id: input.id,
    itemId: objectId(),
    name: input.name,
    description: input.description ?? '',
    spaceId: input.spaceId,
    ownerId: input.ownerId,
    createdDate: now,
    modifiedDate: now,
    published: false,
    publishTime: undefined,
    originAppId: undefined,
    lastReloadTime: undefined,
    script: input.script ?? '',
    properties: { ...(input.properties ?? {}) },
    objects: (input.objects ?? []).map(cloneObject),
    hasData: input.hasData ?? false,
    data: input.data,
    distributed: input.distributed ?? false,
  };
}

/** The app as a QVF content (what export writes). Users' own objects travel too, as in a real export. */
export function appContent(app: AppRecord, options: { noData?: boolean } = {}): QvfContent {
  return {
    name: app.name,
    description: app.description,
    script: app.script,
    properties: structuredClone(app.properties),
    objects: app.objects.map(cloneObject),
    hasData: options.noData ? false : app.hasData,
    data: options.noData ? undefined : app.data,
  };
}

function cloneObject(object: QvfObject): QvfObject {
  return structuredClone(object);
}

export function exportApp(app: AppRecord, options: { noData?: boolean } = {}): Uint8Array {
  return encodeQvf(appContent(app, options));
}

export interface ImportOptions {
  spaceId?: string | undefined;
  name?: string | undefined;
  /** `NEW` (default) or `AUTOREPLACE` (replace `appId` when it exists). */
  mode?: string | undefined;
  appId?: string | undefined;
  noData?: boolean;
}

export function importApp(
  state: ContentState,
  bytes: Uint8Array,
  options: ImportOptions,
  userId: string,
  now: number,
): AppRecord {
  let content: QvfContent;
  try {
    content = decodeQvf(bytes);
  } catch (error) {
    if (error instanceof QvfFormatError)
      throw badRequestError(`the uploaded file is not a valid app: ${error.message}`);
    throw error;
  }
  checkSpace(state, options.spaceId);
  const mode = (options.mode ?? 'NEW').toUpperCase();
  if (mode !== 'NEW' && mode !== 'AUTOREPLACE') throw badRequestError('mode must be NEW or AUTOREPLACE');
  const name = options.name ?? content.name;
  const hasData = options.noData ? false : content.hasData;
  if (mode === 'AUTOREPLACE' && options.appId !== undefined) {
    const existing = state.apps.get(options.appId);
    if (existing) {
      replaceContent(existing, content, { keepUserObjects: false, withData: true, now });
      existing.name = name;
      existing.hasData = hasData;
      if (options.spaceId !== undefined) existing.spaceId = options.spaceId;
      return existing;
    }
  }
  return createApp(
    state,
    {
      ...(mode === 'AUTOREPLACE' && options.appId !== undefined ? { id: options.appId } : {}),
      name,
      description: content.description,
      spaceId: options.spaceId,
      ownerId: userId,
      script: content.script,
      properties: content.properties,
      objects: content.objects,
      hasData,
    },
    now,
  );
}

function replaceContent(
  target: AppRecord,
  content: QvfContent,
  options: { keepUserObjects: boolean; withData: boolean; now: number },
): void {
  const userObjects = options.keepUserObjects ? target.objects.filter((o) => o.kind === 'user') : [];
  const baseObjects = content.objects.filter((o) => o.kind === 'base' || !options.keepUserObjects);
  target.script = content.script;
  target.properties = structuredClone(content.properties);
  target.objects = [...baseObjects.map(cloneObject), ...userObjects];
  target.description = content.description;
  if (options.withData) {
    target.hasData = content.hasData;
    target.data = content.data;
  }
  target.modifiedDate = options.now;
}

export function copyApp(
  state: ContentState,
  source: AppRecord,
  input: { name?: string | undefined; spaceId?: string | undefined },
  userId: string,
  now: number,
): AppRecord {
  const copy = createApp(
    state,
    {
      name: input.name ?? source.name,
      description: source.description,
      spaceId: input.spaceId ?? source.spaceId,
      ownerId: userId,
      script: source.script,
      properties: structuredClone(source.properties),
      objects: source.objects.filter((o) => o.kind === 'base'),
      hasData: source.hasData,
      data: source.data,
    },
    now,
  );
  copy.lastReloadTime = source.lastReloadTime;
  return copy;
}

/** A 400 unless the space is a managed space (the only kind apps are published to). */
export function requireManaged(state: ContentState, spaceId: string): void {
  const space = getSpace(state, spaceId);
  if (space.type !== 'managed')
    throw badRequestError(`apps can only be published to a managed space; ${space.name} is ${space.type}`);
}

export function publishApp(
  state: ContentState,
  source: AppRecord,
  input: {
    spaceId: string;
    name?: string | undefined;
    description?: string | undefined;
    data?: string | undefined;
    moveApp?: boolean | undefined;
    originAppId?: string | undefined;
  },
  userId: string,
  now: number,
): AppRecord {
  requireManaged(state, input.spaceId);
  if (input.moveApp) {
    source.spaceId = input.spaceId;
    source.published = true;
    source.publishTime = now;
    source.originAppId = input.originAppId ?? source.originAppId ?? source.id;
    if (input.name !== undefined) source.name = input.name;
    if (input.description !== undefined) source.description = input.description;
    source.modifiedDate = now;
    return source;
  }
  const published = createApp(
    state,
    {
      name: input.name ?? source.name,
      description: input.description ?? source.description,
      spaceId: input.spaceId,
      ownerId: userId,
      script: source.script,
      properties: structuredClone(source.properties),
      objects: source.objects.filter((o) => o.kind === 'base'),
      hasData: input.data === 'target' ? false : source.hasData,
      data: input.data === 'target' ? undefined : source.data,
    },
    now,
  );
  published.published = true;
  published.publishTime = now;
  published.originAppId = input.originAppId ?? source.id;
  if (input.data !== 'target') published.lastReloadTime = source.lastReloadTime;
  return published;
}

/**
 * Republish: the target keeps its id, space and its users' own objects; script, properties and base
 * objects come from the source. With `checkOriginAppId` (the default) the target must have been
 * published from this source.
 */
export function republishApp(
  state: ContentState,
  source: AppRecord,
  input: {
    targetId: string;
    name?: string | undefined;
    description?: string | undefined;
    data?: string | undefined;
    checkOriginAppId?: boolean | undefined;
  },
  now: number,
): AppRecord {
  const target = state.apps.get(input.targetId);
  if (!target) throw notFoundError(`target app ${input.targetId}`);
  if (!target.published) throw badRequestError(`target app ${target.id} is not a published app`);
  if ((input.checkOriginAppId ?? true) && target.originAppId !== source.id) {
    throw new ContentError(
      400,
      'HTTP-400',
      'Bad request',
      `target app ${target.id} was published from ${target.originAppId ?? 'another app'}, not from ${source.id}`,
    );
  }
  const withSourceData = input.data !== 'target';
  replaceContent(target, appContent(source), { keepUserObjects: true, withData: withSourceData, now });
  if (withSourceData) target.lastReloadTime = source.lastReloadTime;
  if (input.name !== undefined) target.name = input.name;
  if (input.description !== undefined) target.description = input.description;
  target.publishTime = now;
  return target;
}

export function moveApp(state: ContentState, app: AppRecord, spaceId: string | undefined, now: number): AppRecord {
  checkSpace(state, spaceId);
  app.spaceId = spaceId;
  app.modifiedDate = now;
  return app;
}

/** Deletes the app and what hangs off it: its item (implicit), reload tasks and scheduling tasks. */
export function deleteApp(state: ContentState, appId: string): void {
  getApp(state, appId);
  state.apps.delete(appId);
  for (const [id, task] of state.reloadTasks) if (task.appId === appId) state.reloadTasks.delete(id);
  for (const [id, task] of state.schedulingTasks) if (task.appId === appId) state.schedulingTasks.delete(id);
}

/**
 * Creates or replaces a distributed (multi-cloud) app with the QSEoW app id. A new one arrives staged
 * (no space); a replacement keeps the space it was moved to and its users' own objects. `publishTime`
 * (behaviour `redistributionPublishTime`): `moves` sets the publish time on every distribution; `kept`
 * only when the QSEoW data version differs from the one last received.
 */
export function upsertDistributedApp(
  state: ContentState,
  input: {
    id: string;
    name: string;
    ownerId: string;
    content: Omit<QvfContent, 'name'>;
    dataVersion?: number;
    publishTime?: 'moves' | 'kept';
  },
  now: number,
): AppRecord {
  const existing = state.apps.get(input.id);
  const content: QvfContent = { ...input.content, name: input.name };
  if (existing) {
    const newData = input.dataVersion === undefined || input.dataVersion !== existing.distributedDataVersion;
    replaceContent(existing, content, { keepUserObjects: true, withData: true, now });
    existing.name = input.name;
    if (input.publishTime !== 'kept' || newData) existing.publishTime = now;
    if (input.dataVersion !== undefined) existing.distributedDataVersion = input.dataVersion;
    return existing;
  }
  const app = createApp(
    state,
    {
      id: input.id,
      name: input.name,
      description: content.description,
      spaceId: undefined,
      ownerId: input.ownerId,
      script: content.script,
      properties: content.properties,
      objects: content.objects,
      hasData: content.hasData,
      data: content.data,
      distributed: true,
    },
    now,
  );
  app.published = true;
  app.publishTime = now;
  if (input.dataVersion !== undefined) app.distributedDataVersion = input.dataVersion;
  return app;
}
