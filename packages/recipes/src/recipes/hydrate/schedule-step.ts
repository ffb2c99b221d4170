// The hydrate step that keeps the published app's reload schedule: one scheduling task, found by the
// app and the SDK's annotation, created, replaced when it differs, deleted when the input says null.
import type { QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import {
  RELOAD_SCHEDULE_ANNOTATION,
  createReloadSchedule,
  deleteReloadSchedule,
  findSchedulingTasks,
  scheduleDefinition,
  scheduleDifferences,
  updateReloadSchedule,
  type ReloadSchedule,
  type SchedulingTask,
} from './reload-schedule.js';

/** What the schedule step needs from the recipe: the tenant and the schedule (null: remove it). */
export interface ScheduleStepInput {
  tenantHost: string;
  reloadSchedule?: ReloadSchedule | null | undefined;
}

export interface ReloadScheduleOutputs {
  /** The scheduling task's id, or null when no schedule was asked for. */
  scheduleId: string | null;
}

interface ScheduleChange {
  /** The task to replace (null: create one). */
  task: SchedulingTask | null;
  differences: string[];
  /** Tasks to delete: extra copies, or every one when the input removes the schedule. */
  remove: string[];
}

/**
 * The `reloadSchedule` step: exactly one scheduling task that reloads the app `appIdOf(outputs)` names,
 * carrying the SDK's annotation. Without a schedule in the input, existing tasks are left alone; with
 * `null`, the SDK's tasks are deleted.
 */
export function reloadScheduleStep<Input extends ScheduleStepInput, Prior>(
  tenantOf: (host: string) => QlikCloud,
  appIdOf: (outputs: Prior) => string,
): StepDefinition<'reloadSchedule', Input, Prior, ReloadScheduleOutputs, ScheduleChange> {
  return {
    name: 'reloadSchedule',
    async inspect(ctx) {
      const schedule = ctx.input.reloadSchedule;
      if (schedule === undefined)
        return { action: 'none', reason: 'no reload schedule requested', outputs: { scheduleId: null } };
      const appId = appIdOf(ctx.outputs);
      const tasks = await findSchedulingTasks(
        tenantOf(ctx.input.tenantHost),
        appId,
        RELOAD_SCHEDULE_ANNOTATION,
        ctx.signal,
      );
      if (schedule === null) {
        if (tasks.length === 0)
          return { action: 'none', reason: 'the app has no reload schedule', outputs: { scheduleId: null } };
        return {
          action: 'update',
          reason: 'the reload schedule is to be removed',
          current: { task: null, differences: [], remove: tasks.map((t) => t.id!) },
        };
      }
      const [task, ...extra] = tasks;
      const remove = extra.map((t) => t.id!);
      if (!task) return { action: 'create', reason: 'the app has no reload schedule', marker: `schedule:${appId}` };
      const differences = scheduleDifferences(task, scheduleDefinition(schedule));
      if (differences.length === 0 && remove.length === 0)
        return { action: 'none', reason: 'the reload schedule is up to date', outputs: { scheduleId: task.id! } };
      const what = [...differences, ...(remove.length > 0 ? [`${remove.length} extra task(s)`] : [])];
      return {
        action: 'update',
        reason: `the reload schedule differs (${what.join(', ')})`,
        current: { task, differences, remove },
      };
    },
    async apply(ctx, inspection) {
      const appId = appIdOf(ctx.outputs);
      const schedule = ctx.input.reloadSchedule;
      const qc = tenantOf(ctx.input.tenantHost);
      const change = inspection.action === 'update' ? inspection.current : undefined;
      for (const id of change?.remove ?? []) await deleteReloadSchedule(qc, id, ctx.signal);
      if (!schedule) return { scheduleId: null };
      const definition = scheduleDefinition(schedule);
      if (change?.task) {
        if (change.differences.length === 0) return { scheduleId: change.task.id! };
        const task = await updateReloadSchedule(qc, change.task, appId, definition, ctx.signal);
        return { scheduleId: task.id! };
      }
      const task = await createReloadSchedule(qc, appId, definition, [RELOAD_SCHEDULE_ANNOTATION], ctx.signal);
      return { scheduleId: task.id! };
    },
  };
}
