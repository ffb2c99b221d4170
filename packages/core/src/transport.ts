// createTransport: validates the options, resolves defaults and binds per-call overrides; send.ts carries each call.
import type { TokenProvider } from './auth.js';
import { createScaledClock, systemClock, type Clock } from './clock.js';
import { QlikValidationError, type ValidationIssue } from './errors.js';
import { createRateLimiter, type RateLimiter } from './limiter.js';
import type { Logger } from './logger.js';
import { createRetryBudget } from './retry-budget.js';
import { DEFAULT_RETRY, resolveRetry, validateRetry, type RetryOptions } from './retry-policy.js';
import { send, type FetchFunction, type ResolvedCall, type TransportState } from './send.js';
import { DEFAULT_TIER, type RateLimitTier, type TierResolver } from './tiers.js';
import { positive } from './validate.js';

export type { RetryOptions } from './retry-policy.js';
export type { FetchFunction } from './send.js';

export interface PacingOptions {
  /** Share one limiter between transports so a fleet shares buckets. Default: a private one. */
  limiter?: RateLimiter;
  /** The tier of a request; generated clients supply this. */
  tierOf?: TierResolver;
  /** Tier for requests `tierOf` does not know. Default tier 2 (100/min). */
  defaultTier?: RateLimitTier;
}

export interface TransportOptions {
  /** The `fetch` to call. Default: `globalThis.fetch`, looked up on every call (so msw can intercept). */
  fetch?: FetchFunction;
  /**
   * An undici `Dispatcher` (agent, proxy, custom CA) passed to every `fetch` call. Refused with a
   * `QlikValidationError` where the runtime would ignore it: on Bun, and on Deno with the global fetch.
   */
  dispatcher?: unknown;
  /** Adds `Authorization: Bearer <token>`; refreshed before expiry and once after a 401. */
  auth?: TokenProvider;
  /** Refresh a token this long before its `expiresAt`. Default 30 s. */
  tokenRefreshSkewMs?: number;
  /** Retry policy, or `false` for one attempt. */
  retry?: RetryOptions | false;
  /** Client-side pacing per (host, tier, credential), or `false` to send unpaced. */
  pacing?: PacingOptions | false;
  /** Per-attempt limit on waiting for response headers. Default 30 s; `Infinity` turns it off. */
  timeoutMs?: number;
  /** Aborts every call of this transport (e.g. on shutdown). */
  signal?: AbortSignal;
  /** pino-compatible; silent when absent. Never receives tokens, secrets or header values. */
  logger?: Logger;
  /** Time source for pacing and backoff (tests). */
  clock?: Clock;
  /** Run pacing, backoff and retry-after waits this many times faster (ignored when `clock` is given). */
  timeScale?: number;
  /** Headers added to every request that does not set them (e.g. `user-agent`). */
  headers?: Record<string, string>;
}

/** Per-call overrides, via `transport.with({...})`. */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: RetryOptions | false;
  /**
   * Whether re-sending is safe after a 500/502/503/504, timeout or reset. Default: true for GET, HEAD, OPTIONS,
   * PUT, DELETE; false for POST and PATCH. (A 429 is always retried: the request was not processed.)
   */
  idempotent?: boolean;
  /** Pace this call in this tier instead of the resolved one. */
  tier?: RateLimitTier;
}

/** A `fetch`-compatible function (openapi-fetch's `fetch` option) with per-call overrides. */
export interface QlikFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** A fetch with these overrides; shares auth, pacing and logger with its parent. */
  with(options: CallOptions): QlikFetch;
}

function validateCallOptions(options: CallOptions, prefix: string[] = []): void {
  const issues: ValidationIssue[] = [];
  if (options.timeoutMs !== Infinity) positive(options.timeoutMs, [...prefix, 'timeoutMs'], issues);
  validateRetry(options.retry, [...prefix, 'retry'], issues);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    issues.push({ path: [...prefix, 'signal'], message: 'must be an AbortSignal' });
  }
  if (options.tier !== undefined) positive(options.tier.perMinute, [...prefix, 'tier', 'perMinute'], issues);
  if (issues.length) throw new QlikValidationError('Invalid transport options', issues);
}

