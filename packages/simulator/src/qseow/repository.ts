import type { SimClock } from '../clock.js';
import { decodeQvf, QvfFormatError } from '../content/qvf.js';
import { parseQrsFilter, QrsFilterSyntaxError } from './filter.js';
import {
  NEVER,
  QrsRequestError,
  appView,
  checkModifiedDate,
  createRecord,
  nextModifiedDate,
  requireObject,
  resolveCustomProperties,
  updateRecord,
} from './qrs-entities.js';
import { matchRoute, type TemplateRoute } from './router.js';
import { SERVICE_USER, newId, type QseowState, type SimQrsApp, type SimQrsRecord } from './state.js';

export interface QrsCall {
  method: string;
  /** Path below `/qrs`, e.g. `/app/{id}` filled in. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  rawBody: Buffer;
}

export interface QrsResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RepositoryHooks {
  /** Called after any change that makes QSEoW re-evaluate distribution of an app. */
  onAppChanged(appId: string): void;
}

const EMPTY_ID = '00000000-0000-0000-0000-000000000000';

type Handler = (call: QrsCall, params: Record<string, string>) => QrsResult;

/** The QRS endpoints the SDK uses, over the site's state. Paths are matched case-insensitively, as QRS does. */
export function createRepository(
  state: QseowState,
  clock: SimClock,
  hooks: RepositoryHooks,
): {
  handle(call: QrsCall): QrsResult;
  /** The spec path template the call matched (for validation), or undefined. */
  templateOf(method: string, path: string): string | undefined;
  startTask(taskId: string): string;
} {
  const iso = (): string => new Date(clock.now()).toISOString();
  const app = (id: string): SimQrsApp => {
    const found = state.apps.get(id);
    if (!found) throw new QrsRequestError(404, `app ${id} not found`);
    return found;
  };
  const record = (map: Map<string, SimQrsRecord>, id: string, what: string): SimQrsRecord => {
    const found = map.get(id);
    if (!found) throw new QrsRequestError(404, `${what} ${id} not found`);
    return found;
  };
  const list = (items: Iterable<unknown>, query: URLSearchParams): unknown[] => {
    try {
      const filter = parseQrsFilter(query.get('filter'));
      return [...items].filter(filter).map((x) => structuredClone(x));
    } catch (error) {
      if (error instanceof QrsFilterSyntaxError) throw new QrsRequestError(400, error.message);
      throw error;
    }
  };
  const condensedApp = (a: SimQrsApp): unknown => ({
    id: a.id,
    name: a.name,
    appId: a.appId,
    publishTime: a.publishTime,
    published: a.published,
    ...(a.stream ? { stream: a.stream } : {}),
  });

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

  const startTask = (taskId: string): string => {
    const task = record(state.tasks, taskId, 'task');
    const sessionId = newId();
    const appId = (task['app'] as { id?: string } | undefined)?.id;
    const execution = { sessionId, resultId: newId(), taskId, appId, status: 2, startTime: iso(), stopTime: NEVER };
    state.executions.set(sessionId, execution);
    const outcome = state.taskOutcomes.get(taskId) ?? 'success';
    state.taskOutcomes.delete(taskId);
    void clock.sleep(state.config.taskDurationMs).then(
      () => {
        execution.status = outcome === 'success' ? 7 : 8;
        execution.stopTime = iso();
        const target = appId ? state.apps.get(appId) : undefined;
        if (target && outcome === 'success') {
          target.lastReloadTime = execution.stopTime;
          const content = state.appContent.get(target.id);
          if (content) content.version += 1;
          hooks.onAppChanged(target.id);
        }
      },
      () => undefined,
    );
    return sessionId;
  };

  const executionResult = (e: {
    resultId: string;
    sessionId: string;
    taskId: string;
    appId: string | undefined;
    status: number;
    startTime: string;
    stopTime: string;
  }): unknown => ({
    id: e.resultId,
    createdDate: e.startTime,
    modifiedDate: e.stopTime === NEVER ? e.startTime : e.stopTime,
    modifiedByUserName: 'INTERNAL\\sa_scheduler',
    schemaPath: 'ExecutionResult',
    taskID: e.taskId,
    executionID: e.sessionId,
    appID: e.appId ?? EMPTY_ID,
    executingNodeName: state.config.hostname,
    status: e.status,
    startTime: e.startTime,
    stopTime: e.stopTime,
    duration: e.stopTime === NEVER ? 0 : Date.parse(e.stopTime) - Date.parse(e.startTime),
    scriptLogAvailable: false,
    details: [],
  });

  const crud = (
    base: string,
    map: Map<string, SimQrsRecord>,
    schemaPath: string,
    validate?: (body: Record<string, unknown>) => void,
  ): Array<TemplateRoute<Handler>> => [
    { method: 'GET', template: base, handler: (c) => ({ status: 200, body: list(map.values(), c.query) }) },
    { method: 'GET', template: `${base}/full`, handler: (c) => ({ status: 200, body: list(map.values(), c.query) }) },
    {
      method: 'GET',
      template: `${base}/count`,
      handler: (c) => ({ status: 200, body: { value: list(map.values(), c.query).length } }),
    },
    {
      method: 'GET',
      template: `${base}/{id}`,
      handler: (_c, p) => ({ status: 200, body: structuredClone(record(map, p['id']!, schemaPath)) }),
    },
    {
      method: 'POST',
      template: base,
      handler: (c) => {
        const body = requireObject(c.body, `POST ${base}`);
        validate?.(body);
        return { status: 201, body: structuredClone(createRecord(map, body, clock.now(), schemaPath)) };
      },
    },
    {
      method: 'PUT',
      template: `${base}/{id}`,
      handler: (c, p) => {
        const body = requireObject(c.body, `PUT ${base}/{id}`);
        validate?.(body);
        return {
          status: 200,
          body: structuredClone(updateRecord(record(map, p['id']!, schemaPath), body, clock.now())),
        };
      },
    },
    {
      method: 'DELETE',
      template: `${base}/{id}`,
      handler: (_c, p) => {
        record(map, p['id']!, schemaPath);
        map.delete(p['id']!);
        return { status: 204 };
      },
    },
  ];

  const uniqueName =
    (map: Map<string, SimQrsRecord>, what: string) =>
    (body: Record<string, unknown>): void => {
      const name = body['name'];
      if (typeof name !== 'string' || !name) throw new QrsRequestError(400, `${what}: name is required`);
      for (const other of map.values()) {
        if (String(other['name']).toLowerCase() === name.toLowerCase() && other.id !== body['id'])
          throw new QrsRequestError(409, `${what} "${name}" already exists`);
      }
    };

  const routes: Array<TemplateRoute<Handler>> = [
    {
      method: 'GET',
      template: '/about',
      handler: () => ({
        status: 200,
        body: {
          schemaPath: 'About',
          buildVersion: '38.22.0.0',
          buildDate: '11/14/2022 12:00:00 AM',
          databaseProvider: 'Devart.Data.PostgreSql',
          nodeType: 1,
          sharedPersistence: true,
          requiresBootstrap: false,
          singleNodeOnly: false,
        },
      }),
    },
    {
      method: 'GET',
      template: '/app',
      handler: (c) => ({ status: 200, body: list([...state.apps.values()].map(condensedApp), c.query) }),
    },
    {
      method: 'GET',
      template: '/app/full',
      handler: (c) => ({ status: 200, body: list(state.apps.values(), c.query) }),
    },
    {
      method: 'GET',
      template: '/app/count',
      handler: (c) => ({ status: 200, body: { value: list(state.apps.values(), c.query).length } }),
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
        stored.modifiedDate = nextModifiedDate(stored.modifiedDate, clock.now());
        hooks.onAppChanged(stored.id);
        return { status: 200, body: appView(stored) };
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
        target.modifiedDate = nextModifiedDate(target.modifiedDate, clock.now());
        hooks.onAppChanged(target.id);
        return { status: 200, body: appView(target) };
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
        target.modifiedDate = nextModifiedDate(target.modifiedDate, clock.now());
        hooks.onAppChanged(target.id);
        return { status: 200, body: appView(target) };
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
    {
      method: 'POST',
      template: '/app/{id}/export/{token}',
      handler: (c, p) => {
        const source = app(p['id']!);
        const token = p['token']!;
        if (!/^[0-9a-f-]{36}$/i.test(token)) throw new QrsRequestError(400, 'the export token must be a GUID');
        if (state.exports.has(token)) throw new QrsRequestError(409, `export ${token} already exists`);
        const fileName = `${source.name.replace(/[^\w. -]/g, '_')}.qvf`;
        const bytes = Buffer.from(state.appContent.get(source.id)?.bytes ?? Buffer.alloc(0));
        state.exports.set(token, { appId: source.id, fileName, bytes, downloaded: false });
        void c;
        return {
          status: 201,
          body: {
            schemaPath: 'AppExportResponse',
            exportToken: token,
            appId: source.id,
            downloadPath: `/tempcontent/${token}/${encodeURIComponent(fileName)}?serverNodeId=${SERVICE_USER.id}`,
            cancelled: false,
          },
        };
      },
    },
    {
      method: 'DELETE',
      template: '/app/{id}/export/{token}',
      handler: (_c, p) => {
        if (!state.exports.delete(p['token']!)) throw new QrsRequestError(404, `export ${p['token']} not found`);
        return { status: 204 };
      },
    },
    // Stream names are not unique in QRS (only custom property definition names are, per the spec).
    ...crud('/stream', state.streams, 'Stream', (body) => {
      if (typeof body['name'] !== 'string' || !body['name']) throw new QrsRequestError(400, 'stream: name is required');
      if (body['owner'] === undefined) body['owner'] = { ...SERVICE_USER };
    }),
    ...crud('/custompropertydefinition', state.customPropertyDefinitions, 'CustomPropertyDefinition', (body) => {
      uniqueName(state.customPropertyDefinitions, 'custom property')(body);
      if (!/^[A-Za-z0-9_]+$/.test(String(body['name'])))
        throw new QrsRequestError(400, 'custom property names must be alphanumeric');
    }),
    ...crud('/systemrule', state.systemRules, 'SystemRule', (body) => {
      if (
        typeof body['name'] !== 'string' ||
        typeof body['resourceFilter'] !== 'string' ||
        typeof body['actions'] !== 'number'
      ) {
        throw new QrsRequestError(400, 'a system rule needs name, resourceFilter and actions');
      }
    }),
    { method: 'GET', template: '/task', handler: (c) => ({ status: 200, body: list(state.tasks.values(), c.query) }) },
    {
      method: 'GET',
      template: '/task/full',
      handler: (c) => ({ status: 200, body: list(state.tasks.values(), c.query) }),
    },
    ...crud('/reloadtask', state.tasks, 'ReloadTask'),
    {
      method: 'POST',
      template: '/task/{id}/start',
      handler: (_c, p) => {
        startTask(p['id']!);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      template: '/task/{id}/start/synchronous',
      handler: (_c, p) => ({ status: 201, body: startTask(p['id']!) }),
    },
    {
      method: 'GET',
      template: '/executionsession/{id}',
      handler: (_c, p) => {
        const e = state.executions.get(p['id']!);
        // QRS removes a session once its execution has finished; callers then read the result.
        if (!e || e.status >= 6) throw new QrsRequestError(404, `execution session ${p['id']} not found`);
        return {
          status: 200,
          body: {
            id: e.sessionId,
            createdDate: e.startTime,
            modifiedDate: e.startTime,
            modifiedByUserName: 'INTERNAL\\sa_scheduler',
            schemaPath: 'ExecutionSession',
            executingNode: { id: SERVICE_USER.id },
            executionResult: { id: e.resultId, status: e.status, startTime: e.startTime },
            retries: 0,
            abortReason: 0,
            user: SERVICE_USER.id,
            app: { id: e.appId ?? EMPTY_ID, name: state.apps.get(e.appId ?? '')?.name ?? '' },
            // The spec marks all three task kinds required; the ones that did not run are empty placeholders.
            reloadTask: {
              id: e.taskId,
              name: String(state.tasks.get(e.taskId)?.['name'] ?? ''),
              taskSessionTimeout: 1440,
              maxRetries: 0,
            },
            userSyncTask: { id: EMPTY_ID, name: '', taskSessionTimeout: 1, maxRetries: 0 },
            externalProgramTask: { id: EMPTY_ID, name: '', taskSessionTimeout: 1, maxRetries: 0 },
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/executionresult/{id}',
      handler: (_c, p) => {
        const e = [...state.executions.values()].find((x) => x.resultId === p['id']);
        if (!e) throw new QrsRequestError(404, `execution result ${p['id']} not found`);
        return { status: 200, body: executionResult(e) };
      },
    },
    {
      method: 'GET',
      template: '/executionresult',
      handler: (c) => ({ status: 200, body: list([...state.executions.values()].map(executionResult), c.query) }),
    },
    {
      method: 'GET',
      template: '/executionresult/full',
      handler: (c) => ({ status: 200, body: list([...state.executions.values()].map(executionResult), c.query) }),
    },
  ];

  return {
    startTask,
    templateOf: (method, path) => matchRoute(routes, method, path)?.route.template,
    handle(call) {
      const matched = matchRoute(routes, call.method, call.path);
      if (!matched)
        return {
          status: 404,
          body: `No QRS endpoint ${call.method} /qrs${call.path} in the simulator`,
          headers: { 'content-type': 'text/plain' },
        };
      try {
        return matched.route.handler(call, matched.params);
      } catch (error) {
        if (error instanceof QrsRequestError)
          return { status: error.status, body: error.message, headers: { 'content-type': 'text/plain' } };
        throw error;
      }
    },
  };
}

/** Downloads of exported apps (`GET <downloadPath>`); each export can be downloaded once, as in QSEoW. */
export function downloadExport(state: QseowState, token: string): QrsResult {
  const entry = state.exports.get(token);
  if (!entry || entry.downloaded)
    return { status: 404, body: 'export not found or already downloaded', headers: { 'content-type': 'text/plain' } };
  entry.downloaded = true;
  return {
    status: 200,
    body: entry.bytes,
    headers: {
      'content-type': 'application/vnd.qlik.sense.app',
      'content-disposition': `attachment; filename="${entry.fileName}"`,
    },
  };
}
