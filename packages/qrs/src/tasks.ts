import { QlikValidationError, QlikWaitTimeoutError, isQlikNotFoundError, waitUntil, type Clock } from '@qlik-oem/core';
import type { QrsClient } from './client.js';
import { dataOrThrow } from './errors.js';
import type { QrsExecutionResult } from './types.js';

/** `TaskExecutionStatus` names, by value. */
export const TASK_EXECUTION_STATUS = [
  'NeverStarted',
  'Triggered',
  'Started',
  'Queued',
  'AbortInitiated',
  'Aborting',
  'Aborted',
  'FinishedSuccess',
  'FinishedFail',
  'Skipped',
  'Retry',
  'Error',
  'Reset',
  'DistributionQueue',
  'DistributionRunning',
] as const;
export type TaskExecutionStatusName = (typeof TASK_EXECUTION_STATUS)[number];

const FINAL = new Set<TaskExecutionStatusName>([
  'Aborted',
  'FinishedSuccess',
  'FinishedFail',
  'Skipped',
  'Error',
  'Reset',
]);

export interface TaskRunResult {
  sessionId: string;
  status: TaskExecutionStatusName;
  succeeded: boolean;
  result: QrsExecutionResult;
}

/** The task did not reach a final status in time. Its last seen status is kept. */
export class QrsTaskTimeoutError extends QlikWaitTimeoutError {
  override name = 'QrsTaskTimeoutError';
  constructor(
    readonly taskId: string,
    timeoutMs: number,
    readonly lastStatus: TaskExecutionStatusName | undefined,
  ) {
    super(`Task ${taskId} did not finish within ${timeoutMs} ms (last status: ${lastStatus ?? 'unknown'})`, {
      timeoutMs,
    });
  }
}

export interface WaitForTaskOptions {
  /** Default 30 minutes. */
  timeoutMs?: number;
  /** Default 2 s. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  /** Time source (tests). */
  clock?: Clock;
}

const statusName = (value: number | undefined): TaskExecutionStatusName | undefined =>
  value === undefined ? undefined : TASK_EXECUTION_STATUS[value];

/** `POST /qrs/task/{id}/start/synchronous`: returns the execution session id. */
export async function startTask(qrs: QrsClient, taskId: string): Promise<string> {
  if (typeof taskId !== 'string' || !/^[0-9a-f-]{36}$/i.test(taskId))
    throw new QlikValidationError('Invalid taskId', [{ path: ['taskId'], message: 'must be a GUID' }]);
  const data: unknown = dataOrThrow(
    await qrs.api.POST('/task/{id}/start/synchronous', { params: { path: { id: taskId } } }),
    'POST',
  );
  // The spec says a bare GUID string; servers in the field answer `{ "value": "<guid>" }`. Accept both.
  const id = typeof data === 'string' ? data : (data as { value?: unknown } | null)?.value;
  if (typeof id !== 'string')
    throw new QlikValidationError('Unexpected task start response', [
      { path: ['value'], message: 'no execution session id' },
    ]);
  return id;
}

async function findResult(
  qrs: QrsClient,
  sessionId: string,
  knownResultId: string | undefined,
): Promise<{ resultId?: string; result?: QrsExecutionResult }> {
  let resultId = knownResultId;
  if (!resultId) {
    try {
      const session = dataOrThrow(
        await qrs.api.GET('/executionsession/{id}', { params: { path: { id: sessionId } } }),
        'GET',
      );
      resultId = session.executionResult?.id;
    } catch (error) {
      // The session is removed when the execution ends; the result is then found by its execution id.
      if (!isQlikNotFoundError(error)) throw error;
      const found = dataOrThrow(
        await qrs.api.GET('/executionresult/full', { params: { query: { filter: `executionID eq ${sessionId}` } } }),
        'GET',
      );
      const result = found[0];
      return result?.id ? { resultId: result.id, result } : {};
    }
  }
  if (!resultId) return {};
  return {
    resultId,
    result: dataOrThrow(await qrs.api.GET('/executionresult/{id}', { params: { path: { id: resultId } } }), 'GET'),
  };
}

/** Polls the execution until a final status, the timeout, or the signal. */
export async function waitForTaskExecution(
  qrs: QrsClient,
  taskId: string,
  sessionId: string,
  options: WaitForTaskOptions = {},
): Promise<TaskRunResult> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const client = options.signal ? qrs.with({ signal: options.signal }) : qrs;
  let resultId: string | undefined;
  let last: TaskExecutionStatusName | undefined;
  return waitUntil(
    async (): Promise<TaskRunResult | undefined> => {
      const found = await findResult(client, sessionId, resultId);
      resultId = found.resultId ?? resultId;
      last = statusName(found.result?.status) ?? last;
      if (!found.result || !last || !FINAL.has(last)) return undefined;
      return { sessionId, status: last, succeeded: last === 'FinishedSuccess', result: found.result };
    },
    {
      timeoutMs,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      onTimeout: () => new QrsTaskTimeoutError(taskId, timeoutMs, last),
    },
  );
}

/** Starts a task and waits for its execution result. */
export async function runTask(
  qrs: QrsClient,
  taskId: string,
  options: WaitForTaskOptions = {},
): Promise<TaskRunResult> {
  const sessionId = await startTask(options.signal ? qrs.with({ signal: options.signal }) : qrs, taskId);
  return waitForTaskExecution(qrs, taskId, sessionId, options);
}
