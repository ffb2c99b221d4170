import { QlikError } from '@qlik-oem/core';
import { unwrap, type QlikCloud, type ReloadTasksApi } from '@qlik-oem/qlik-cloud';
import { z } from 'zod';
import type { StepDefinition } from '../step.js';

export type ReloadTask = ReloadTasksApi.components['schemas']['Task'];

const RRULE = /^RRULE:(?=.*\bFREQ=[A-Z]+)[A-Z0-9=;,:+-]+$/;

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A reload schedule for the customer's published app (Qlik's reload-tasks API). */
export const reloadScheduleSchema = z.object({
  /** RFC 5545 recurrence lines, e.g. `['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0']` (no DTSTART/DTEND). */
  recurrence: z
    .array(
      z
        .string({ error: 'must be a string' })
        .trim()
        .toUpperCase()
        .regex(RRULE, 'must be an RRULE line such as "RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0"'),
      { error: 'must be a list of RRULE lines' },
    )
    .min(1, 'must have at least one RRULE line'),
  /** IANA time zone the recurrence is expanded in, e.g. `Europe/Zurich`. */
  timeZone: z
    .string({ error: 'must be a string' })
    .trim()
    .refine(isIanaTimeZone, 'must be an IANA time zone such as "Europe/Zurich"'),
  /** First occurrence, wall-clock time in `timeZone` (`2026-01-01T06:00:00`); default: when created. */
  startDateTime: z
    .string({ error: 'must be a string' })
    .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date-time such as "2026-01-01T06:00:00"')
    .optional(),
  /** Default true. A disabled schedule is kept, but does not fire. */
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
});

export type ReloadSchedule = z.output<typeof reloadScheduleSchema>;
export type ReloadScheduleInput = z.input<typeof reloadScheduleSchema>;

/** The reload tasks of an app (`GET /api/v1/reload-tasks?appId=`), oldest first. */
export async function findReloadTasks(qc: QlikCloud, appId: string, signal?: AbortSignal): Promise<ReloadTask[]> {
  const tasks: ReloadTask[] = [];
  let next: string | undefined;
  // Bounded: an app has a handful of tasks; 20 pages of 100 is far beyond any real case.
  for (let page = 0; page < 20; page += 1) {
    const result = unwrap(
      await qc.reloadTasks.GET('/api/v1/reload-tasks', {
        params: { query: { appId, limit: 100, ...(next ? { next } : {}) } },
        ...(signal ? { signal } : {}),
      }),
    );
    tasks.push(...(result.data ?? []).filter((task) => task.appId === appId));
    next = cursorOf(result.links?.next?.href);
    if (!next) return tasks;
  }
  throw new QlikError(`More than 2000 reload tasks for app ${appId}; refusing to guess which is the schedule`);
}

function cursorOf(href: string | undefined): string | undefined {
  if (!href) return undefined;
  return new URL(href, 'https://cursor.invalid').searchParams.get('next') ?? undefined;
}

/** Which fields of `task` differ from `schedule` (empty when the task already is the schedule). */
export function scheduleDifferences(task: ReloadTask, schedule: ReloadSchedule): string[] {
  const differences: string[] = [];
  const recurrence = (task.recurrence ?? []).map((line) => line.toUpperCase());
  if (
    recurrence.length !== schedule.recurrence.length ||
    recurrence.some((line, i) => line !== schedule.recurrence[i])
  ) {
    differences.push('recurrence');
  }
  if (task.timeZone !== schedule.timeZone) differences.push('timeZone');
  if (schedule.startDateTime !== undefined && task.startDateTime !== schedule.startDateTime)
    differences.push('startDateTime');
  if ((task.state === 'Enabled') !== schedule.enabled) differences.push('state');
  return differences;
}

function taskBody(appId: string, schedule: ReloadSchedule) {
  return {
    appId,
    timeZone: schedule.timeZone,
    recurrence: schedule.recurrence,
    partial: false,
    ...(schedule.startDateTime !== undefined ? { startDateTime: schedule.startDateTime } : {}),
  };
}

/** Creates the schedule (`POST /api/v1/reload-tasks`), disabling it afterwards when asked. */
export async function createReloadSchedule(
  qc: QlikCloud,
  appId: string,
  schedule: ReloadSchedule,
  signal?: AbortSignal,
): Promise<ReloadTask> {
  const created = unwrap(
    await qc.reloadTasks.POST('/api/v1/reload-tasks', {
      body: taskBody(appId, schedule),
      ...(signal ? { signal } : {}),
    }),
  );
  if (schedule.enabled || created.state === 'Disabled') return created;
  return updateReloadSchedule(qc, created.id, appId, schedule, signal);
}

/** Replaces the task's schedule (`PUT /api/v1/reload-tasks/{id}`). */
export async function updateReloadSchedule(
  qc: QlikCloud,
  taskId: string,
  appId: string,
  schedule: ReloadSchedule,
  signal?: AbortSignal,
): Promise<ReloadTask> {
  return unwrap(
    await qc.reloadTasks.PUT('/api/v1/reload-tasks/{taskId}', {
      params: { path: { taskId } },
      body: { ...taskBody(appId, schedule), state: schedule.enabled ? 'Enabled' : 'Disabled' },
      ...(signal ? { signal } : {}),
    }),
  );
}

/** What the schedule step needs from the recipe: the tenant, the schedule, and the app to reload. */
export interface ScheduleStepInput {
  tenantHost: string;
  reloadSchedule?: ReloadSchedule | undefined;
}

export interface ReloadScheduleOutputs {
  /** The reload task's id, or null when no schedule was asked for. */
  scheduleId: string | null;
}

/**
 * The `reloadSchedule` step: exactly one reload task on the app `appIdOf(outputs)` names, found by
 * app id before one is created, replaced (PUT) when its recurrence, time zone, start or state differ.
 * Without a schedule in the input, existing tasks are left alone.
 */
export function reloadScheduleStep<Input extends ScheduleStepInput, Prior>(
  tenantOf: (host: string) => QlikCloud,
  appIdOf: (outputs: Prior) => string,
): StepDefinition<'reloadSchedule', Input, Prior, ReloadScheduleOutputs, { taskId: string; differences: string[] }> {
  return {
    name: 'reloadSchedule',
    async inspect(ctx) {
      const appId = appIdOf(ctx.outputs);
      const schedule = ctx.input.reloadSchedule;
      if (!schedule) return { action: 'none', reason: 'no reload schedule requested', outputs: { scheduleId: null } };
      const tasks = await findReloadTasks(tenantOf(ctx.input.tenantHost), appId, ctx.signal);
      const task = tasks[0];
      if (!task) return { action: 'create', reason: 'the app has no reload task', marker: appId };
      const differences = scheduleDifferences(task, schedule);
      if (differences.length === 0)
        return { action: 'none', reason: 'the reload task is up to date', outputs: { scheduleId: task.id } };
      return {
        action: 'update',
        reason: `the reload task differs (${differences.join(', ')})`,
        current: { taskId: task.id, differences },
      };
    },
    async apply(ctx, inspection) {
      const appId = appIdOf(ctx.outputs);
      const schedule = ctx.input.reloadSchedule!;
      const qc = tenantOf(ctx.input.tenantHost);
      if (inspection.action === 'update') {
        const task = await updateReloadSchedule(qc, inspection.current.taskId, appId, schedule, ctx.signal);
        return { scheduleId: task.id };
      }
      const task = await createReloadSchedule(qc, appId, schedule, ctx.signal);
      return { scheduleId: task.id };
    },
  };
}
