// The transport's one retry policy: what is retried (statuses, codes, methods), how long to wait, and its budget.
import type { ValidationIssue } from './errors.js';
import type { RetryBudget } from './retry-budget.js';
import { positive } from './validate.js';

export interface RetryOptions {
  /** Attempts in total, the first included. Default 4. */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt (full jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 20 s. */
  maxDelayMs?: number;
  /** A longer `Retry-After` is clamped to this (also for the bucket pause). Default 120 s. */
  maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * The budget every retry draws from; share one (`createRetryBudget()`) across a fleet's transports so
   * a storm of failures stops being retried once it has spent it. Default: one per transport.
   */
  budget?: RetryBudget;
}

/** Retry options with every default filled in. */
export interface ResolvedRetry {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  random: () => number;
  budget: RetryBudget | undefined;
}

export const DEFAULT_RETRY: ResolvedRetry = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
  budget: undefined,
};
export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
// Retried for idempotent requests only (a 429 is always retried: the request was not processed).
export const RETRY_STATUSES = new Set([500, 502, 503, 504]);
// Connection-level failures worth another attempt.
export const RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
// Failures where the request never reached the server, so even a POST may be re-sent.
export const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function validateRetry(
  retry: RetryOptions | false | undefined,
  prefix: string[],
  issues: ValidationIssue[],
): void {
  if (retry === undefined || retry === false) return;
  if (typeof retry !== 'object' || retry === null) {
    issues.push({ path: prefix, message: 'must be an object or false' });
    return;
  }
  positive(retry.maxAttempts, [...prefix, 'maxAttempts'], issues, true);
  positive(retry.baseDelayMs, [...prefix, 'baseDelayMs'], issues);
  positive(retry.maxDelayMs, [...prefix, 'maxDelayMs'], issues);
  if (retry.maxRetryAfterMs !== undefined && !(retry.maxRetryAfterMs >= 0)) {
    issues.push({ path: [...prefix, 'maxRetryAfterMs'], message: 'must be a number >= 0' });
  }
  if (retry.budget !== undefined && typeof retry.budget?.spend !== 'function') {
    issues.push({ path: [...prefix, 'budget'], message: 'must be a RetryBudget (createRetryBudget())' });
  }
}

export function resolveRetry(base: ResolvedRetry, retry: RetryOptions | false | undefined): ResolvedRetry {
  if (retry === false) return { ...base, maxAttempts: 1 };
  if (!retry) return base;
  return {
    maxAttempts: retry.maxAttempts ?? base.maxAttempts,
    baseDelayMs: retry.baseDelayMs ?? base.baseDelayMs,
    maxDelayMs: retry.maxDelayMs ?? base.maxDelayMs,
    maxRetryAfterMs: retry.maxRetryAfterMs ?? base.maxRetryAfterMs,
    random: retry.random ?? base.random,
    budget: retry.budget ?? base.budget,
  };
}

/** The system error code (`ECONNRESET`, `UND_ERR_SOCKET`, ...) anywhere in an error's cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Exponential backoff with full jitter: a delay in [0, min(maxDelayMs, baseDelayMs × 2^(attempt-1))). */
export function backoffMs(
  retry: Pick<ResolvedRetry, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
  attempt: number,
): number {
  return Math.floor(retry.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
}
