/** HTTP routes of reloads.json and reload-tasks.json. */
import type { Route, SimRequest } from '../http/types.js';
import { allow, allowOnApp, allowsOnApp } from './access.js';
import { getApp } from './apps.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import {
  absolute,
  contentRoute,
  isRecord,
  json,
  noContent,
  objectBody,
  optionalBoolean,
  optionalString,
  requiredString,
  type ContentCall,
  type ContentHandler,
} from './http.js';
import { iso, objectId } from './ids.js';
import { CURSOR_PAGING, paginate } from './pagination.js';
import { cancelReload, queueReload, scheduleTask } from './reload-runner.js';
import { parseRecurrence } from './schedule.js';
import type { ContentState, ReloadRecord, ReloadTaskRecord } from './state.js';

const RESOURCE_TYPES = ['api', 'reload-tasks', 'tasks', 'automate'] as const;

/**
 * What initiated a reload, by the service that started it. Scheduling-task runs report `choreographer`:
 * the scheduling service's error codes are `CHO-…` and reloads.json names choreographer as an initiator
 * (an inference, unverified; registry: reloads-choreographer-initiator).
 */
const RELOAD_TYPES: Record<(typeof RESOURCE_TYPES)[number], string> = {
  api: 'external',
  'reload-tasks': 'chronos',
  tasks: 'choreographer',
  automate: 'automations',
};

function renderReload(
  req: SimRequest,
  state: ContentState,
  r: ReloadRecord,
  withLog: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    appId: r.appId,
    tenantId: state.tenantId,
    userId: r.userId,
    type: RELOAD_TYPES[r.resourceType ?? 'api'],
    status: r.status,
    partial: r.partial,
    weight: r.weight,
    creationTime: iso(r.creationTime),
    links: { self: { href: absolute(req, `/api/v1/reloads/${r.id}`) } },
  };
  if (r.resourceType !== undefined) out.resourceType = r.resourceType;
  if (r.resourceId !== undefined) out.resourceId = r.resourceId;
  if (r.status !== 'QUEUED' && !(r.canceledAt !== undefined && r.canceledAt < r.startAt))
    out.startTime = iso(r.startAt);
  if (r.status === 'SUCCEEDED' || r.status === 'FAILED' || r.status === 'CANCELED') {
    out.endTime = iso(r.endAt);
    if (r.status !== 'CANCELED' || r.canceledAt === undefined || r.canceledAt >= r.startAt) {
      out.engineTime = `${Math.max(0, r.endAt - r.startAt) / 1000}s`;
    }
  }
  if (r.status === 'FAILED' && r.outcome) {
    if (r.outcome.errorCode) out.errorCode = r.outcome.errorCode;
    if (r.outcome.errorMessage) out.errorMessage = r.outcome.errorMessage;
  }
  if (withLog && r.outcome && (r.status === 'SUCCEEDED' || r.status === 'FAILED')) out.log = r.outcome.log;
  return out;
}

function readVariables(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw badRequestError('variables must be an object of name → value');
  const entries = Object.entries(value);
  if (entries.length > 20) throw badRequestError('at most 20 variables');
  for (const [name, v] of entries) {
    if (typeof v !== 'string' || v.length > 256 || name.length > 256) {
      throw badRequestError('variable names and values are strings of at most 256 characters');
    }
  }
  return value as Record<string, string>;
}

function readWeight(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10)
    throw badRequestError('weight must be an integer from 1 to 10');
  return value;
}

const reloadRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('reloads', 'errors-string-status', method, path, handler);
/**
 * The Reload Tasks API as `sim.behaviour.reloadTasksApi` has it (see state/behaviour.ts). The `410`
 * `TASKS-011` of the deprecated `POST` is documented (qlik.dev changelog 271); the same answer from every
 * operation of the removed API is unverified, and `removed-404` is the other plausible answer (registry:
 * reload-tasks-any-410, reloads-removed-api-410).
 */
function refuseRetiredReloadTasks({ req, ctx }: ContentCall): void {
  const mode = ctx.sim.behaviour.reloadTasksApi;
  if (mode === 'available' || (mode === 'deprecated' && req.method !== 'POST')) return;
  if (mode === 'removed-404')
    throw new ContentError(404, 'HTTP-404', 'Not found', `No route for ${req.method} ${req.path}.`);
  throw new ContentError(
    410,
    'TASKS-011',
    'Gone',
    mode === 'deprecated'
      ? 'Creating reload tasks is no longer supported; use the Scheduling Tasks API (/api/scheduling/tasks).'
      : 'The Reload Tasks API has been removed; use the Scheduling Tasks API (/api/scheduling/tasks).',
  );
}

const taskRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('reload-tasks', 'errors-string-status', method, path, (call) => {
    refuseRetiredReloadTasks(call);
    return handler(call);
  });

