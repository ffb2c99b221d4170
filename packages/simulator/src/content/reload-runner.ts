/**
 * Reload execution on the simulator clock. A reload is QUEUED until `startAt`, RELOADING until
 * `endAt`, then SUCCEEDED or FAILED. Statuses are derived from the clock whenever content is read
 * (`settleReloads`), so no timers outlive the server and a manual clock drives them exactly.
 *
 * The outcome comes from the script: every connection it names must exist where the script says
 * (`Space:name`) or in the app's space. The engine server uses the same evaluation (`evaluateReload`).
 */
import { resolveConnectionForApp } from './connections.js';
import { guid } from './ids.js';
import { anchorInstant, nextOccurrence, parseRecurrence } from './schedule.js';
import { findConnectionReferences, isBuiltInConnection } from './script.js';
import type { AppRecord, ContentState, ReloadRecord, ReloadTaskRecord } from './state.js';

/** Simulated durations of a reload's phases. */
export interface ReloadTiming {
  queuedMs: number;
  reloadingMs: number;
  cancelingMs: number;
}

export const DEFAULT_RELOAD_TIMING: ReloadTiming = { queuedMs: 1_000, reloadingMs: 4_000, cancelingMs: 500 };

const timings = new WeakMap<ContentState, ReloadTiming>();

export function setReloadTiming(state: ContentState, timing: Partial<ReloadTiming>): void {
  timings.set(state, { ...reloadTiming(state), ...timing });
}

export function reloadTiming(state: ContentState): ReloadTiming {
  return timings.get(state) ?? DEFAULT_RELOAD_TIMING;
}

export interface ReloadOutcome {
  success: boolean;
  log: string;
  errorCode?: string;
  errorMessage?: string;
}

const ts = (epochMs: number): string => new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);

/** Runs the app's script against the tenant's connections as they are now. */
export function evaluateReload(
  state: ContentState,
  app: AppRecord,
  now: number,
  options: { partial?: boolean; variables?: Readonly<Record<string, string>> } = {},
): ReloadOutcome {
  const lines = [`${ts(now)} Started loading data${options.partial ? ' (partial reload)' : ''}`];
  for (const ref of findConnectionReferences(app.script, options.variables)) {
    if (ref.name === '') {
      const message = `LIB CONNECT TO names no connection (line ${ref.line}); is a variable unset?`;
      lines.push(`${ts(now)} Error: ${message}`, `${ts(now)} Execution failed`);
      return { success: false, log: `${lines.join('\n')}\n`, errorCode: 'CONNECTION_NOT_FOUND', errorMessage: message };
    }
    if (isBuiltInConnection(ref.name)) continue;
    const { connection, spaceLabel } = resolveConnectionForApp(state, app, ref);
    const written = ref.spaceName ? `${ref.spaceName}:${ref.name}` : ref.name;
    if (!connection) {
      const message = `Connection '${written}' not found in space '${spaceLabel}' (line ${ref.line})`;
      lines.push(`${ts(now)} ${ref.text}`, `${ts(now)} Error: ${message}`, `${ts(now)} Execution failed`);
      return { success: false, log: `${lines.join('\n')}\n`, errorCode: 'CONNECTION_NOT_FOUND', errorMessage: message };
    }
    lines.push(
      `${ts(now)} Connecting to '${connection.name}' in space '${spaceLabel}' (${connection.type})`,
      `${ts(now)} Connected.`,
    );
  }
  lines.push(`${ts(now)} App saved`, `${ts(now)} Finished successfully`);
  return { success: true, log: `${lines.join('\n')}\n` };
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
  const timing = reloadTiming(state);
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
  const timing = reloadTiming(state);
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
  const app = state.apps.get(reload.appId);
  if (reload.outcome === undefined) {
    reload.outcome = app
      ? evaluateReload(state, app, reload.startAt, { partial: reload.partial, variables: reload.variables })
      : {
          success: false,
          log: 'Error: the app no longer exists\n',
          errorCode: 'APP_NOT_FOUND',
          errorMessage: 'the app no longer exists',
        };
  }
  if (now < reload.endAt) {
    reload.status = 'RELOADING';
    return;
  }
  reload.status = reload.outcome.success ? 'SUCCEEDED' : 'FAILED';
  if (reload.outcome.success && app) {
    app.lastReloadTime = reload.endAt;
    app.hasData = true;
  }
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

/** Fires due schedules and brings every active reload up to date with the clock. Called before each content request. */
export function settleReloads(state: ContentState, now: number): void {
  fireDueTasks(state, now);
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

/** An immediate reload (the engine's DoReload): no Reload record, same outcome rules. */
export function reloadNow(
  state: ContentState,
  app: AppRecord,
  now: number,
  options: { partial?: boolean } = {},
): ReloadOutcome {
  const outcome = evaluateReload(state, app, now, options);
  if (outcome.success) {
    app.lastReloadTime = now;
    app.hasData = true;
  }
  return outcome;
}
