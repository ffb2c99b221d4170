/**
 * Scheduling tasks (scheduling-tasks.json) that reload an app: reading a task document, its schedule,
 * and its runs on the simulator clock. A run starts a reload (`resourceType: tasks`); the run is
 * RUNNING while that reload is active and takes its outcome and log from it.
 *
 * Beyond the spec (the spec describes the document, not its meaning), from qlik.dev's pages on the
 * time-schedule reload endpoint and the Serverless Workflow shape of the spec's example:
 * - the app is the `appId` argument of the one `app.reload` action in `states[].onEvents[].actions[]`;
 *   a missing app is `403 CHO-003`, a bad document `400 CHO-001`, a bad schedule `400 CHO-017`;
 * - `start.schedule` (`recurrence` RRULE or ISO 8601 `interval`, in `timezone`, between `startDateTime`
 *   and `endDateTime`) fires the task; creating a task never runs it; a task is disabled unless `enabled`.
 * The simulator does not evaluate `cron` schedules and rejects them rather than never firing.
 * All unverified (registry: scheduling-error-context, scheduling-no-cron).
 */
import { getApp } from './apps.js';
import { ContentError } from './errors.js';
import { guid } from './ids.js';
import { isActive, queueReload } from './reload-runner.js';
import { anchorInstant, nextOccurrence, parseRecurrence } from './schedule.js';
import type { ContentState, ReloadRecord, SchedulingTaskRecord, TaskRunRecord, TaskScheduleRecord } from './state.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const invalidTask = (detail: string): ContentError => new ContentError(400, 'CHO-001', 'Invalid task', detail);
const invalidSchedule = (detail: string): ContentError =>
  new ContentError(400, 'CHO-017', 'The schedule was rejected', detail);

/** Fields of a task document the service owns: a value sent for them is ignored. */
const SERVER_FIELDS = new Set(['id', 'resourceId', 'metadata']);
const USAGES = new Set(['ANALYTICS', 'DATA_PREPARATION', 'DATAFLOW_PREP', 'SINGLE_TABLE_PREP']);

interface ReloadAction {
  appId: string;
  partial: boolean;
}

function reloadActions(states: unknown): ReloadAction[] {
  const found: ReloadAction[] = [];
  if (!Array.isArray(states)) return found;
  for (const state of states) {
    const onEvents = isRecord(state) && Array.isArray(state.onEvents) ? state.onEvents : [];
    for (const onEvent of onEvents) {
      const actions = isRecord(onEvent) && Array.isArray(onEvent.actions) ? onEvent.actions : [];
      for (const action of actions) {
        const ref = isRecord(action) ? action.functionRef : undefined;
        if (!isRecord(ref) || ref.refName !== 'app.reload') continue;
        const args = isRecord(ref.arguments) ? ref.arguments : {};
        if (typeof args.appId !== 'string' || args.appId === '')
          throw invalidTask('the app.reload action needs arguments.appId');
        found.push({ appId: args.appId, partial: args.partial === true });
      }
    }
  }
  return found;
}

function readTimeZone(value: unknown): string {
  if (value === undefined) return 'UTC';
  if (typeof value !== 'string') throw invalidSchedule('timezone must be a string');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw invalidSchedule(`timezone ${value} is not an IANA time zone`);
  }
  return value;
}

const INTERVAL = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