function getReload(state: ContentState, id: string): ReloadRecord {
  const reload = state.reloads.get(id);
  if (!reload) throw notFoundError(`reload ${id}`);
  return reload;
}

// ---- reload tasks --------------------------------------------------------------------------------

const RRULE = /^(RRULE|EXRULE|RDATE|EXDATE|DTSTART)[:;]/;

function readRecurrence(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'string' || !RRULE.test(r))) {
    throw badRequestError('recurrence must be an array of RFC 5545 lines such as "RRULE:FREQ=DAILY;BYHOUR=2"');
  }
  parseRecurrence(value as string[]);
  return value as string[];
}

function readTimeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw badRequestError(`timeZone ${value} is not an IANA time zone`);
  }
  return value;
}

function renderTask(req: SimRequest, state: ContentState, t: ReloadTaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id,
    appId: t.appId,
    jobId: t.id,
    userId: t.userId,
    tenantId: state.tenantId,
    timeZone: t.timeZone,
    recurrence: t.recurrence,
    partial: t.partial,
    autoReload: t.autoReload,
    autoReloadPartial: t.autoReloadPartial,
    state: t.state,
    type: 'scheduled_reload',
    migrated: false,
    links: { self: { href: absolute(req, `/api/v1/reload-tasks/${t.id}`) } },
  };
  if (t.spaceId !== undefined) out.spaceId = t.spaceId;
  if (t.startDateTime !== undefined) out.startDateTime = t.startDateTime;
  if (t.endDateTime !== undefined) out.endDateTime = t.endDateTime;
  if (t.nextAt !== undefined) out.nextExecutionTime = iso(t.nextAt);
  if (t.lastExecutionTime !== undefined) out.lastExecutionTime = iso(t.lastExecutionTime);
  if (t.state === 'Disabled') out.disabledCode = 'MANUALLY';
  return out;
}

function applyTaskBody(state: ContentState, task: ReloadTaskRecord, body: Record<string, unknown>): void {
  const appId = optionalString(body, 'appId');
  if (appId !== undefined) {
    const app = getApp(state, appId);
    task.appId = app.id;
    task.spaceId = app.spaceId;
  }
  const timeZone = optionalString(body, 'timeZone');
  if (timeZone !== undefined) task.timeZone = readTimeZone(timeZone);
  if (body.recurrence !== undefined) task.recurrence = readRecurrence(body.recurrence);
  task.partial = optionalBoolean(body, 'partial') ?? task.partial;
  task.autoReload = optionalBoolean(body, 'autoReload') ?? task.autoReload;
  task.autoReloadPartial = optionalBoolean(body, 'autoReloadPartial') ?? task.autoReloadPartial;
  const start = optionalString(body, 'startDateTime');
  const end = optionalString(body, 'endDateTime');
  for (const [key, v] of [
    ['startDateTime', start],
    ['endDateTime', end],
  ] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw badRequestError(`${key} must be a date-time`);
  }
  if (start !== undefined) task.startDateTime = start;
  if (end !== undefined) task.endDateTime = end;
  const stateValue = optionalString(body, 'state');
  if (stateValue !== undefined) {
    if (stateValue !== 'Enabled' && stateValue !== 'Disabled' && stateValue !== 'Completed')
      throw badRequestError('state must be Enabled, Disabled or Completed');
    task.state = stateValue;
  }
}

function getTask(state: ContentState, id: string): ReloadTaskRecord {
  const task = state.reloadTasks.get(id);
  if (!task) throw notFoundError(`reload task ${id}`);
  return task;
}

/** The reload of the request, when the caller may do `action` on its app. */
function reloadFor(call: ContentCall, action: 'app.open' | 'app.reload'): ReloadRecord {
  const reload = getReload(call.state, call.req.params.reloadId ?? '');
  allowOnApp(call, action, reload.appId);
  return reload;
}

/** The reload task of the request, when the caller may do `action` on its app. */
function taskFor(call: ContentCall, action: 'app.open' | 'app.reload'): ReloadTaskRecord {
  const task = getTask(call.state, call.req.params.taskId ?? '');
  allowOnApp(call, action, task.appId);
  return task;
}

