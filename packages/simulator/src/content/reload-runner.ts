/**
 * Reload execution on the simulator clock. A reload is QUEUED until `startAt`, RELOADING until
 * `endAt`, then SUCCEEDED or FAILED. Statuses are derived from the clock whenever content is read
 * (`settleReloads`), so no timers outlive the server and a manual clock drives them exactly.
 *
 * The outcome comes from running the app's script (the load-script interpreter) when the reload is
 * first seen started: it reads the tenant's files and opens its data connections as they are then.
 * The run is asynchronous (SQL goes to real databases); `settleReloads` awaits it, so a read after
 * `endAt` always sees the final status. The engine's DoReload uses the same run (`runReload`).
 */
import type { Databases } from '../engine/script/databases.js';
import { runScript } from '../engine/script/index.js';
import type { LoadedData } from '../engine/table.js';
import { guid } from './ids.js';
import { appDataSources } from './reload-sources.js';
import { anchorInstant, nextOccurrence, parseRecurrence } from './schedule.js';
import type { AppRecord, ContentState, ReloadRecord, ReloadTaskRecord } from './state.js';

/** Simulated durations of a reload's phases. */
const RELOAD_TIMING = { queuedMs: 1_000, reloadingMs: 4_000, cancelingMs: 500 } as const;

export interface ReloadOutcome {
  success: boolean;
  log: string;
  errorCode?: string;
  errorMessage?: string;
  /** The failure without its place, and the failing statement's line and text, for the engine's error data. */
  errorReason?: string;
  errorLine?: number;
  errorStatement?: string;
  /** What a successful reload loaded. */
  data?: LoadedData;
}

const ts = (epochMs: number): string => new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);

/** Runs the app's script against the tenant's files and connections as they are now. */
export async function runReload(
  state: ContentState,
  app: Pick<AppRecord, 'id' | 'spaceId' | 'ownerId' | 'script'>,
  databases: Databases,
  now: number,
  options: { partial?: boolean; variables?: Readonly<Record<string, string>> } = {},
): Promise<ReloadOutcome> {
  const result = await runScript(app.script, {
    variables: options.variables,
    sources: appDataSources(state, app, databases),
  });
  const lines = [`Started loading data${options.partial ? ' (partial reload)' : ''}`, ...result.log];
  if (result.success) lines.push('App saved', 'Finished successfully');
  const log = `${lines.map((line) => `${ts(now)} ${line}`).join('\n')}\n`;
  if (result.success) return { success: true, log, data: result.data };
  const { error } = result;
  return {
    success: false,
    log,
    errorCode: error.code,
    errorMessage: error.message,
    errorReason: error.reason,
    errorLine: error.line,
    errorStatement: error.statement,
  };
}

const ACTIVE = new Set(['QUEUED', 'RELOADING', 'CANCELING']);

export function isActive(reload: ReloadRecord): boolean {
  return ACTIVE.has(reload.status);
}

/** Queues a reload. It starts when the previous reload of the same app has ended (one at a time per app). */
export function queueReload(
  state: ContentState,
  app: AppRecord,
  input: Pick<ReloadRecord, 'userId' | 'partial' | 'weight' | 'variables' | 'resourceType' | 'resourceId'>,
  now: number,
): ReloadRecord {
  const timing = RELOAD_TIMING;
  let startAt = now + timing.queuedMs;
  for (const other of state.reloads.values()) {
    if (other.appId === app.id && isActive(other)) startAt = Math.max(startAt, other.endAt);
  }
  const reload: ReloadRecord = {
    id: guid().replace(/-/g, '').slice(0, 24),
    appId: app.id,
    ...input,
    creationTime: now,
    startAt,
    endAt: startAt + timing.reloadingMs,
    outcome: undefined,
    canceledAt: undefined,
    status: 'QUEUED',
  };
  state.reloads.set(reload.id, reload);
  settleReload(state, reload, now);
  return reload;
}

