import type { TokenProvider } from './auth.js';
import { abortReason, createScaledClock, systemClock, type Clock } from './clock.js';
import {
  QlikError,
  QlikNetworkError,
  QlikTimeoutError,
  QlikValidationError,
  parseRetryAfter,
  recordResponseRequest,
  type ValidationIssue,
} from './errors.js';
import { createRateLimiter, type PacingKey, type RateLimiter } from './limiter.js';
import type { Logger } from './logger.js';
import { prepareRequest } from './prepared-request.js';
import { redactUrl } from './redact.js';
import {
  DEFAULT_RETRY,
  IDEMPOTENT_METHODS,
  NOT_SENT_CODES,
  RETRY_CODES,
  RETRY_STATUSES,
  backoffMs,
  errorCode,
  resolveRetry,
  validateRetry,
  type ResolvedRetry,
  type RetryOptions,
} from './retry-policy.js';
import { AttemptAbort, combineSignals } from './signals.js';
import { currentToken, type TokenState } from './token-cache.js';
import { DEFAULT_TIER, type RateLimitTier, type TierResolver } from './tiers.js';
import { positive } from './validate.js';

export type { RetryOptions } from './retry-policy.js';

export interface PacingOptions {
  /** Share one limiter between transports so a fleet shares buckets. Default: a private one. */
  limiter?: RateLimiter;
  /** The tier of a request; generated clients supply this. */
  tierOf?: TierResolver;
  /** Tier for requests `tierOf` does not know. Default tier 2 (100/min). */
  defaultTier?: RateLimitTier;
}

