/** HTTP routes of apps.json the simulator implements, and the app (NxApp) rendering. */
import type { Route, SimRequest } from '../http/types.js';
import {
  copyApp,
  createApp,
  deleteApp,
  exportApp,
  getApp,
  importApp,
  moveApp,
  publishApp,
  republishApp,
  requireManaged,
} from './apps.js';
import { badRequestError, notFoundError } from './errors.js';
import {
  contentRoute,
  isRecord,
  json,
  objectBody,
  optionalBoolean,
  optionalString,
  requiredString,
  type ContentCall,
  type ContentHandler,
} from './http.js';
import { guid, iso } from './ids.js';
import type { SpaceAction } from '../auth/space-permissions.js';
import { allow } from './access.js';
import { paginate } from './pagination.js';
import type { AppRecord, ContentState, ScriptVersionRecord } from './state.js';
import { checkImportQuota, countImport } from './import-quota.js';
import { createTempContent } from './temp-contents.js';

/** The app's attributes as apps.json `NxAttributes` (+ `spaceId` and `description`, as Qlik sends). */
export function appAttributes(app: AppRecord): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    id: app.id,
    name: app.name,
    description: app.description,
    owner: app.ownerId,
    ownerId: app.ownerId,
    usage: 'ANALYTICS',
    createdDate: iso(app.createdDate),
    modifiedDate: iso(app.modifiedDate),
    published: app.published,
    encrypted: false,
    hasSectionAccess: false,
    isDirectQueryMode: false,
    dynamicColor: '',
    thumbnail: '',
    custom: {},
  };
  if (app.spaceId !== undefined) attributes.spaceId = app.spaceId;
  if (app.publishTime !== undefined) attributes.publishTime = iso(app.publishTime);
  if (app.originAppId !== undefined) attributes.originAppId = app.originAppId;
  if (app.lastReloadTime !== undefined) attributes.lastReloadTime = iso(app.lastReloadTime);
  return attributes;
}

export function renderApp(app: AppRecord): Record<string, unknown> {
  return {
    attributes: appAttributes(app),
    privileges: [
      'read',
      'update',
      'delete',
      'reload',
      'export',
      'publish',
      'change_owner',
      'change_space',
      'duplicate',
    ],
    create: [
      { resource: 'sheet', canCreate: !app.published },
      { resource: 'bookmark', canCreate: true },
      { resource: 'story', canCreate: true },
    ],
  };
}

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('apps', 'text', method, path, handler);

const appIdOf = (req: SimRequest): string => req.params.appId ?? '';

/** The app of the request, when the caller may do `action` on it (404 first, then 403). */
function appFor(call: ContentCall, action: SpaceAction): AppRecord {
  const app = getApp(call.state, appIdOf(call.req));
  allow(call, action, app);
  return app;
}

function attributesOf(body: Record<string, unknown>): Record<string, unknown> {
  const attributes = body.attributes ?? {};
  if (!isRecord(attributes)) throw badRequestError('attributes must be an object');
  return attributes;
}

function boolQuery(req: SimRequest, name: string): boolean {
  const value = req.query.get(name);
  return value === 'true' || value === '1';
}

function rawBytes(req: SimRequest, state: ContentState, now: number): Uint8Array {
  const fileId = req.query.get('fileId');
  if (fileId) {
    const temp = state.tempContents.get(fileId);
    if (!temp || now > temp.createdAt + temp.ttlSeconds * 1000) throw notFoundError(`temporary content ${fileId}`);
    return temp.bytes;
  }
  return new Uint8Array(req.rawBody.buffer, req.rawBody.byteOffset, req.rawBody.byteLength);
}

function scriptVersionsOf(state: ContentState, appId: string): ScriptVersionRecord[] {
  // Newest first; reversed insertion order breaks ties of the same instant.
  return [...state.scriptVersions.values()]
    .reverse()
    .filter((v) => v.appId === appId)
    .sort((a, b) => b.modifiedTime - a.modifiedTime);
}

function getScriptVersion(state: ContentState, app: AppRecord, id: string): ScriptVersionRecord {
  // `current` names the app's live script, as Qlik does.
  if (id === 'current') {
    return (
      scriptVersionsOf(state, app.id)[0] ?? {
        id: 'current',
        appId: app.id,
        script: app.script,
        versionMessage: '',
        modifierId: app.ownerId,
        modifiedTime: app.modifiedDate,
      }
    );
  }
  const version = state.scriptVersions.get(id);
  if (!version || version.appId !== app.id) throw notFoundError(`script version ${id}`);
  return version;
}

