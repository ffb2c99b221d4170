/**
 * HTTP routes of automations.json: a tenant's automations (name, description, workspace, schedules),
 * enable/disable, and their runs on the simulator clock. The simulator does not execute workspaces:
 * a run is `running` for `AUTOMATION_RUN_MS` of simulated time and then `finished`, or `failed` when the
 * workspace is `{ "fail": true }` (a test hook, not Qlik behaviour). A run of a disabled automation is
 * refused with 400 (unverified; registry: automations-runs-simulated).
 */
import { compileScimFilter } from '../apis/scim-filter.js';
import type { Route } from '../http/types.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { contentRoute, isRecord, json, noContent, objectBody, type ContentCall, type ContentHandler } from './http.js';
import { guid, iso } from './ids.js';
import { paginate, type PageOptions } from './pagination.js';
import type { AutomationRecord, AutomationRunRecord, ContentState } from './state.js';
import { wireText } from '../http/wire-text.js';

export const AUTOMATION_RUN_MS = 3_000;

// Automations belong to users (listing every one is for admins, `listAll`): any user of the tenant (unverified;
// registry: automations-any-user).
const route = (method: string, path: string, handler: ContentHandler): Route => ({
  ...contentRoute('automations', 'errors-string-status', method, path, handler),
  access: 'user',
});

const PAGING: PageOptions = { nextParam: 'cursor', prevParam: 'cursor', defaultLimit: 100, maxLimit: 200 };

function runStatus(run: AutomationRunRecord, now: number): 'running' | 'finished' | 'failed' {
  if (now < run.startTime + AUTOMATION_RUN_MS) return 'running';
  return run.fails ? 'failed' : 'finished';
}

function renderRun(run: AutomationRunRecord, now: number): Record<string, unknown> {
  const status = runStatus(run, now);
  const ended = status !== 'running';
  return {
    id: run.id,
    status,
    context: 'api_async',
    title: run.title,
    startTime: iso(run.startTime),
    createdAt: iso(run.startTime),
    updatedAt: iso(ended ? run.startTime + AUTOMATION_RUN_MS : run.startTime),
    ...(ended ? { stopTime: iso(run.startTime + AUTOMATION_RUN_MS), duration: AUTOMATION_RUN_MS / 1000 } : {}),
    error: status === 'failed' ? [{ message: 'the workspace failed' }] : null,
    ownerId: run.ownerId,
    isTestRun: false,
    isArchived: false,
  };
}

function lastRunOf(state: ContentState, automationId: string): AutomationRunRecord | undefined {
  let last: AutomationRunRecord | undefined;
  for (const run of state.automationRuns.values()) if (run.automationId === automationId) last = run;
  return last;
}

function render(state: ContentState, a: AutomationRecord, now: number, detail: boolean): Record<string, unknown> {
  const last = lastRunOf(state, a.id);
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    state: a.state,
    ownerId: a.ownerId,
    runMode: a.schedules.length > 0 ? 'scheduled' : 'manual',
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    ...(detail ? { workspace: a.workspace, schedules: a.schedules, maxConcurrentRuns: a.maxConcurrentRuns } : {}),
    ...(last
      ? {
          lastRun: renderRun(last, now),
          lastRunStatus: runStatus(last, now),
          ...(runStatus(last, now) !== 'running' ? { lastRunAt: iso(last.startTime + AUTOMATION_RUN_MS) } : {}),
        }
      : {}),
  };
}

function getAutomation(state: ContentState, id: string): AutomationRecord {
  const automation = state.automations.get(id);
  if (!automation) throw notFoundError(`automation ${id}`);
  return automation;
}

function readSchedules(value: unknown): Array<Record<string, unknown>> {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((s) => !isRecord(s))) throw badRequestError('schedules must be objects');
  return value.map((s) => ({ id: guid(), ...(s as Record<string, unknown>) }));
}

/** Applies a create or update body; only the fields it names change. */
function applyBody(a: AutomationRecord, body: Record<string, unknown>, now: number): void {
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequestError('name must be a string');
    a.name = body.name;
  }
  if (body.description !== undefined) {
    if (typeof body.description !== 'string') throw badRequestError('description must be a string');
    a.description = body.description;
  }
  if (body.workspace !== undefined) {
    if (!isRecord(body.workspace)) throw badRequestError('workspace must be an object');
    a.workspace = structuredClone(body.workspace);
  }
  if (body.schedules !== undefined) a.schedules = readSchedules(body.schedules);
  if (body.maxConcurrentRuns !== undefined) {
    if (typeof body.maxConcurrentRuns !== 'number' || body.maxConcurrentRuns < 1)
      throw badRequestError('maxConcurrentRuns must be at least 1');
    a.maxConcurrentRuns = body.maxConcurrentRuns;
  }
  a.updatedAt = now;
}