/**
 * Why this runtime would drop a `dispatcher` with this fetch, if it would: Bun's fetch and its stand-in for
 * undici ignore undici dispatchers; Deno's global fetch does too (npm undici's own fetch honours them there).
 * Refused before any request, so that traffic meant for a proxy, a CA or a simulator does not go elsewhere.
 */
function runtimeIgnoringDispatchers(fetch: FetchFunction | undefined): string | undefined {
  const runtime = globalThis as { Bun?: unknown; Deno?: unknown };
  if (runtime.Bun !== undefined)
    return "is ignored on Bun (its fetch and its stand-in for undici take no dispatcher): pass a fetch that routes requests itself, e.g. with Bun's fetch options `tls` or `proxy`";
  if (runtime.Deno !== undefined && fetch === undefined)
    return "is ignored by Deno's global fetch: pass a fetch that honours it, e.g. npm undici's own fetch";
  return undefined;
}

/**
 * Creates the SDK's transport: a `fetch`-compatible function that adds auth, paces requests per
 * Qlik rate-limit bucket, retries what is safe to retry, and applies per-attempt timeouts. HTTP
 * errors come back as the final `Response`; when no response came it throws `QlikTimeoutError`,
 * `QlikNetworkError`, or the caller's abort reason.
 */
export function createTransport(options: TransportOptions = {}): QlikFetch {
  const issues: ValidationIssue[] = [];
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    issues.push({ path: ['fetch'], message: 'must be a function' });
  if (
    options.auth !== undefined &&
    (typeof options.auth?.getToken !== 'function' || typeof options.auth.id !== 'string')
  ) {
    issues.push({ path: ['auth'], message: 'must be a TokenProvider ({ id, getToken, invalidate })' });
  }
  if (options.tokenRefreshSkewMs !== undefined && !(options.tokenRefreshSkewMs >= 0)) {
    issues.push({ path: ['tokenRefreshSkewMs'], message: 'must be a number >= 0' });
  }
  positive(options.timeScale, ['timeScale'], issues);
  const ignoredBy = options.dispatcher === undefined ? undefined : runtimeIgnoringDispatchers(options.fetch);
  if (ignoredBy) issues.push({ path: ['dispatcher'], message: ignoredBy });
  if (options.pacing && options.pacing.defaultTier)
    positive(options.pacing.defaultTier.perMinute, ['pacing', 'defaultTier', 'perMinute'], issues);
  if (issues.length) throw new QlikValidationError('Invalid transport options', issues);
  validateCallOptions({ timeoutMs: options.timeoutMs, retry: options.retry, signal: options.signal });

  const clock = options.clock ?? (options.timeScale !== undefined ? createScaledClock(options.timeScale) : systemClock);
  const pacing =
    options.pacing === false
      ? undefined
      : {
          limiter: options.pacing?.limiter ?? createRateLimiter({ clock }),
          tierOf: options.pacing?.tierOf,
          defaultTier: options.pacing?.defaultTier ?? DEFAULT_TIER,
        };
  const state: TransportState = {
    fetch: options.fetch,
    dispatcher: options.dispatcher,
    auth: options.auth,
    skewMs: options.tokenRefreshSkewMs ?? 30_000,
    pacing,
    logger: options.logger,
    clock: pacing?.limiter.clock ?? clock,
    headers: Object.entries(options.headers ?? {}),
    token: undefined,
    tokenPending: undefined,
  };
  const call: ResolvedCall = {
    timeoutMs: options.timeoutMs ?? 30_000,
    signals: options.signal ? [options.signal] : [],
    retry: resolveRetry({ ...DEFAULT_RETRY, budget: createRetryBudget() }, options.retry),
    idempotent: undefined,
    tier: undefined,
  };
  return bind(state, call);
}

function bind(state: TransportState, call: ResolvedCall): QlikFetch {
  const qlikFetch = ((input: string | URL | Request, init?: RequestInit) =>
    send(state, call, input, init)) as QlikFetch;
  qlikFetch.with = (overrides: CallOptions) => {
    validateCallOptions(overrides);
    return bind(state, {
      timeoutMs: overrides.timeoutMs ?? call.timeoutMs,
      signals: overrides.signal ? [...call.signals, overrides.signal] : call.signals,
      retry: resolveRetry(call.retry, overrides.retry),
      idempotent: overrides.idempotent ?? call.idempotent,
      tier: overrides.tier ?? call.tier,
    });
  };
  return qlikFetch;
}