function settleReload(state: ContentState, reload: ReloadRecord, now: number): void {
  if (!isActive(reload)) return;
  const timing = RELOAD_TIMING;
  if (reload.canceledAt !== undefined) {
    const canceledWhileQueued = reload.canceledAt < reload.startAt;
    if (canceledWhileQueued || now >= reload.canceledAt + timing.cancelingMs) {
      reload.status = 'CANCELED';
      reload.endAt = canceledWhileQueued ? reload.canceledAt : reload.canceledAt + timing.cancelingMs;
    } else {
      reload.status = 'CANCELING';
    }
    return;
  }
  if (now < reload.startAt) return;
  // Until its run has decided, a started reload is RELOADING, whatever the clock says.
  if (now < reload.endAt || reload.outcome === undefined) {
    reload.status = 'RELOADING';
    return;
  }
  reload.status = reload.outcome.success ? 'SUCCEEDED' : 'FAILED';
  const app = state.apps.get(reload.appId);
  if (reload.outcome.success && app) {
    app.lastReloadTime = reload.endAt;
    app.hasData = true;
    app.data = reload.outcome.data;
  }
  // The tables now live with the app; the record keeps only the log.
  delete reload.outcome.data;
}

const runs = new WeakMap<ReloadRecord, Promise<void>>();

const APP_GONE: ReloadOutcome = {
  success: false,
  log: 'Error: the app no longer exists\n',
  errorCode: 'APP_NOT_FOUND',
  errorMessage: 'the app no longer exists',
};

/** Starts (once) the run of a reload that has left the queue; resolves when its outcome is set. */
function runStarted(state: ContentState, reload: ReloadRecord, databases: Databases): Promise<void> {
  let run = runs.get(reload);
  if (!run) {
    const app = state.apps.get(reload.appId);
    const outcome = app
      ? runReload(state, app, databases, reload.startAt, { partial: reload.partial, variables: reload.variables })
      : Promise.resolve(APP_GONE);
    run = outcome.then((decided) => {
      reload.outcome = decided;
    });
    runs.set(reload, run);
  }
  return run;
}

/** Computes when an enabled task fires next, after `after`. */
export function scheduleTask(task: ReloadTaskRecord, after: number): void {
  const rule = task.state === 'Enabled' ? parseRecurrence(task.recurrence) : undefined;
  const end = task.endDateTime ? anchorInstant(task.endDateTime, task.timeZone, Number.POSITIVE_INFINITY) : undefined;
  task.nextAt = rule
    ? nextOccurrence(rule, {
        anchor: anchorInstant(task.startDateTime, task.timeZone, task.created),
        timeZone: task.timeZone,
        after,
        end,
      })
    : undefined;
}

/**
 * Fires due schedules: one reload (`type: chronos`) at the due occurrence; occurrences missed while
 * nobody looked are not caught up. The schedule then moves to its next occurrence after `now`.
 */
function fireDueTasks(state: ContentState, now: number): void {
  for (const task of state.reloadTasks.values()) {
    if (task.state !== 'Enabled' || task.nextAt === undefined || task.nextAt > now) continue;
    const due = task.nextAt;
    const app = state.apps.get(task.appId);
    if (app) {
      queueReload(
        state,
        app,
        {
          userId: task.userId,
          partial: task.partial,
          weight: 1,
          variables: {},
          resourceType: 'reload-tasks',
          resourceId: task.id,
        },
        due,
      );
    }
    task.lastExecutionTime = due;
    scheduleTask(task, now);
    if (task.nextAt === undefined) task.state = 'Completed';
  }
}

/**
 * Fires due schedules and brings every active reload up to date with the clock. Called before each
 * content request. With `databases`, reloads that have started are run (and awaited); without, they
 * stay RELOADING until a settle that can run them.
 */
export async function settleReloads(state: ContentState, now: number, databases?: Databases): Promise<void> {
  fireDueTasks(state, now);
  if (databases) {
    const started = [...state.reloads.values()].filter(
      (r) => isActive(r) && r.canceledAt === undefined && r.outcome === undefined && now >= r.startAt,
    );
    await Promise.all(started.map((reload) => runStarted(state, reload, databases)));
  }
  for (const reload of state.reloads.values()) settleReload(state, reload, now);
}

/** Cancels an active reload; returns false when it has already ended. */
export function cancelReload(state: ContentState, reload: ReloadRecord, now: number): boolean {
  settleReload(state, reload, now);
  if (!isActive(reload) || reload.canceledAt !== undefined) return false;
  reload.canceledAt = now;
  settleReload(state, reload, now);
  return true;
}
