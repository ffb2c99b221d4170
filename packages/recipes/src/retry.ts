// Step-level retries: only for failures the transport's retry policy could not retry (a POST's 503, a lost connection mid-write).
import {
  isQlikError,
  isQlikHttpError,
  isQlikNetworkError,
  isQlikRateLimitError,
  isQlikTimeoutError,
} from '@qlik-oem/core';
import { backoffMs } from '@qlik-oem/core/advanced';

export interface StepRetryOptions {
  /**
   * Extra attempts after the first, per step. Default 2. They only happen for failures the transport
   * did not retry itself (see `isRetryableStepError`), so one logical GET is never retried twice over.
   */
  retries?: number;
  /** First backoff ceiling; doubles each attempt, with full jitter. Default 2000 ms. */
  baseDelayMs?: number;
  /** Upper bound of one delay, also for a server's Retry-After. Default 60000 ms. */
  maxDelayMs?: number;
  /** Decides which errors are worth another attempt. Default: `isRetryableStepError`. */
  isRetryable?: (error: unknown) => boolean;
}

/**
 * Errors that may succeed on a later attempt of the whole step and that the transport did not
 * already retry: a rate limit, 5xx, network failure or timeout of a non-idempotent request (the
 * transport may not re-send a POST; the step can, because the runner inspects again before applying,
 * so a create whose response was lost is found by its marker, not repeated). A failure the transport
 * retried until its attempts or the shared retry budget ran out is final here too.
 */
export function isRetryableStepError(error: unknown): boolean {
  if (isQlikError(error) && error.retriedByTransport) return false;
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

/**
 * Delay before attempt `failedAttempt + 1`: the server's Retry-After if it gave one, else the transport's
 * backoff. After a write that timed out, at least that timeout again, whatever `maxDelayMs` says: the
 * server may still be doing the work the client gave up waiting for, and the next attempt inspects first,
 * so it must not look before that work has landed (or it finds nothing and writes a second app, group or
 * space).
 */
export function retryDelayMs(
  error: unknown,
  failedAttempt: number,
  options: Required<StepRetryOptions>,
  random = Math.random,
): number {
  if (isQlikRateLimitError(error) && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, options.maxDelayMs);
  }
  const backoff = backoffMs(
    { baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs, random },
    failedAttempt,
  );
  if (isQlikTimeoutError(error) && Number.isFinite(error.timeoutMs)) return Math.max(backoff, error.timeoutMs);
  return backoff;
}
