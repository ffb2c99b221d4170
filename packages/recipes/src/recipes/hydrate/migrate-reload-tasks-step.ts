// The hydrate step that moves a tenant provisioned by 0.1 off the retired Reload Tasks API: each reload
// task of the published app becomes an equivalent scheduling task, then the reload task is deleted.
import { unwrap, type QlikCloud, type ReloadTasksApi } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import {
  RELOAD_SCHEDULE_ANNOTATION,
  createReloadSchedule,
  findSchedulingTasks,
  migratedFromAnnotation,
  type ScheduleDefinition,
} from './reload-schedule.js';

type ReloadTask = ReloadTasksApi.components['schemas']['Task'];

export interface MigrateReloadTasksOutputs {
  /** Ids of the scheduling tasks that replaced reload tasks in this run (empty when there was nothing to do). */
  migratedTaskIds: string[];
}

/** The reload tasks of `appId` still to migrate: not already migrated by Qlik. Undefined when the API is gone. */
async function legacyReloadTasks(qc: QlikCloud, appId: string, signal: AbortSignal): Promise<ReloadTask[] | undefined> {
  const result = await qc.reloadTasks.GET('/api/v1/reload-tasks', {
    params: { query: { appId, limit: 100 } },
    signal,
  });
  // Removed: Qlik answers 410 (TASKS-011) or, plausibly, 404 for the whole API; its tasks were migrated by Qlik.
  if (result.response.status === 410 || result.response.status === 404) return undefined;
  const tasks = unwrap(result).data ?? [];
  return tasks.filter((task) => task.appId === appId && task.migrated !== true);
}

/** One scheduling task per RRULE line of the reload task (a scheduling task takes one recurrence rule). */
function definitionsOf(task: ReloadTask): ScheduleDefinition[] {
  const lines = (task.recurrence ?? []).filter((line) => /^RRULE:/i.test(line));
  return lines.map((line) => ({
    recurrence: line.toUpperCase(),
    timeZone: task.timeZone ?? 'UTC',
    startDateTime: task.startDateTime || undefined,
    endDateTime: task.endDateTime || undefined,
    enabled: task.state === 'Enabled',
    partial: task.partial ?? false,
  }));
}

/**
 * The `migrateReloadTasks` step. Each scheduling task carries the annotation of the reload task (and
 * line) it replaces, so a run stopped between the create and the delete finds it and only deletes: the
 * old task is replaced exactly once. The oldest task's first line also carries the reload-schedule
 * annotation, so the `reloadSchedule` step adopts it instead of creating a second schedule. When the
 * Reload Tasks API is gone (410/404), there is nothing left to migrate.
 */
export function migrateReloadTasksStep<Input extends { tenantHost: string }, Prior>(
  tenantOf: (host: string) => QlikCloud,
  appIdOf: (outputs: Prior) => string,
): StepDefinition<'migrateReloadTasks', Input, Prior, MigrateReloadTasksOutputs, { tasks: ReloadTask[] }> {
  return {
    name: 'migrateReloadTasks',
    async inspect(ctx) {
      const tasks = await legacyReloadTasks(tenantOf(ctx.input.tenantHost), appIdOf(ctx.outputs), ctx.signal);
      if (tasks === undefined)
        return { action: 'none', reason: 'the Reload Tasks API is gone', outputs: { migratedTaskIds: [] } };
      if (tasks.length === 0)
        return { action: 'none', reason: 'the app has no reload task to migrate', outputs: { migratedTaskIds: [] } };
      return {
        action: 'update',
        reason: `${tasks.length} reload task(s) to move to the Scheduling Tasks API`,
        marker: tasks.map((task) => task.id).join(','),
        current: { tasks },
      };
    },
    async apply(ctx, inspection) {
      const qc = tenantOf(ctx.input.tenantHost);
      const appId = appIdOf(ctx.outputs);
      const migratedTaskIds: string[] = [];
      const tasks = inspection.action === 'update' ? inspection.current.tasks : [];
      for (const [index, task] of tasks.entries()) {
        for (const [line, definition] of definitionsOf(task).entries()) {
          const annotation = migratedFromAnnotation(task.id, line);
          const [existing] = await findSchedulingTasks(qc, appId, annotation, ctx.signal);
          if (existing) continue;
          const annotations = index === 0 && line === 0 ? [annotation, RELOAD_SCHEDULE_ANNOTATION] : [annotation];
          const created = await createReloadSchedule(qc, appId, definition, annotations, ctx.signal);
          migratedTaskIds.push(created.id!);
        }
        const deleted = await qc.reloadTasks.DELETE('/api/v1/reload-tasks/{taskId}', {
          params: { path: { taskId: task.id } },
          signal: ctx.signal,
        });
        // Already deleted (a resumed run) or already migrated by Qlik (400 TASKS-001): nothing left to delete.
        if (deleted.response.status === 404 || isMigratedByQlik(deleted.response.status, deleted.error)) continue;
        unwrap(deleted);
      }
      return { migratedTaskIds };
    },
  };
}

function isMigratedByQlik(status: number, error: unknown): boolean {
  if (status !== 400) return false;
  const errors = (error as { errors?: Array<{ code?: string }> } | undefined)?.errors ?? [];
  return errors.some((e) => e.code === 'TASKS-001');
}
