// Reload tasks and their runs: `reloadtask` CRUD, `task/{id}/start[/synchronous]`, execution sessions and results.
import { NEVER, QrsRequestError } from './qrs-entities.js';
import { EMPTY_ID, crudRoutes, listRoutes, recordOf, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { SERVICE_USER, newId, type QseowState, type SimExecution, type SimQrsRecord } from './state.js';
import { wireText } from '../http/wire-text.js';

/** The condensed execution result (`ReloadTask.operational.lastExecutionResult`). */
function condensedResult(state: QseowState, e: SimExecution) {
  return {
    id: e.resultId,
    executingNodeName: state.config.hostname,
    status: e.status,
    startTime: e.startTime,
    stopTime: e.stopTime,
    duration: e.stopTime === NEVER ? 0 : Date.parse(e.stopTime) - Date.parse(e.startTime),
    scriptLogAvailable: e.scriptLog !== undefined,
    details: [],
  };
}

function executionResult(state: QseowState, e: SimExecution): unknown {
  return {
    ...condensedResult(state, e),
    createdDate: e.startTime,
    modifiedDate: e.stopTime === NEVER ? e.startTime : e.stopTime,
    modifiedByUserName: 'INTERNAL\\sa_scheduler',
    schemaPath: 'ExecutionResult',
    taskID: e.taskId,
    executionID: e.sessionId,
    appID: e.appId ?? EMPTY_ID,
  };
}

/** The task's latest run, or undefined when it never ran. */
export function lastExecutionOf(state: QseowState, taskId: string): SimExecution | undefined {
  let last: SimExecution | undefined;
  for (const e of state.executions.values())
    if (e.taskId === taskId && (!last || Date.parse(e.startTime) >= Date.parse(last.startTime))) last = e;
  return last;
}

/** A task as QRS returns it: with `operational` (last result, next execution) kept by the scheduler. */
function taskView(state: QseowState, task: SimQrsRecord): unknown {
  const last = lastExecutionOf(state, task.id);
  return {
    ...task,
    operational: {
      id: task.id,
      nextExecution: NEVER,
      ...(last ? { lastExecutionResult: condensedResult(state, last) } : {}),
    },
  };
}

export function taskRoutes(ctx: RepositoryContext): { routes: QrsRoute[]; startTask: (taskId: string) => string } {
  const { state, clock, hooks, iso } = ctx;
  const startTask = (taskId: string): string => {
    const task = recordOf(state.tasks, taskId, 'task');
    const sessionId = newId();
    const appId = (task['app'] as { id?: string } | undefined)?.id;
    const execution: SimExecution = {
      sessionId,
      resultId: newId(),
      taskId,
      appId,
      status: 2,
      startTime: iso(),
      stopTime: NEVER,
    };
    state.executions.set(sessionId, execution);
    const outcome = state.taskOutcomes.get(taskId) ?? 'success';
    state.taskOutcomes.delete(taskId);
    void clock.sleep(state.config.taskDurationMs).then(
      () => {
        execution.status = outcome === 'success' ? 7 : 8;
        execution.stopTime = iso();
        const target = appId ? state.apps.get(appId) : undefined;
        if (target && outcome === 'success') {
          target.lastReloadTime = execution.stopTime;
          const content = state.appContent.get(target.id);
          if (content) content.version += 1;
          hooks.onAppChanged(target.id);
        }
      },
      () => undefined,
    );
    return sessionId;
  };

  const view = (task: SimQrsRecord) => taskView(state, task);
  const routes: QrsRoute[] = [
    ...listRoutes('/task', () => [...state.tasks.values()].map(view)),
    ...crudRoutes(ctx, '/reloadtask', state.tasks, 'ReloadTask', undefined, view),
    {
      method: 'POST',
      template: '/task/{id}/start',
      handler: (_c, p) => {
        startTask(p['id']!);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      template: '/task/{id}/start/synchronous',
      handler: (_c, p) => ({ status: 201, body: startTask(p['id']!) }),
    },
    {
      method: 'GET',
      template: '/executionsession/{id}',
      handler: (_c, p) => {
        const e = state.executions.get(p['id']!);
        // QRS removes a session once its execution has finished; callers then read the result.
        if (!e || e.status >= 6) throw new QrsRequestError(404, `execution session ${p['id']} not found`);
        return {
          status: 200,
          body: {
            id: e.sessionId,
            createdDate: e.startTime,
            modifiedDate: e.startTime,
            modifiedByUserName: 'INTERNAL\\sa_scheduler',
            schemaPath: 'ExecutionSession',
            executingNode: { id: SERVICE_USER.id },
            executionResult: { id: e.resultId, status: e.status, startTime: e.startTime },
            retries: 0,
            abortReason: 0,
            user: SERVICE_USER.id,
            app: { id: e.appId ?? EMPTY_ID, name: state.apps.get(e.appId ?? '')?.name ?? '' },
            // The spec marks all three task kinds required; the ones that did not run are empty placeholders.
            reloadTask: {
              id: e.taskId,
              name: wireText(state.tasks.get(e.taskId)?.['name']),
              taskSessionTimeout: 1440,
              maxRetries: 0,
            },
            userSyncTask: { id: EMPTY_ID, name: '', taskSessionTimeout: 1, maxRetries: 0 },
            externalProgramTask: { id: EMPTY_ID, name: '', taskSessionTimeout: 1, maxRetries: 0 },
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/executionresult/{id}',
      handler: (_c, p) => {
        const e = [...state.executions.values()].find((x) => x.resultId === p['id']);
        if (!e) throw new QrsRequestError(404, `execution result ${p['id']} not found`);
        return { status: 200, body: executionResult(state, e) };
      },
    },
    ...listRoutes('/executionresult', () => [...state.executions.values()].map((e) => executionResult(state, e))),
  ];
  return { routes, startTask };
}