function readInterval(value: string): number {
  const m = INTERVAL.exec(value);
  const ms = m
    ? (Number(m[1] ?? 0) * 86_400 + Number(m[2] ?? 0) * 3_600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000
    : 0;
  if (ms < 60_000) throw invalidSchedule(`interval ${value} must be an ISO 8601 duration of at least one minute`);
  return ms;
}

function readSchedule(start: unknown, now: number): TaskScheduleRecord | undefined {
  if (start === undefined) return undefined;
  if (!isRecord(start)) throw invalidTask('start must be an object');
  const schedule = start.schedule;
  if (typeof schedule === 'string') {
    return {
      recurrence: undefined,
      intervalMs: readInterval(schedule),
      timeZone: 'UTC',
      startDateTime: undefined,
      endDateTime: undefined,
    };
  }
  if (!isRecord(schedule)) throw invalidTask('start.schedule is required');
  if (schedule.cron !== undefined) throw invalidSchedule('the simulator does not evaluate cron schedules');
  const timeZone = readTimeZone(schedule.timezone);
  const text = (key: string): string | undefined => {
    const v = schedule[key];
    if (v !== undefined && typeof v !== 'string') throw invalidSchedule(`${key} must be a string`);
    return v;
  };
  const recurrence = text('recurrence');
  const interval = text('interval');
  if (recurrence === undefined && interval === undefined)
    throw invalidSchedule('the schedule needs a recurrence or an interval');
  if (recurrence !== undefined) {
    if (!/^RRULE:/i.test(recurrence))
      throw invalidSchedule('recurrence must be an RRULE line such as "RRULE:FREQ=DAILY"');
    try {
      parseRecurrence([recurrence]);
    } catch (error) {
      throw invalidSchedule(error instanceof ContentError ? (error.detail ?? error.title) : String(error));
    }
  }
  const startDateTime = text('startDateTime');
  const endDateTime = text('endDateTime');
  for (const [key, v] of [
    ['startDateTime', startDateTime],
    ['endDateTime', endDateTime],
  ] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v)) && Number.isNaN(Date.parse(`${v}Z`)))
      throw invalidSchedule(`${key} must be a date-time`);
  }
  if (endDateTime !== undefined) {
    const end = anchorInstant(endDateTime, timeZone, Number.POSITIVE_INFINITY);
    if (end <= now) throw invalidSchedule('endDateTime is in the past');
    if (startDateTime !== undefined && end <= anchorInstant(startDateTime, timeZone, now))
      throw invalidSchedule('endDateTime is not after startDateTime');
  }
  return {
    recurrence,
    intervalMs: interval === undefined ? undefined : readInterval(interval),
    timeZone,
    startDateTime,
    endDateTime,
  };
}

/** Reads a task document (POST or PUT body) into `task`'s fields; throws 400/403 ContentErrors. */
export function applyTaskDocument(
  state: ContentState,
  task: SchedulingTaskRecord,
  body: Record<string, unknown>,
  now: number,
): void {
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)
    throw invalidTask('name must be 1 to 100 characters');
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 1024))
    throw invalidTask('description must be at most 1024 characters');
  if (typeof body.specVersion !== 'string' || body.specVersion === '') throw invalidTask('specVersion is required');
  const actions = reloadActions(body.states);
  if (actions.length !== 1) throw invalidTask('the states must hold exactly one app.reload action');
  const action = actions[0] as ReloadAction;
  try {
    getApp(state, action.appId);
  } catch {
    throw new ContentError(403, 'CHO-003', 'Forbidden', `app ${action.appId} does not exist or is not accessible`);
  }
  const schedule = readSchedule(body.start, now);
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const usage = typeof metadata.usage === 'string' && USAGES.has(metadata.usage) ? metadata.usage : 'ANALYTICS';
  task.definition = Object.fromEntries(Object.entries(body).filter(([key]) => !SERVER_FIELDS.has(key)));
  delete task.definition.enabled;
  task.enabled = body.enabled === true;
  task.appId = action.appId;
  task.partial = action.partial;
  task.usage = usage;
  task.schedule = schedule;
  task.updatedAt = now;
  scheduleNext(task, now);
}

/** When the task fires next after `after` (undefined: disabled, no time schedule, or past its end). */
export function scheduleNext(task: SchedulingTaskRecord, after: number): void {
  const s = task.schedule;
  if (!task.enabled || !s) {
    task.nextAt = undefined;
    return;
  }
  const anchor = anchorInstant(s.startDateTime, s.timeZone, task.createdAt);
  const end = s.endDateTime ? anchorInstant(s.endDateTime, s.timeZone, Number.POSITIVE_INFINITY) : undefined;
  if (s.intervalMs !== undefined) {
    const next = anchor > after ? anchor : anchor + (Math.floor((after - anchor) / s.intervalMs) + 1) * s.intervalMs;
    task.nextAt = end !== undefined && next > end ? undefined : next;
    return;
  }
  const rule = parseRecurrence([s.recurrence ?? '']);
  task.nextAt = rule ? nextOccurrence(rule, { anchor, timeZone: s.timeZone, after, end }) : undefined;
}

