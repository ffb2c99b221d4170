import { QlikError, QlikWaitTimeoutError, waitUntil, type Clock } from '@qlik-oem/core';
import { unwrap, type QlikCloud, type ReloadsApi } from '@qlik-oem/qlik-cloud';

export type ReloadRecord = ReloadsApi.components['schemas']['Reload'];
export type ReloadStatus = ReloadRecord['status'];

/** Statuses after which a reload never changes again (reloads spec). */
const FINAL: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'EXCEEDED_LIMIT']);

export function isFinalReloadStatus(status: string): boolean {
  return FINAL.has(status);
}

const LOG_TAIL = 2000;

/**
 * A REST reload ended without success (FAILED, CANCELED or EXCEEDED_LIMIT). `log` is the reload's
 * script log, so the step error says why (for example which connection the script could not find).
 */
export class AppReloadFailedError extends QlikError {
  override name = 'AppReloadFailedError';
  readonly appId: string;
  readonly reloadId: string;
  readonly status: string;
  readonly errorCode: string | undefined;
  /** The reload log as Qlik returned it (may be empty). */
  readonly log: string;

  constructor(init: {
    appId: string;
    reloadId: string;
    status: string;
    errorCode?: string;
    errorMessage?: string;
    log: string;
  }) {
    const reason = init.errorMessage ?? lastLine(init.log) ?? init.errorCode;
    super(`Reload ${init.reloadId} of app ${init.appId} ended ${init.status}${reason ? `: ${reason}` : ''}`);
    this.appId = init.appId;
    this.reloadId = init.reloadId;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.log = init.log;
  }

  override toJSON(): Record<string, unknown> {
    // The tail says why it failed; the whole log can be long, and this lands in journals and logs.
    const log = this.log.length > LOG_TAIL ? `…${this.log.slice(-LOG_TAIL)}` : this.log;
    return {
      ...super.toJSON(),
      appId: this.appId,
      reloadId: this.reloadId,
      status: this.status,
      errorCode: this.errorCode,
      log,
    };
  }
}

/**
 * The reload did not end within `timeoutMs`. It may still be running (Qlik goes on with it); a later
 * run waits for it instead of starting another. Deliberately not a `QlikTimeoutError`: the wait was as
 * long as asked, so the runner does not retry the step.
 */
export class ReloadWaitTimeoutError extends QlikWaitTimeoutError {
  override name = 'ReloadWaitTimeoutError';
  readonly reloadId: string;
  constructor(init: { reloadId: string; timeoutMs: number; status: string }) {
    super(`Reload ${init.reloadId} was still ${init.status} after ${init.timeoutMs} ms`, { timeoutMs: init.timeoutMs });
    this.reloadId = init.reloadId;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reloadId: this.reloadId };
  }
}

export function isReloadWaitTimeoutError(error: unknown): error is ReloadWaitTimeoutError {
  return error instanceof ReloadWaitTimeoutError || (error instanceof Error && error.name === 'ReloadWaitTimeoutError');
}

export function isAppReloadFailedError(error: unknown): error is AppReloadFailedError {
  return error instanceof AppReloadFailedError || (error instanceof Error && error.name === 'AppReloadFailedError');
}

function lastLine(log: string): string | undefined {
  const lines = log
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.at(-1);
}

export interface WaitForReloadOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** First pause between polls, in (clock) ms. Default 1000. */
  pollIntervalMs?: number;
  /** Longest pause between polls; the pause grows by half each poll. Default 15000. */
  maxPollIntervalMs?: number;
  /** Give up (`ReloadWaitTimeoutError`) after this long. Default 30 minutes. */
  timeoutMs?: number;
}

/** Starts a reload of `appId` through the reloads API (`POST /api/v1/reloads`). */
export async function startReload(qc: QlikCloud, appId: string, signal?: AbortSignal): Promise<ReloadRecord> {
  return unwrap(await qc.reloads.POST('/api/v1/reloads', { body: { appId }, ...(signal ? { signal } : {}) }));
}

/**
 * Polls `GET /api/v1/reloads/{id}` with a growing pause until the reload ends. Resolves with the
 * record when it SUCCEEDED; otherwise throws `AppReloadFailedError` carrying the reload log, or
 * `ReloadWaitTimeoutError` when it is still running after `timeoutMs`.
 */
export async function waitForReload(
  qc: QlikCloud,
  reloadId: string,
  options: WaitForReloadOptions,
): Promise<ReloadRecord> {
  const { clock, signal } = options;
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  let status = 'QUEUED';
  const reload = await waitUntil(
    async () => {
      const record = unwrap(
        await qc.reloads.GET('/api/v1/reloads/{reloadId}', {
          params: { path: { reloadId } },
          ...(signal ? { signal } : {}),
        }),
      );
      status = record.status;
      return isFinalReloadStatus(record.status) ? record : undefined;
    },
    {
      timeoutMs,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      backoff: 1.5,
      maxPollIntervalMs: options.maxPollIntervalMs ?? 15_000,
      clock,
      ...(signal ? { signal } : {}),
      onTimeout: () => new ReloadWaitTimeoutError({ reloadId, timeoutMs, status }),
    },
  );
  if (reload.status === 'SUCCEEDED') return reload;
  throw new AppReloadFailedError({
    appId: reload.appId,
    reloadId: reload.id,
    status: reload.status,
    ...(reload.errorCode ? { errorCode: reload.errorCode } : {}),
    ...(reload.errorMessage ? { errorMessage: reload.errorMessage } : {}),
    log: reload.log ?? (await readReloadLog(qc, reload.appId, reload.id, signal)),
  });
}

/** The reload's script log (`GET /apps/{appId}/reloads/logs/{reloadId}`); empty when Qlik has none. */
export async function readReloadLog(
  qc: QlikCloud,
  appId: string,
  reloadId: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const result = await qc.apps.GET('/api/v1/apps/{appId}/reloads/logs/{reloadId}', {
    params: { path: { appId, reloadId } },
    parseAs: 'text',
    ...(signal ? { signal } : {}),
  });
  return result.response.ok && typeof result.data === 'string' ? result.data : '';
}

/** The app's most recent reloads, newest first (`GET /api/v1/reloads?appId=`). */
export async function recentReloads(qc: QlikCloud, appId: string, signal?: AbortSignal): Promise<ReloadRecord[]> {
  const page = unwrap(
    await qc.reloads.GET('/api/v1/reloads', {
      params: { query: { appId, limit: 10, sort: '-creationTime' } },
      ...(signal ? { signal } : {}),
    }),
  );
  return page.data ?? [];
}
