/**
 * Items (items.json). Every app has exactly one item, derived from the app on each read, so the item
 * cannot drift from its app and disappears with it.
 */
import type { Route, SimRequest } from '../http/types.js';
import { appAttributes } from './apps-routes.js';
import { deleteApp } from './apps.js';
import { badRequestError, notFoundError } from './errors.js';
import { allow, allows } from './access.js';
import { absolute, contentRoute, json, noContent, type ContentCall, type ContentHandler } from './http.js';
import { iso } from './ids.js';
import { CURSOR_PAGING, paginate } from './pagination.js';
import type { AppRecord, ContentState } from './state.js';

function renderItem(req: SimRequest, state: ContentState, app: AppRecord): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: app.itemId,
    name: app.name,
    description: app.description,
    tenantId: state.tenantId,
    ownerId: app.ownerId,
    creatorId: app.ownerId,
    updaterId: app.ownerId,
    createdAt: iso(app.createdDate),
    updatedAt: iso(app.modifiedDate),
    isFavorited: false,
    resourceType: 'app',
    resourceId: app.id,
    resourceSubType: '',
    resourceCreatedAt: iso(app.createdDate),
    resourceUpdatedAt: iso(app.modifiedDate),
    resourceAttributes: appAttributes(app),
    resourceCustomAttributes: {},
    resourceLink: absolute(req, `/sense/app/${app.id}`),
    actions: ['read', 'update', 'delete', 'reload', 'publish', 'duplicate'],
    collectionIds: [],
    meta: { isFavorited: false, actions: ['read', 'update', 'delete'], tags: [], collections: [] },
    links: {
      self: { href: absolute(req, `/api/v1/items/${app.itemId}`) },
      open: { href: absolute(req, `/sense/app/${app.id}`) },
      collections: { href: absolute(req, `/api/v1/items/${app.itemId}/collections`) },
    },
  };
  if (app.spaceId !== undefined) item.spaceId = app.spaceId;
  if (app.lastReloadTime !== undefined) {
    item.resourceReloadStatus = 'ok';
    item.resourceReloadEndTime = iso(app.lastReloadTime);
  }
  return item;
}

function appOfItem(state: ContentState, itemId: string): AppRecord {
  for (const app of state.apps.values()) if (app.itemId === itemId) return app;
  throw notFoundError(`item ${itemId}`);
}

/** The app of the requested item, when the caller may do `action` on it. */
function itemApp(call: ContentCall, action: 'app.open' | 'app.delete'): AppRecord {
  const app = appOfItem(call.state, call.req.params.itemId ?? '');
  allow(call, action, app);
  return app;
}

function spaceTypeOf(state: ContentState, app: AppRecord): string {
  return app.spaceId === undefined ? 'personal' : (state.spaces.get(app.spaceId)?.type ?? 'personal');
}

const SORTS: Record<string, (a: AppRecord, b: AppRecord) => number> = {
  createdAt: (a, b) => a.createdDate - b.createdDate,
  updatedAt: (a, b) => a.modifiedDate - b.modifiedDate,
  name: (a, b) => a.name.localeCompare(b.name),
  recentlyUsed: (a, b) => a.modifiedDate - b.modifiedDate,
};

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('items', 'errors-string-status', method, path, handler);

export const itemRoutes: Route[] = [
  route('GET', '/api/v1/items', (call) => {
    const { req, state } = call;
    const q = req.query;
    const resourceType = q.get('resourceType');
    const spaceId = q.get('spaceId');
    const spaceType = q.get('spaceType');
    const name = q.get('name');
    const query = q.get('query')?.toLowerCase();
    const resourceId = q.get('resourceId');
    const resourceIds = q.get('resourceIds')?.split(',');
    const id = q.get('id');
    const ownerId = q.get('ownerId');
    const notOwnerId = q.get('notOwnerId');
    const sortRaw = q.get('sort') ?? '-updatedAt';
    const sortKey = sortRaw.replace(/^[+-]/, '');
    const compare = SORTS[sortKey];
    if (!compare) throw badRequestError(`sort ${sortRaw} is not supported`);
    const apps = [...state.apps.values()]
      .filter((a) => allows(call, 'app.open', a))
      .filter(() => !resourceType || resourceType === 'app')
      .filter((a) => !spaceId || (spaceId === 'personal' ? a.spaceId === undefined : a.spaceId === spaceId))
      .filter((a) => !spaceType || spaceTypeOf(state, a) === spaceType)
      .filter((a) => !name || a.name.toLowerCase() === name.toLowerCase())
      .filter((a) => !query || a.name.toLowerCase().includes(query))
      .filter((a) => !resourceId || a.id === resourceId)
      .filter((a) => !resourceIds || resourceIds.includes(a.id))
      .filter((a) => !id || a.itemId === id)
      .filter((a) => !ownerId || a.ownerId === ownerId)
      .filter((a) => !notOwnerId || a.ownerId !== notOwnerId)
      .sort((a, b) => (sortRaw.startsWith('-') ? -compare(a, b) : compare(a, b)));
    const page = paginate(apps, req.url, CURSOR_PAGING(10));
    return json(200, { data: page.items.map((a) => renderItem(req, state, a)), links: page.links });
  }),
  route('GET', '/api/v1/items/{itemId}', (call) =>
    json(200, renderItem(call.req, call.state, itemApp(call, 'app.open'))),
  ),
  route('DELETE', '/api/v1/items/{itemId}', (call) => {
    deleteApp(call.state, itemApp(call, 'app.delete').id);
    return noContent();
  }),
];
