/** HTTP routes of scheduling-tasks.json: tasks that reload an app, their runs and run logs. */
import { compileScimFilter } from '../apis/scim-filter.js';
import type { Route, SimRequest } from '../http/types.js';
import { ContentError, notFoundError } from './errors.js';
import { allowOnApp, allowsOnApp } from './access.js';
import { contentRoute, json, noContent, objectBody, type ContentCall, type ContentHandler } from './http.js';
import { guid } from './ids.js';
import { paginate, type PageOptions } from './pagination.js';
import {
  applyTaskDocument,
  lastRun,
  renderRun,
  runLog,
  runStatus,
  startRun,
  taskMetadata,
} from './scheduling-tasks.js';
import type { ContentState, SchedulingTaskRecord, TaskRunRecord } from './state.js';
import { wireText } from '../http/wire-text.js';

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('scheduling-tasks', 'numeric-code', method, path, handler);

const PAGING: PageOptions = { nextParam: 'page', prevParam: 'page', defaultLimit: 20, maxLimit: 100 };

function renderTask(state: ContentState, task: SchedulingTaskRecord): Record<string, unknown> {
  return {
    ...task.definition,
    id: task.id,
    enabled: task.enabled,
    resourceId: task.appId,
    metadata: taskMetadata(state, task),
  };
}

function getTask(state: ContentState, id: string): SchedulingTaskRecord {
  const task = state.schedulingTasks.get(id);
  if (!task) throw new ContentError(404, 'CHO-004', 'Not found', `task ${id} not found`);
  return task;
}

/** The fields the list's `filter` and `sort` name, flat. */
function listFields(state: ContentState, task: SchedulingTaskRecord): Record<string, unknown> {
  const last = lastRun(state, task.id);
  return {
    name: String(task.definition.name),
    enabled: task.enabled,
    resourceId: task.appId,
    ownerId: task.ownerId,
    spaceId: state.apps.get(task.appId)?.spaceId ?? '',
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.updatedAt).toISOString(),
    updatedBy: task.updatedBy,
    lastStatus: last ? runStatus(state, last) : '',
    lastTriggeredBy: last?.triggeredBy ?? '',
    lastStartedAt: last ? new Date(last.startedAt).toISOString() : '',
    lastExecutedAs: last?.executedAs ?? '',
    triggerType: task.schedule ? 0 : 1,
  };
}

function sortBy<T>(items: T[], sort: string, key: (item: T, field: string) => unknown): T[] {
  const field = sort.replace(/^[+-]/, '');
  const sign = sort.startsWith('-') ? -1 : 1;
  return items
    .map((item, index) => ({ item, index, k: key(item, field) }))
    .sort((a, b) => {
      const ka = wireText(a.k);
      const kb = wireText(b.k);
      return ka < kb ? -sign : ka > kb ? sign : a.index - b.index;
    })
    .map((x) => x.item);
}

function runsPage(req: SimRequest, state: ContentState, runs: TaskRunRecord[]) {
  const sort = req.query.get('sort') ?? '-startedAt';
  const rendered = runs.map((run) => renderRun(state, run));
  const sorted = sortBy(rendered, sort, (run, field) => run[field]);
  const page = paginate(sorted, req.url, PAGING);
  return json(200, { data: page.items, links: page.links });
}

/** The task of the request, when the caller may do `action` on its app. */
function taskFor(call: ContentCall, action: 'app.open' | 'app.reload'): SchedulingTaskRecord {
  const task = getTask(call.state, call.req.params.id ?? '');
  allowOnApp(call, action, task.appId);
  return task;
}