/** An injected fetch. It is always called with a `Request` (and an init carrying `signal`, maybe `dispatcher`). */
export type FetchFunction = (input: Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The `fetch` to call. Default: `globalThis.fetch`, looked up on every call (so msw can intercept). */
  fetch?: FetchFunction;
  /** An undici `Dispatcher` (agent, proxy, custom CA) passed to every `fetch` call. */
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
   * Whether re-sending is safe after a 5xx, timeout or reset. Default: true for GET, HEAD, OPTIONS,
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

interface ResolvedCall {
  timeoutMs: number;
  signals: AbortSignal[];
  retry: ResolvedRetry;
  idempotent: boolean | undefined;
  tier: RateLimitTier | undefined;
}

interface TransportState extends TokenState {
  fetch: FetchFunction | undefined;
  dispatcher: unknown;
  auth: TokenProvider | undefined;
  pacing: { limiter: RateLimiter; tierOf: TierResolver | undefined; defaultTier: RateLimitTier } | undefined;
  logger: Logger | undefined;
  headers: Array<[string, string]>;
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
    retry: resolveRetry(DEFAULT_RETRY, options.retry),
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

/**
 * Releases a response body we will not read, so its connection can be reused. Not awaited: some fetch
 * implementations (msw's mocked responses among them) never settle `cancel()`, and a retry must not
 * wait on it.
 */
function drain(response: Response): void {
  response.body?.cancel().catch(() => {
    // Nothing to release.
  });
}

async function send(
  state: TransportState,
  call: ResolvedCall,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const prepared = prepareRequest(input, init, state.headers, state.auth !== undefined, state.fetch !== undefined);
  const { method, url } = prepared;
  const idempotent = call.idempotent ?? IDEMPOTENT_METHODS.has(method);
  const retry = call.retry;
  const dispatcher = (init as { dispatcher?: unknown } | undefined)?.dispatcher ?? state.dispatcher;
  const logger = state.logger;
  let safeUrl: string | undefined;
  const logUrl = () => (safeUrl ??= redactUrl(url));

  const { signal: callerSignal, unlink } = combineSignals(
    prepared.signal ? [...call.signals, prepared.signal] : call.signals,
  );
  try {
    let pacingKey: PacingKey | undefined;
    if (state.pacing) {
      const parsed = new URL(url);
      const tier = call.tier ?? state.pacing.tierOf?.(method, parsed) ?? state.pacing.defaultTier;
      pacingKey = { host: parsed.host, tier, credentialId: state.auth?.id ?? 'anonymous' };
    }

    let attempt = 0;
    let authRetried = false;
    let rejectedToken: string | undefined;
    for (;;) {
      attempt++;
      if (callerSignal?.aborted) throw abortReason(callerSignal);

      const tierWaitMs = pacingKey ? await state.pacing!.limiter.acquire(pacingKey, callerSignal) : 0;

      let tokenUsed: string | undefined;
      if (state.auth) {
        tokenUsed = await currentToken(state, state.auth, callerSignal, rejectedToken);
      }

      const abort =
        call.timeoutMs === Infinity && !callerSignal ? undefined : new AttemptAbort(call.timeoutMs, callerSignal);
      const started = logger ? performance.now() : 0;
      let response: Response;
      try {
        const fetchImpl = state.fetch ?? (globalThis.fetch as FetchFunction);
        const extra: Record<string, unknown> = abort ? { signal: abort.controller.signal } : {};
        if (dispatcher !== undefined) extra.dispatcher = dispatcher;
        const [fetchInput, fetchInit] = prepared.forAttempt(
          tokenUsed === undefined ? undefined : `Bearer ${tokenUsed}`,
          extra,
        );
        // An injected fetch always gets a Request; only the global fetch is handed a plain URL.
        response = await (fetchImpl as (input: Request | string, init: RequestInit) => Promise<Response>)(
          fetchInput,
          fetchInit,
        );
      } catch (error) {
        if (callerSignal?.aborted) throw abortReason(callerSignal);
        let failure: QlikError;
        let retryable: boolean;
        if (abort?.timedOut) {
          failure = new QlikTimeoutError({ method, url, timeoutMs: call.timeoutMs, cause: error });
          retryable = idempotent;
        } else {
          const code = errorCode(error);
          failure = new QlikNetworkError({ method, url, ...(code ? { code } : {}), cause: error });
          retryable = code !== undefined && RETRY_CODES.has(code) && (idempotent || NOT_SENT_CODES.has(code));
        }
        if (!retryable || attempt >= retry.maxAttempts) {
          logger?.warn(
            {
              method,
              url: logUrl(),
              attempt,
              error: failure.message,
              durationMs: Math.round(performance.now() - started),
            },
            'qlik request failed',
          );
          throw failure;
        }
        const delayMs = backoffMs(retry, attempt);
        logger?.warn({ method, url: logUrl(), attempt, error: failure.message, delayMs }, 'qlik request retry');
        await state.clock.sleep(delayMs, callerSignal);
        continue;
      } finally {
        abort?.done();
      }

      const status = response.status;
      logger?.debug(
        {
          method,
          url: logUrl(),
          status,
          durationMs: Math.round(performance.now() - started),
          attempt,
          tierWaitMs,
          ...(pacingKey ? { tier: pacingKey.tier.name } : {}),
        },
        'qlik request',
      );
      if (status < 400) return response;

      if (status === 401 && state.auth && tokenUsed !== undefined && !authRetried) {
        authRetried = true;
        // Only the first request to see this token rejected invalidates it; the others reuse the refresh.
        if (state.token?.token === tokenUsed) {
          state.auth.invalidate(tokenUsed);
          state.token = undefined;
        }
        rejectedToken = tokenUsed;
        logger?.info({ method, url: logUrl(), credential: state.auth.id }, 'qlik token rejected, refreshing once');
        drain(response);
        attempt--; // the re-authenticated attempt does not use up the retry budget
        continue;
      }

      if (status === 429 || RETRY_STATUSES.has(status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        const delayMs =
          retryAfterMs !== undefined ? Math.min(retryAfterMs, retry.maxRetryAfterMs) : backoffMs(retry, attempt);
        // Qlik blocks the whole tier until retry-after, so hold every request of this bucket.
        if (status === 429 && pacingKey) state.pacing!.limiter.pause(pacingKey, delayMs);
        const retryable = status === 429 || idempotent;
        if (retryable && attempt < retry.maxAttempts) {
          logger?.warn({ method, url: logUrl(), status, attempt, delayMs }, 'qlik request retry');
          drain(response);
          await state.clock.sleep(delayMs, callerSignal);
          continue;
        }
      }
      recordResponseRequest(response, method, url);
      return response;
    }
  } finally {
    unlink();
  }
}
