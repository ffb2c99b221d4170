// Reload schedules of the customer's app as tasks of the Scheduling Tasks API: the task document (the input
// schema is `reload-schedule-input.ts`), and find (by the app and the SDK's annotation) / create / replace / delete.
import { collectAll, paginate, unwrap, type QlikCloud, type SchedulingTasksApi } from '@qlik-oem/qlik-cloud';
import type { ReloadSchedule } from './reload-schedule-input.js';
import { wireText } from '../../wire-text.js';

export type SchedulingTask = SchedulingTasksApi.components['schemas']['Task'];

/** The annotation that marks a scheduling task as the reload schedule this SDK manages for an app. */
export const RELOAD_SCHEDULE_ANNOTATION = 'qlik-oem:reload-schedule';

/** The annotation of a task migrated from the reload task `reloadTaskId` (its `line`-th RRULE line). */
export const migratedFromAnnotation = (reloadTaskId: string, line: number): string =>
  `qlik-oem:migrated-from:${reloadTaskId}#${line}`;

// The Serverless Workflow version of the task documents this SDK writes (the spec's own example).
const SPEC_VERSION = '1.16.0';

export type { ReloadSchedule, ReloadScheduleInput } from './reload-schedule-input.js';

/** What one scheduling task of an app should be: one recurrence line, in a time zone, on or off. */
export interface ScheduleDefinition {
  recurrence: string;
  timeZone: string;
  startDateTime?: string | undefined;
  endDateTime?: string | undefined;
  enabled: boolean;
  partial?: boolean | undefined;
}

export const scheduleDefinition = (schedule: ReloadSchedule): ScheduleDefinition => ({
  recurrence: schedule.recurrence[0]!,
  timeZone: schedule.timeZone,
  startDateTime: schedule.startDateTime,
  endDateTime: schedule.endDateTime,
  enabled: schedule.enabled,
});

/** The task document of a time-scheduled reload of `appId`. */
export function reloadScheduleTask(
  appId: string,
  definition: ScheduleDefinition,
  annotations: readonly string[],
): SchedulingTask {
  return {
    name: `Reload schedule ${appId}`.slice(0, 100),
    description: 'Reload schedule managed by @qlik-oem/recipes',
    specVersion: SPEC_VERSION,
    enabled: definition.enabled,
    annotations: [...annotations],
    start: {
      stateName: 'reload',
      schedule: {
        recurrence: definition.recurrence,
        timezone: definition.timeZone,
        ...(definition.startDateTime !== undefined ? { startDateTime: definition.startDateTime } : {}),
        ...(definition.endDateTime !== undefined ? { endDateTime: definition.endDateTime } : {}),
      },
    },
    states: [
      {
        name: 'reload',
        type: 'EVENT',
        end: true,
        onEvents: [
          {
            eventRefs: ['schedule'],
            actions: [
              {
                name: 'app.reload',
                functionRef: { refName: 'app.reload', arguments: { appId, partial: definition.partial ?? false } },
              },
            ],
          },
        ],
      },
    ],
    metadata: { usage: 'ANALYTICS' },
  };
}

/** The scheduling tasks of an app that carry `annotation`, oldest first. */
export async function findSchedulingTasks(
  qc: QlikCloud,
  appId: string,
  annotation: string,
  signal?: AbortSignal,
): Promise<SchedulingTask[]> {
  const tasks = await collectAll(
    paginate(
      qc.schedulingTasks,
      '/api/scheduling/tasks',
      { params: { query: { resourceId: appId, sort: '+createdAt', limit: 100 } } },
      signal ? { signal } : {},
    ),
    // Bounded: an app has a handful of tasks; 2000 is far beyond any real case.
    { limit: 2000 },
  );
  return tasks.filter((task) => task.resourceId === appId && (task.annotations ?? []).includes(annotation));
}

function scheduleOf(task: SchedulingTask): Record<string, unknown> {
  const schedule = (task.start as { schedule?: unknown } | undefined)?.schedule;
  return typeof schedule === 'object' && schedule !== null ? (schedule as Record<string, unknown>) : {};
}

/** Which fields of `task` differ from `definition` (empty when the task already is that schedule). */
export function scheduleDifferences(task: SchedulingTask, definition: ScheduleDefinition): string[] {
  const schedule = scheduleOf(task);
  const differences: string[] = [];
  if (wireText(schedule.recurrence).toUpperCase() !== definition.recurrence) differences.push('recurrence');
  if ((schedule.timezone ?? 'UTC') !== definition.timeZone) differences.push('timeZone');
  if (definition.startDateTime !== undefined && schedule.startDateTime !== definition.startDateTime)
    differences.push('startDateTime');
  if (schedule.endDateTime !== definition.endDateTime) differences.push('endDateTime');
  if ((task.enabled ?? false) !== definition.enabled) differences.push('enabled');
  return differences;
}

const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

/** Creates the scheduling task (`POST /api/scheduling/tasks`). */
export async function createReloadSchedule(
  qc: QlikCloud,
  appId: string,
  definition: ScheduleDefinition,
  annotations: readonly string[],
  signal?: AbortSignal,
): Promise<SchedulingTask> {
  return unwrap(
    await qc.schedulingTasks.POST('/api/scheduling/tasks', {
      body: reloadScheduleTask(appId, definition, annotations),
      ...withSignal(signal),
    }),
  );
}

/** Replaces the task's document (`PUT /api/scheduling/tasks/{id}`), keeping its annotations. */
export async function updateReloadSchedule(
  qc: QlikCloud,
  task: SchedulingTask,
  appId: string,
  definition: ScheduleDefinition,
  signal?: AbortSignal,
): Promise<SchedulingTask> {
  return unwrap(
    await qc.schedulingTasks.PUT('/api/scheduling/tasks/{id}', {
      params: { path: { id: task.id! } },
      body: reloadScheduleTask(appId, definition, task.annotations ?? [RELOAD_SCHEDULE_ANNOTATION]),
      ...withSignal(signal),
    }),
  );
}

/** Deletes the task (`DELETE /api/scheduling/tasks/{id}`); one that is already gone counts as deleted. */
export async function deleteReloadSchedule(qc: QlikCloud, taskId: string, signal?: AbortSignal): Promise<void> {
  const result = await qc.schedulingTasks.DELETE('/api/scheduling/tasks/{id}', {
    params: { path: { id: taskId } },
    ...withSignal(signal),
  });
  if (result.response.status === 404) return;
  unwrap(result);
}