/** The task's metadata as the service reports it (additionalProperties: false in the spec). */
export function taskMetadata(state: ContentState, task: SchedulingTaskRecord): Record<string, unknown> {
  const app = state.apps.get(task.appId);
  const space = app?.spaceId ? state.spaces.get(app.spaceId) : undefined;
  const last = lastRun(state, task.id);
  const meta: Record<string, unknown> = {
    usage: task.usage,
    ownerId: task.ownerId,
    createdBy: task.createdBy,
    tenantId: state.tenantId,
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.updatedAt).toISOString(),
    resourceType: 'app',
    resourceSubType: 'script',
    scriptOwnerId: app?.ownerId ?? task.ownerId,
    trigger: { id: task.triggerId, type: task.schedule ? 0 : 1 },
    orchestration: {
      id: task.orchestrationId,
      type: 2,
      ...(last ? { lastRun: renderRunBase(state, last), attrs: { last_run_status: runStatus(state, last) } } : {}),
    },
    topology: { isChild: false, isParent: false },
  };
  if (app) meta.resourceName = app.name;
  if (app?.spaceId) meta.spaceId = app.spaceId;
  if (space) meta.spaceType = space.type;
  if (!task.enabled && task.nextAt === undefined && task.schedule) meta.disabledCode = 'MANUALLY';
  return meta;
}

function reloadOf(state: ContentState, run: TaskRunRecord): ReloadRecord | undefined {
  return state.reloads.get(run.reloadId);
}

export function runStatus(state: ContentState, run: TaskRunRecord): 'RUNNING' | 'SUCCEEDED' | 'FAILED' {
  const reload = reloadOf(state, run);
  if (!reload) return 'FAILED';
  if (isActive(reload)) return 'RUNNING';
  return reload.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
}

export function renderRunBase(state: ContentState, run: TaskRunRecord): Record<string, unknown> {
  const status = runStatus(state, run);
  const reload = reloadOf(state, run);
  const out: Record<string, unknown> = {
    id: run.id,
    status,
    workerId: run.reloadId,
    workerType: 'reloads',
    triggeredBy: run.triggeredBy,
    executedAs: run.executedAs,
    startedAt: new Date(run.startedAt).toISOString(),
  };
  if (status !== 'RUNNING' && reload) out.endedAt = new Date(reload.endAt).toISOString();
  return out;
}

export function renderRun(state: ContentState, run: TaskRunRecord): Record<string, unknown> {
  return {
    ...renderRunBase(state, run),
    taskId: run.taskId,
    actionId: run.actionId,
    taskName: run.taskName,
    resourceId: run.appId,
    taskMeta: run.taskMeta,
  };
}

/** The run's log: the reload's log once it has one. */
export function runLog(state: ContentState, run: TaskRunRecord): string {
  return reloadOf(state, run)?.outcome?.log ?? '';
}

export function lastRun(state: ContentState, taskId: string): TaskRunRecord | undefined {
  let last: TaskRunRecord | undefined;
  for (const run of state.taskRuns.values()) if (run.taskId === taskId) last = run;
  return last;
}

/** Starts a run now: one reload of the task's app. */
export function startRun(
  state: ContentState,
  task: SchedulingTaskRecord,
  triggeredBy: string,
  at: number,
): TaskRunRecord {
  const app = getApp(state, task.appId);
  const reload = queueReload(
    state,
    app,
    {
      userId: task.ownerId,
      partial: task.partial,
      weight: 1,
      variables: {},
      resourceType: 'tasks',
      resourceId: task.id,
    },
    at,
  );
  const run: TaskRunRecord = {
    id: guid(),
    taskId: task.id,
    taskName: String(task.definition.name),
    appId: task.appId,
    actionId: 'app.reload',
    reloadId: reload.id,
    triggeredBy,
    executedAs: task.ownerId,
    startedAt: at,
    taskMeta: taskMetadata(state, task),
  };
  state.taskRuns.set(run.id, run);
  return run;
}

/** Fires due tasks once each at their due time (missed occurrences are not caught up), then reschedules. */
export function fireDueSchedulingTasks(state: ContentState, now: number): void {
  for (const task of state.schedulingTasks.values()) {
    if (!task.enabled || task.nextAt === undefined || task.nextAt > now) continue;
    const due = task.nextAt;
    if (state.apps.has(task.appId)) startRun(state, task, 'time-schedule', due);
    scheduleNext(task, now);
  }
}
