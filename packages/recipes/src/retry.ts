import { isQlikHttpError, isQlikNetworkError, isQlikRateLimitError, isQlikTimeoutError } from '@qlik-oem/core';

export interface StepRetryOptions {
  /** Extra attempts after the first, per step. Default 2. The transport has already retried each call. */
  retries?: number;
  /** First backoff delay; doubles each attempt, with full jitter. Default 2000 ms. */
  baseDelayMs?: number;
  /** Upper bound of one delay, also for a server's Retry-After. Default 60000 ms. */
  maxDelayMs?: number;
  /** Decides which errors are worth another attempt. Default: rate limit, 5xx, network, timeout. */
  isRetryable?: (error: unknown) => boolean;
}

/**
 * Errors that may succeed on a later attempt. Retrying a step is safe because the runner inspects
 * again before applying: a create whose response was lost is found by its marker, not repeated.
 */
export function isRetryableStepError(error: unknown): boolean {
  if (isQlikRateLimitError(error) || isQlikNetworkError(error) || isQlikTimeoutError(error)) return true;
  return isQlikHttpError(error) && error.status >= 500;
}

export function resolveRetry(options: StepRetryOptions | undefined): Required<StepRetryOptions> {
  return {
    retries: options?.retries ?? 2,
    baseDelayMs: options?.baseDelayMs ?? 2000,
    maxDelayMs: options?.maxDelayMs ?? 60_000,
    isRetryable: options?.isRetryable ?? isRetryableStepError,
  };
}

/** Delay before attempt `failedAttempt + 1`: the server's Retry-After if it gave one, else jittered backoff. */
export function retryDelayMs(
  error: unknown,
  failedAttempt: number,
  options: Required<StepRetryOptions>,
  random = Math.random,
): number {
  if (isQlikRateLimitError(error) && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, options.maxDelayMs);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Sleeps, waking early with the abort reason when the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