const setState =
  (state: 'available' | 'disabled') =>
  ({ req, state: content, now }: ContentCall) => {
    const automation = getAutomation(content, req.params.id ?? '');
    automation.state = state;
    automation.updatedAt = now;
    return noContent();
  };

export const automationRoutes: Route[] = [
  route('GET', '/api/v1/automations', ({ req, state, now }) => {
    const filterText = req.query.get('filter');
    const filter = filterText ? compileScimFilter(filterText) : undefined;
    const sort = req.query.get('sort') ?? 'id';
    const field = sort.replace(/^[+-]/, '');
    const sign = sort.startsWith('-') ? -1 : 1;
    const rendered = [...state.automations.values()]
      .map((a) => render(state, a, now, false))
      .filter((a) => !filter || filter(a));
    rendered.sort((a, b) => {
      const ka = wireText(a[field]);
      const kb = wireText(b[field]);
      return ka < kb ? -sign : ka > kb ? sign : 0;
    });
    const page = paginate(rendered, req.url, PAGING);
    return json(200, { data: page.items, links: page.links });
  }),
  route('POST', '/api/v1/automations', ({ req, state, userId, now }) => {
    const body = objectBody(req);
    if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequestError('name is required');
    const automation: AutomationRecord = {
      id: guid(),
      name: '',
      description: '',
      workspace: {},
      schedules: [],
      maxConcurrentRuns: 1,
      state: 'available',
      ownerId: userId,
      createdAt: now,
      updatedAt: now,
    };
    applyBody(automation, body, now);
    state.automations.set(automation.id, automation);
    return json(201, render(state, automation, now, true));
  }),
  route('GET', '/api/v1/automations/{id}', ({ req, state, now }) =>
    json(200, render(state, getAutomation(state, req.params.id ?? ''), now, true)),
  ),
  route('PUT', '/api/v1/automations/{id}', ({ req, state, now }) => {
    const automation = getAutomation(state, req.params.id ?? '');
    applyBody(automation, objectBody(req), now);
    return json(200, render(state, automation, now, true));
  }),
  route('DELETE', '/api/v1/automations/{id}', ({ req, state }) => {
    const automation = getAutomation(state, req.params.id ?? '');
    state.automations.delete(automation.id);
    for (const [id, run] of state.automationRuns)
      if (run.automationId === automation.id) state.automationRuns.delete(id);
    return noContent();
  }),
  route('POST', '/api/v1/automations/{id}/actions/enable', setState('available')),
  route('POST', '/api/v1/automations/{id}/actions/disable', setState('disabled')),
  route('GET', '/api/v1/automations/{id}/runs', ({ req, state, now }) => {
    const automation = getAutomation(state, req.params.id ?? '');
    const runs = [...state.automationRuns.values()]
      .filter((run) => run.automationId === automation.id)
      .reverse()
      .map((run) => renderRun(run, now));
    const page = paginate(runs, req.url, PAGING);
    return json(200, { data: page.items, links: page.links });
  }),
  route('POST', '/api/v1/automations/{id}/runs', ({ req, state, userId, now }) => {
    const automation = getAutomation(state, req.params.id ?? '');
    const body = objectBody(req);
    if (body.context !== 'api') throw badRequestError('context must be "api"');
    if (automation.state === 'disabled')
      throw new ContentError(400, 'AUTOMATIONS-DISABLED', 'Bad request', `automation ${automation.id} is disabled`);
    const run: AutomationRunRecord = {
      id: guid(),
      automationId: automation.id,
      title: automation.name,
      ownerId: userId,
      startTime: now,
      fails: isRecord(automation.workspace) && automation.workspace.fail === true,
    };
    state.automationRuns.set(run.id, run);
    return json(201, renderRun(run, now));
  }),
  route('GET', '/api/v1/automations/{id}/runs/{runId}', ({ req, state, now }) => {
    const automation = getAutomation(state, req.params.id ?? '');
    const run = state.automationRuns.get(req.params.runId ?? '');
    if (!run || run.automationId !== automation.id) throw notFoundError(`run ${req.params.runId}`);
    return json(200, renderRun(run, now));
  }),
];