export const schedulingRoutes: Route[] = [
  route('POST', '/api/scheduling/tasks', (call) => {
    const { req, state, userId, now } = call;
    const task: SchedulingTaskRecord = {
      id: guid(),
      definition: {},
      enabled: false,
      appId: '',
      partial: false,
      usage: 'ANALYTICS',
      ownerId: userId,
      createdBy: userId,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
      schedule: undefined,
      nextAt: undefined,
      triggerId: guid(),
      orchestrationId: guid(),
    };
    applyTaskDocument(state, task, objectBody(req), now);
    allowOnApp(call, 'app.reload', task.appId);
    state.schedulingTasks.set(task.id, task);
    return json(201, renderTask(state, task));
  }),
  route('GET', '/api/scheduling/tasks', (call) => {
    const { req, state } = call;
    const resourceId = req.query.get('resourceId');
    const filterText = req.query.get('filter');
    const filter = filterText ? compileScimFilter(filterText) : undefined;
    const tasks = [...state.schedulingTasks.values()].filter(
      (task) =>
        allowsOnApp(call, 'app.open', task.appId) &&
        (!resourceId || task.appId === resourceId) &&
        (!filter || filter(listFields(state, task))),
    );
    const sorted = sortBy(
      tasks,
      req.query.get('sort') ?? '-updatedAt',
      (task, field) => listFields(state, task)[field],
    );
    const page = paginate(sorted, req.url, PAGING);
    return json(200, { data: page.items.map((task) => renderTask(state, task)), links: page.links });
  }),
  route('GET', '/api/scheduling/tasks/{id}', (call) => json(200, renderTask(call.state, taskFor(call, 'app.open')))),
  route('PUT', '/api/scheduling/tasks/{id}', (call) => {
    const { req, state, userId, now } = call;
    const task = taskFor(call, 'app.reload');
    // Validate on a copy: a rejected document leaves the task as it was.
    const next = structuredClone(task);
    applyTaskDocument(state, next, objectBody(req), now);
    allowOnApp(call, 'app.reload', next.appId);
    // The spec: replacing another user's task transfers its ownership to the caller.
    Object.assign(task, next, { ownerId: userId, updatedBy: userId });
    return json(200, renderTask(state, task));
  }),
  route('DELETE', '/api/scheduling/tasks/{id}', (call) => {
    call.state.schedulingTasks.delete(taskFor(call, 'app.reload').id);
    return noContent();
  }),
  route('POST', '/api/scheduling/tasks/{id}/actions/start', (call) => {
    const { req, state, now } = call;
    const task = taskFor(call, 'app.reload');
    if (!state.apps.has(task.appId)) throw notFoundError(`app ${task.appId}`);
    startRun(state, task, req.query.get('source') ?? 'manual', now);
    return json(200, { message: 'Task started successfully' });
  }),
  route('GET', '/api/scheduling/tasks/{id}/runs', (call) => {
    const { req, state } = call;
    const task = taskFor(call, 'app.open');
    return runsPage(
      req,
      state,
      [...state.taskRuns.values()].filter((run) => run.taskId === task.id),
    );
  }),
  route('GET', '/api/scheduling/tasks/{id}/runs/last', (call) => {
    const { state } = call;
    const task = taskFor(call, 'app.open');
    const run = lastRun(state, task.id);
    if (!run) throw new ContentError(404, 'CHO-004', 'Not found', `task ${task.id} has never run`);
    return json(200, renderRun(state, run));
  }),
  route('GET', '/api/scheduling/tasks/{id}/runs/{runId}/log', (call) => {
    const { req, state } = call;
    const task = taskFor(call, 'app.open');
    const run = state.taskRuns.get(req.params.runId ?? '');
    if (!run || run.taskId !== task.id) throw new ContentError(404, 'CHO-004', 'Not found', 'run not found');
    const log = runLog(state, run);
    const accept = String(req.headers.accept ?? 'application/json');
    if (accept.includes('text/plain') && !accept.includes('application/json'))
      return { status: 200, body: log, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    return json(200, { logContent: log });
  }),
  route('GET', '/api/scheduling/tasks/resources/{id}/runs', (call) => {
    const { req, state } = call;
    const appId = req.params.id ?? '';
    allowOnApp(call, 'app.open', appId);
    return runsPage(
      req,
      state,
      [...state.taskRuns.values()].filter((run) => run.appId === appId),
    );
  }),
];
