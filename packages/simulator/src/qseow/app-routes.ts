// QRS app endpoints: get, list, update, delete, upload, copy, publish, replace and reload.
import { decodeQvf, QvfFormatError } from '../content/qvf.js';
import {
  NEVER,
  QrsRequestError,
  appView,
  checkModifiedDate,
  nextModifiedDate,
  requireObject,
  resolveCustomProperties,
} from './qrs-entities.js';
import { EMPTY_ID, filtered, recordOf, type QrsResult, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { SERVICE_USER, newId, type SimQrsApp } from './state.js';

/** The condensed app of `GET /app` (no owner, tags or custom properties). */
export const condensedApp = (a: SimQrsApp): unknown => ({
  id: a.id,
  name: a.name,
  appId: a.appId,
  publishTime: a.publishTime,
  published: a.published,
  ...(a.stream ? { stream: a.stream } : {}),
});

export function appRoutes(ctx: RepositoryContext): QrsRoute[] {
  const { state, clock, hooks, iso } = ctx;
  const app = (id: string): SimQrsApp => recordOf(state.apps, id, 'app');
  /** The answer to a write that changed an app: its modifiedDate moves and the hooks (distribution) hear of it. */
  const changed = (a: SimQrsApp): QrsResult => {
    a.modifiedDate = nextModifiedDate(a.modifiedDate, clock.now());
    hooks.onAppChanged(a.id);
    return { status: 200, body: appView(a) };
  };

  const newApp = (name: string, bytes: Buffer, source?: SimQrsApp): SimQrsApp => {
    const stamp = iso();
    const id = newId();
    const created: SimQrsApp = {
      id,
      createdDate: stamp,
      modifiedDate: stamp,
      modifiedByUserName: 'INTERNAL\\sa_repository',
      name,
      appId: '',
      description: source?.description ?? '',
      owner: { ...SERVICE_USER },
      published: false,
      publishTime: NEVER,
      customProperties: [],
      tags: [],
      fileSize: bytes.length,
      lastReloadTime: source?.lastReloadTime ?? NEVER,
      sourceAppId: source?.id ?? EMPTY_ID,
      targetAppId: EMPTY_ID,
      schemaPath: 'App',
    };
    state.apps.set(id, created);
    state.appContent.set(id, { bytes, version: 1 });
    return created;
  };

  return [
    {
      method: 'GET',
      template: '/app',
      handler: (c) => ({ status: 200, body: filtered([...state.apps.values()].map(condensedApp), c.query) }),
    },
    {
      method: 'GET',
      template: '/app/full',
      handler: (c) => ({ status: 200, body: filtered(state.apps.values(), c.query) }),
    },
    {
      method: 'GET',
      template: '/app/count',
      handler: (c) => ({ status: 200, body: { value: filtered(state.apps.values(), c.query).length } }),
    },
    { method: 'GET', template: '/app/{id}', handler: (_c, p) => ({ status: 200, body: appView(app(p['id']!)) }) },
    {
      method: 'PUT',
      template: '/app/{id}',
      handler: (c, p) => {
        const stored = app(p['id']!);
        const body = requireObject(c.body, 'PUT /app/{id}');
        checkModifiedDate(stored, body, `app ${stored.id}`);
        if (body['id'] !== undefined && body['id'] !== stored.id)
          throw new QrsRequestError(400, 'the id in the body differs from the id in the URL');
        if (typeof body['name'] === 'string' && body['name']) stored.name = body['name'];
        if (typeof body['description'] === 'string') stored.description = body['description'];
        if (body['customProperties'] !== undefined)
          stored.customProperties = resolveCustomProperties(state, body['customProperties'], 'App');
        if (Array.isArray(body['tags'])) stored.tags = structuredClone(body['tags']) as SimQrsApp['tags'];
        return changed(stored);
      },
    },
    {
      method: 'DELETE',
      template: '/app/{id}',
      handler: (_c, p) => {
        app(p['id']!);
        state.apps.delete(p['id']!);
        state.appContent.delete(p['id']!);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      template: '/app/upload',
      handler: (c) => {
        const name = c.query.get('name');
        if (!name) throw new QrsRequestError(400, 'the name query parameter is required');
        try {
          decodeQvf(c.rawBody);
        } catch (error) {
          if (error instanceof QvfFormatError)
            throw new QrsRequestError(400, `the uploaded file is not an app: ${error.message}`);
          throw error;
        }
        return { status: 201, body: appView(newApp(name, Buffer.from(c.rawBody))) };
      },
    },
    {
      method: 'POST',
      template: '/app/{id}/copy',
      handler: (c, p) => {
        const source = app(p['id']!);
        const content = state.appContent.get(source.id);
        const copy = newApp(c.query.get('name') || source.name, Buffer.from(content?.bytes ?? Buffer.alloc(0)), source);
        if (c.query.get('includecustomproperties') === 'true')
          copy.customProperties = structuredClone(source.customProperties);
        return { status: 201, body: appView(copy) };
      },
    },
    {
      method: 'PUT',
      template: '/app/{id}/publish',
      handler: (c, p) => {
        const target = app(p['id']!);
        const streamId = c.query.get('stream');
        const stream = streamId ? state.streams.get(streamId) : undefined;
        if (!stream) throw new QrsRequestError(400, `stream ${String(streamId)} does not exist`);
        if (target.published) throw new QrsRequestError(400, `app ${target.id} is already published`);
        target.published = true;
        target.publishTime = iso();
        target.stream = { id: stream.id, name: String(stream['name']) };
        const newName = c.query.get('name');
        if (newName) target.name = newName;
        return changed(target);
      },
    },
    {
      method: 'PUT',
      template: '/app/{id}/replace',
      handler: (c, p) => {
        const source = app(p['id']!);
        const targetId = c.query.get('app');
        const target = targetId ? state.apps.get(targetId) : undefined;
        if (!target) throw new QrsRequestError(400, `target app ${String(targetId)} does not exist`);
        const bytes = state.appContent.get(source.id)?.bytes ?? Buffer.alloc(0);
        const content = state.appContent.get(target.id);
        state.appContent.set(target.id, { bytes: Buffer.from(bytes), version: (content?.version ?? 0) + 1 });
        target.fileSize = bytes.length;
        target.lastReloadTime = source.lastReloadTime;
        return changed(target);
      },
    },
    {
      method: 'POST',
      template: '/app/{id}/reload',
      handler: (_c, p) => {
        const target = app(p['id']!);
        target.lastReloadTime = iso();
        const content = state.appContent.get(target.id);
        if (content) content.version += 1;
        hooks.onAppChanged(target.id);
        return { status: 204 };
      },
    },
  ];
}
