import { QlikValidationError, waitUntil } from '@qlik-oem/core';
import { ReloadFailedError, type ReloadErrorDetail } from './errors.js';
import type { DoReloadExResult, EngineDoc, EngineGlobal, ProgressData } from './qix-types.js';
import { globalOf } from './session.js';

export interface ReloadProgressEvent {
  /** Script log lines reported since the previous event. */
  readonly lines: readonly string[];
  /** What the engine is doing right now (transient progress), if it said. */
  readonly transient: string;
  readonly elapsedMs: number;
  readonly finished: boolean;
}

export interface ReloadOptions {
  /** Called after every progress poll. */
  onProgress?: (event: ReloadProgressEvent) => void;
  /** Aborting calls `CancelReload` and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How often to poll `GetProgress` (default 500 ms). */
  pollIntervalMs?: number;
  /** `DoReloadEx` (default; reports the script log file) or `DoReload` (older engines). */
  method?: 'DoReloadEx' | 'DoReload';
  /** 0 default, 1 ABEND on error, 2 ignore errors. */
  mode?: 0 | 1 | 2;
  partial?: boolean;
  /** The session's Global, if `doc` was not opened with this package. */
  global?: EngineGlobal;
}

export interface ReloadResult {
  /** The script log (GetProgress persistent messages). */
  readonly log: string;
  readonly scriptLogFile: string | undefined;
  readonly durationMs: number;
}

type WithRequestId<T> = Promise<T> & { requestId?: number };

/**
 * Reloads the app in the engine session and follows it with `GetProgress`. Resolves when the reload
 * succeeded; throws `ReloadFailedError` (with the script log) when it failed. Does not save: call
 * `save(doc)` after a successful reload.
 */
export async function reload(doc: EngineDoc, options: ReloadOptions = {}): Promise<ReloadResult> {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs >= 10))
    throw new QlikValidationError('reload: pollIntervalMs must be at least 10');
  if (options.mode !== undefined && ![0, 1, 2].includes(options.mode))
    throw new QlikValidationError('reload: mode must be 0, 1 or 2');
  const global = options.global ?? globalOf(doc);
  if (!global) throw new QlikValidationError('reload: pass options.global for a doc not opened with @qlik-oem/engine');
  const { signal } = options;
  signal?.throwIfAborted();

  const started = Date.now();
  const mode = options.mode ?? 0;
  const partial = options.partial ?? false;
  // Positional parameters: the named form would send the schema's qRowLimit default (0 rows).
  const call: WithRequestId<boolean | DoReloadExResult> =
    options.method === 'DoReload'
      ? doc.doReload(mode, partial, false)
      : doc.doReloadEx({
          qMode: mode,
          qPartial: partial,
          qDebug: false,
          qReloadId: '',
          qSkipStore: false,
          qRowLimit: -1,
        });
  // enigma.js exposes the JSON-RPC id on the returned promise only (await drops it).
  const requestId = call.requestId ?? 0;

  let settled = false;
  const outcome = call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void outcome.then(() => {
    settled = true;
  });

  const log: string[] = [];
  const errors: ReloadErrorDetail[] = [];
  const poll = async (): Promise<void> => {
    let progress: ProgressData;
    try {
      progress = await global.getProgress(requestId);
    } catch {
      return; // progress is best effort; the reload call itself reports failure
    }
    const lines = (progress.qPersistentProgress ?? '').split('\n').filter((line) => line !== '');
    log.push(...lines);
    for (const error of progress.qErrorData ?? []) {
      if (error.qErrorString)
        errors.push({ message: error.qErrorString, ...(error.qLine ? { line: error.qLine } : {}) });
    }
    options.onProgress?.({
      lines,
      transient: progress.qTransientProgress ?? '',
      elapsedMs: Date.now() - started,
      finished: settled,
    });
  };

  let cancelled = false;
  const onAbort = (): void => {
    cancelled = true;
    void global.cancelReload('Cancelled by @qlik-oem/engine caller').catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // GetProgress every pollIntervalMs (the first one after a pause) until the reload call answers,
    // which ends the pause in progress. No deadline: the engine answers, or the signal cancels it.
    let polling = false;
    await waitUntil(
      async () => {
        if (polling && !settled) await poll();
        polling = true;
        return settled || undefined;
      },
      { timeoutMs: Infinity, pollIntervalMs, wake: outcome },
    );
    await poll(); // the log lines written after the last poll
    const result = await outcome;
    if (!result.ok) throw result.error;
    if (cancelled || signal?.aborted) throw signal?.reason ?? new Error('Reload cancelled');
    const value = result.value;
    const success = typeof value === 'boolean' ? value : value.qSuccess === true;
    const scriptLogFile = typeof value === 'boolean' ? undefined : value.qScriptLogFile || undefined;
    if (!success) {
      if (typeof value !== 'boolean') {
        for (const failure of value.qFailureData?.qErrors ?? []) {
          const message = failure.qError ?? failure.qDescription;
          if (message && !errors.some((known) => known.message === message)) {
            errors.push({
              message,
              ...(failure.qLine ? { line: failure.qLine } : {}),
              ...(failure.qLineNumber ? { lineNumber: failure.qLineNumber } : {}),
            });
          }
        }
      }
      throw new ReloadFailedError({
        log: log.join('\n'),
        errors,
        ...(scriptLogFile ? { scriptLogFile } : {}),
        appId: doc.id,
      });
    }
    return { log: log.join('\n'), scriptLogFile, durationMs: Date.now() - started };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