export const appRoutes: Route[] = [
  route('POST', '/api/v1/apps', (call) => {
    const { req, state, userId, now } = call;
    const attributes = attributesOf(objectBody(req));
    const name = requiredString(attributes, 'name');
    const spaceId = optionalString(attributes, 'spaceId');
    allow(call, 'app.create', { spaceId, ownerId: userId });
    const app = createApp(state, { name, spaceId, ownerId: userId }, now);
    return json(200, renderApp(app));
  }),
  route('POST', '/api/v1/apps/import', (call) => {
    const { req, state, userId, now } = call;
    const q = req.query;
    allow(call, 'app.create', { spaceId: q.get('spaceId') || undefined, ownerId: userId });
    const replaced = q.get('mode')?.toUpperCase() === 'AUTOREPLACE' ? state.apps.get(q.get('appId') ?? '') : undefined;
    if (replaced) allow(call, 'app.edit', replaced);
    checkImportQuota(call.ctx, state, now);
    const app = importApp(
      state,
      rawBytes(req, state, now),
      {
        spaceId: q.get('spaceId') || undefined,
        name: q.get('name') || q.get('fallbackName') || undefined,
        mode: q.get('mode') || undefined,
        appId: q.get('appId') || undefined,
        noData: boolQuery(req, 'NoData'),
      },
      userId,
      now,
    );
    countImport(state, now);
    return json(200, renderApp(app));
  }),
  route('GET', '/api/v1/apps/{appId}', (call) => json(200, renderApp(appFor(call, 'app.open')))),
  route('PUT', '/api/v1/apps/{appId}', (call) => {
    const { req, now } = call;
    const app = appFor(call, 'app.edit');
    const attributes = attributesOf(objectBody(req));
    const name = optionalString(attributes, 'name');
    const description = optionalString(attributes, 'description');
    if (name !== undefined) app.name = name;
    if (description !== undefined) app.description = description;
    app.modifiedDate = now;
    return json(200, renderApp(app));
  }),
  route('DELETE', '/api/v1/apps/{appId}', (call) => {
    deleteApp(call.state, appFor(call, 'app.delete').id);
    return json(200, {});
  }),
  route('POST', '/api/v1/apps/{appId}/copy', (call) => {
    const { req, state, userId, now } = call;
    const source = appFor(call, 'app.duplicate');
    const attributes = attributesOf(objectBody(req));
    const spaceId = optionalString(attributes, 'spaceId') ?? source.spaceId;
    allow(call, 'app.create', { spaceId, ownerId: userId });
    const copy = copyApp(state, source, { name: optionalString(attributes, 'name'), spaceId }, userId, now);
    return json(200, renderApp(copy));
  }),
  route('POST', '/api/v1/apps/{appId}/export', (call) => {
    const { req, state, userId, now } = call;
    const app = appFor(call, 'app.export');
    const bytes = exportApp(app, { noData: boolQuery(req, 'NoData') });
    const temp = createTempContent(state, { bytes, name: `${app.name}.qvf`, creatorId: userId }, now);
    return { status: 201, headers: { location: `/api/v1/temp-contents/${temp.id}` } };
  }),
  route('POST', '/api/v1/apps/{appId}/publish', (call) => {
    const { req, state, userId, now } = call;
    const source = appFor(call, 'app.publish-from');
    const body = objectBody(req);
    const attributes = attributesOf(body);
    const spaceId = requiredString(body, 'spaceId');
    requireManaged(state, spaceId);
    allow(call, 'app.publish-into', { spaceId, ownerId: userId });
    const published = publishApp(
      state,
      source,
      {
        spaceId,
        name: optionalString(attributes, 'name'),
        description: optionalString(attributes, 'description'),
        data: optionalString(body, 'data'),
        moveApp: optionalBoolean(body, 'moveApp'),
        originAppId: optionalString(body, 'originAppId'),
      },
      userId,
      now,
    );
    return json(200, renderApp(published));
  }),
  route('PUT', '/api/v1/apps/{appId}/publish', (call) => {
    const { req, state, now } = call;
    const source = appFor(call, 'app.publish-from');
    const body = objectBody(req);
    const attributes = attributesOf(body);
    allow(call, 'app.publish-into', getApp(state, requiredString(body, 'targetId')));
    const target = republishApp(
      state,
      source,
      {
        targetId: requiredString(body, 'targetId'),
        name: optionalString(attributes, 'name'),
        description: optionalString(attributes, 'description'),
        data: optionalString(body, 'data'),
        checkOriginAppId: optionalBoolean(body, 'checkOriginAppId'),
      },
      now,
    );
    return json(200, renderApp(target));
  }),
  route('PUT', '/api/v1/apps/{appId}/space', (call) => {
    const { req, state, now } = call;
    const app = appFor(call, 'app.edit');
    const spaceId = requiredString(objectBody(req), 'spaceId');
    allow(call, 'app.create', { spaceId, ownerId: app.ownerId });
    return json(200, renderApp(moveApp(state, app, spaceId, now)));
  }),
  route('DELETE', '/api/v1/apps/{appId}/space', (call) => {
    const app = appFor(call, 'app.edit');
    return json(200, renderApp(moveApp(call.state, app, undefined, call.now)));
  }),
  route('PUT', '/api/v1/apps/{appId}/owner', (call) => {
    const { req, now } = call;
    const app = appFor(call, 'app.change-owner');
    app.ownerId = requiredString(objectBody(req), 'ownerId');
    app.modifiedDate = now;
    return json(200, renderApp(app));
  }),
  route('GET', '/api/v1/apps/{appId}/scripts', (call) => {
    const { req, state } = call;
    const app = appFor(call, 'app.edit');
    const page = paginate(scriptVersionsOf(state, app.id), req.url, {
      nextParam: 'page',
      prevParam: 'page',
      defaultLimit: 25,
      maxLimit: 100,
    });
    return json(200, {
      scripts: page.items.map((v) => ({
        scriptId: v.id,
        versionMessage: v.versionMessage,
        modifierId: v.modifierId,
        modifiedTime: iso(v.modifiedTime),
        size: Buffer.byteLength(v.script, 'utf8'),
      })),
      privileges: ['read', 'update', 'delete'],
      links: {
        ...(page.links.next ? { next: page.links.next } : {}),
        ...(page.links.prev ? { prev: page.links.prev } : {}),
      },
    });
  }),
  route('POST', '/api/v1/apps/{appId}/scripts', (call) => {
    const { req, state, userId, now } = call;
    const app = appFor(call, 'app.edit');
    const body = objectBody(req);
    const script = optionalString(body, 'script');
    if (script === undefined) throw badRequestError('script is required');
    const version: ScriptVersionRecord = {
      id: guid(),
      appId: app.id,
      script,
      versionMessage: optionalString(body, 'versionMessage') ?? '',
      modifierId: userId,
      modifiedTime: now,
    };
    state.scriptVersions.set(version.id, version);
    app.script = script;
    app.modifiedDate = now;
    return json(200, {});
  }),
  route('GET', '/api/v1/apps/{appId}/scripts/{id}', (call) => {
    const version = getScriptVersion(call.state, appFor(call, 'app.edit'), call.req.params.id ?? '');
    return json(200, { script: version.script, versionMessage: version.versionMessage });
  }),
  route('DELETE', '/api/v1/apps/{appId}/scripts/{id}', (call) => {
    const { req, state } = call;
    const app = appFor(call, 'app.edit');
    const version = getScriptVersion(state, app, req.params.id ?? '');
    if (version.id === 'current' || scriptVersionsOf(state, app.id)[0]?.id === version.id) {
      throw badRequestError('the current script version cannot be deleted');
    }
    state.scriptVersions.delete(version.id);
    return json(200, {});
  }),
  route('GET', '/api/v1/apps/{appId}/reloads/logs', (call) => {
    const { state } = call;
    const app = appFor(call, 'app.reload');
    const ended = [...state.reloads.values()]
      .reverse()
      .filter((r) => r.appId === app.id && (r.status === 'SUCCEEDED' || r.status === 'FAILED'))
      .sort((a, b) => b.endAt - a.endAt);
    return json(200, {
      data: ended.map((r) => ({
        reloadId: r.id,
        success: r.status === 'SUCCEEDED',
        endTime: iso(r.endAt),
        duration: r.endAt - r.startAt,
        links: { log: `/api/v1/apps/${app.id}/reloads/logs/${r.id}` },
      })),
    });
  }),
  route('GET', '/api/v1/apps/{appId}/reloads/logs/{reloadId}', (call) => {
    const { req, state } = call;
    const app = appFor(call, 'app.reload');
    const reload = state.reloads.get(req.params.reloadId ?? '');
    if (!reload || reload.appId !== app.id || reload.outcome === undefined)
      throw notFoundError(`reload log ${req.params.reloadId ?? ''}`);
    return {
      status: 200,
      body: Buffer.from(reload.outcome.log, 'utf8'),
      headers: { 'content-type': 'application/octet-stream' },
    };
  }),
];