export const reloadRoutes: Route[] = [
  reloadRoute('POST', '/api/v1/reloads', (call) => {
    const { req, state, userId, now } = call;
    const body = objectBody(req);
    const app = getApp(state, requiredString(body, 'appId'));
    allow(call, 'app.reload', app);
    const resourceType = optionalString(body, 'resourceType');
    if (resourceType !== undefined && !(RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
      throw badRequestError(`resourceType must be one of ${RESOURCE_TYPES.join(', ')}`);
    }
    const reload = queueReload(
      state,
      app,
      {
        userId,
        partial: optionalBoolean(body, 'partial') ?? false,
        weight: readWeight(body.weight),
        variables: readVariables(body.variables),
        resourceType: resourceType as ReloadRecord['resourceType'],
        resourceId: optionalString(body, 'resourceId'),
      },
      now,
    );
    return json(201, renderReload(req, state, reload, false));
  }),
  reloadRoute('GET', '/api/v1/reloads', (call) => {
    const { req, state } = call;
    const appId = req.query.get('appId');
    if (!appId) throw badRequestError('appId is required');
    allowOnApp(call, 'app.open', appId);
    const partial = req.query.get('partial');
    const status = /status\s+eq\s+"?([A-Z_]+)"?/i.exec(req.query.get('filter') ?? '')?.[1]?.toUpperCase();
    const sort = req.query.get('sort') ?? '-creationTime';
    const field = sort.replace(/^[+-]/, '') as 'creationTime' | 'status' | 'startTime' | 'endTime';
    const key = (r: ReloadRecord): number | string =>
      field === 'status'
        ? r.status
        : field === 'startTime'
          ? r.startAt
          : field === 'endTime'
            ? r.endAt
            : r.creationTime;
    // Insertion order breaks ties: reloads queued in the same millisecond still list in creation order.
    const order = new Map([...state.reloads.keys()].map((id, index) => [id, index]));
    const all = [...state.reloads.values()]
      .filter((r) => r.appId === appId)
      .filter((r) => partial === null || String(r.partial) === partial)
      .filter((r) => !status || r.status === status)
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        const cmp = ka < kb ? -1 : ka > kb ? 1 : (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
        return sort.startsWith('-') ? -cmp : cmp;
      });
    const page = paginate(all, req.url, CURSOR_PAGING(10));
    const withLog = req.query.get('log') === 'true';
    return json(200, { data: page.items.map((r) => renderReload(req, state, r, withLog)), links: page.links });
  }),
  reloadRoute('GET', '/api/v1/reloads/{reloadId}', (call) =>
    json(200, renderReload(call.req, call.state, reloadFor(call, 'app.open'), true)),
  ),
  reloadRoute('POST', '/api/v1/reloads/{reloadId}/actions/cancel', (call) => {
    const { state, now } = call;
    const reload = reloadFor(call, 'app.reload');
    if (!cancelReload(state, reload, now)) {
      throw new ContentError(409, 'HTTP-409', 'Conflict', `reload ${reload.id} has already ended (${reload.status})`);
    }
    return reload.status === 'CANCELED' ? noContent() : json(202, { status: reload.status });
  }),
  taskRoute('POST', '/api/v1/reload-tasks', (call) => {
    const { req, state, userId, now } = call;
    const body = objectBody(req);
    const app = getApp(state, requiredString(body, 'appId'));
    allow(call, 'app.reload', app);
    const task: ReloadTaskRecord = {
      id: objectId(),
      appId: app.id,
      userId,
      spaceId: app.spaceId,
      partial: false,
      autoReload: false,
      autoReloadPartial: false,
      timeZone: readTimeZone(requiredString(body, 'timeZone')),
      recurrence: [],
      startDateTime: undefined,
      endDateTime: undefined,
      state: 'Enabled',
      created: now,
      nextAt: undefined,
      lastExecutionTime: undefined,
    };
    applyTaskBody(state, task, body);
    scheduleTask(task, now);
    state.reloadTasks.set(task.id, task);
    return json(201, renderTask(req, state, task));
  }),
  taskRoute('GET', '/api/v1/reload-tasks', (call) => {
    const { req, state } = call;
    const appId = req.query.get('appId');
    const partial = req.query.get('partial');
    const all = [...state.reloadTasks.values()]
      .filter((t) => allowsOnApp(call, 'app.open', t.appId))
      .filter((t) => !appId || t.appId === appId)
      .filter((t) => partial === null || String(t.partial) === partial)
      .sort((a, b) => a.created - b.created);
    const page = paginate(all, req.url, CURSOR_PAGING(10));
    return json(200, { data: page.items.map((t) => renderTask(req, state, t)), links: page.links });
  }),
  taskRoute('GET', '/api/v1/reload-tasks/{taskId}', (call) =>
    json(200, renderTask(call.req, call.state, taskFor(call, 'app.open'))),
  ),
  taskRoute('PUT', '/api/v1/reload-tasks/{taskId}', (call) => {
    const { req, state, now } = call;
    const task = taskFor(call, 'app.reload');
    applyTaskBody(state, task, objectBody(req));
    scheduleTask(task, now);
    return json(200, renderTask(req, state, task));
  }),
  taskRoute('DELETE', '/api/v1/reload-tasks/{taskId}', (call) => {
    call.state.reloadTasks.delete(taskFor(call, 'app.reload').id);
    return noContent();
  }),
];
