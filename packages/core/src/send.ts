// One logical call through its attempts: pacing, token, one fetch per attempt, and the retry decision after each.
import { abortReason } from './clock.js';
import { QlikError, QlikNetworkError, QlikTimeoutError, parseRetryAfter, recordResponseRequest } from './errors.js';
import type { PacingKey, RateLimiter } from './limiter.js';
import type { Logger } from './logger.js';
import type { TokenProvider } from './auth.js';
import { prepareRequest, type PreparedRequest } from './prepared-request.js';
import { redactUrl } from './redact.js';
import {
  IDEMPOTENT_METHODS,
  NOT_SENT_CODES,
  RETRY_CODES,
  RETRY_STATUSES,
  backoffMs,
  errorCode,
  type ResolvedRetry,
} from './retry-policy.js';
import { AttemptAbort, combineSignals } from './signals.js';
import { tracingRegistered, withSpan } from './tracing.js';
import { currentToken, type TokenState } from './token-cache.js';
import type { RateLimitTier, TierResolver } from './tiers.js';

/** An injected fetch. It is always called with a `Request` (and an init carrying `signal`, maybe `dispatcher`). */
export type FetchFunction = (input: Request, init?: RequestInit) => Promise<Response>;

export interface ResolvedCall {
  timeoutMs: number;
  signals: AbortSignal[];
  retry: ResolvedRetry;
  idempotent: boolean | undefined;
  tier: RateLimitTier | undefined;
}

export interface TransportState extends TokenState {
  fetch: FetchFunction | undefined;
  dispatcher: unknown;
  auth: TokenProvider | undefined;
  pacing: { limiter: RateLimiter; tierOf: TierResolver | undefined; defaultTier: RateLimitTier } | undefined;
  logger: Logger | undefined;
  headers: Array<[string, string]>;
}

/** What every attempt of one logical call shares. */
interface Exchange {
  readonly state: TransportState;
  readonly call: ResolvedCall;
  readonly prepared: PreparedRequest;
  readonly method: string;
  readonly url: string;
  readonly idempotent: boolean;
  readonly dispatcher: unknown;
  /** The caller's signals combined; aborts the whole call. */
  readonly signal: AbortSignal | undefined;
  readonly pacingKey: PacingKey | undefined;
  logUrl(): string;
}

/** A token the server refused once: the next attempt fetches a fresh one, and only one such retry happens. */
interface AuthRetry {
  retried: boolean;
  rejectedToken: string | undefined;
}

type AttemptOutcome = { response: Response } | { failure: QlikError; retryable: boolean };

export async function send(
  state: TransportState,
  call: ResolvedCall,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const prepared = prepareRequest(input, init, state.headers, state.auth !== undefined, state.fetch !== undefined);
  const signal = combineSignals(prepared.signal ? [...call.signals, prepared.signal] : call.signals);
  const exchange = openExchange(state, call, prepared, init, signal);
  const auth: AuthRetry = { retried: false, rejectedToken: undefined };
  const budget = call.retry.budget;
  // What the last retry cost the budget: a success refunds it.
  let lastCost: number | undefined;
  let attempt = 0;
  for (;;) {
    attempt++;
    if (signal?.aborted) throw abortReason(signal);
    const tierWaitMs = exchange.pacingKey ? await state.pacing!.limiter.acquire(exchange.pacingKey, signal) : 0;
    const tokenUsed = state.auth ? await currentToken(state, state.auth, signal, auth.rejectedToken) : undefined;
    const started = state.logger ? performance.now() : 0;
    const outcome = await tracedAttempt(exchange, tokenUsed, attempt, tierWaitMs);
    if (exchange.pacingKey) void state.pacing!.limiter.settle?.(exchange.pacingKey);
    if ('failure' in outcome) {
      lastCost = await retryAfterFailure(exchange, outcome, attempt, started);
      continue;
    }
    const { response } = outcome;
    logResponse(exchange, response.status, attempt, started, tierWaitMs);
    if (response.status < 400) {
      budget?.succeeded(lastCost);
      return response;
    }
    if (refreshAfter401(exchange, response, tokenUsed, auth)) {
      attempt--; // the re-authenticated attempt does not use up the retry attempts
      continue;
    }
    const decision = await retryAfterStatus(exchange, response, attempt);
    if (decision.retry) {
      lastCost = decision.cost;
      continue;
    }
    // The server answered and there is nothing to retry (a 404, a 400...): as good as a success for the budget.
    if (!decision.retryableStatus) budget?.succeeded(lastCost);
    recordResponseRequest(response, exchange.method, exchange.url, decision.covered);
    return response;
  }
}

function openExchange(
  state: TransportState,
  call: ResolvedCall,
  prepared: PreparedRequest,
  init: RequestInit | undefined,
  signal: AbortSignal | undefined,
): Exchange {
  const { method, url } = prepared;
  let pacingKey: PacingKey | undefined;
  if (state.pacing) {
    const parsed = new URL(url);
    const tier = call.tier ?? state.pacing.tierOf?.(method, parsed) ?? state.pacing.defaultTier;
    pacingKey = { host: parsed.host, tier, credentialId: state.auth?.id ?? 'anonymous' };
  }
  let safeUrl: string | undefined;
  return {
    state,
    call,
    prepared,
    method,
    url,
    idempotent: call.idempotent ?? IDEMPOTENT_METHODS.has(method),
    dispatcher: (init as { dispatcher?: unknown } | undefined)?.dispatcher ?? state.dispatcher,
    signal,
    pacingKey,
    logUrl: () => (safeUrl ??= redactUrl(url)),
  };
}

/** One attempt as an HTTP client span: method, redacted URL, retry count, rate-limit wait, status or error. */
function tracedAttempt(
  exchange: Exchange,
  tokenUsed: string | undefined,
  attempt: number,
  tierWaitMs: number,
): Promise<AttemptOutcome> {
  // Nothing records spans: no attributes to build (a URL parse and a redaction per attempt).
  if (!tracingRegistered()) return fetchAttempt(exchange, tokenUsed);
  const attributes = {
    'http.request.method': exchange.method,
    'url.full': exchange.logUrl(),
    'server.address': new URL(exchange.url).hostname,
    'http.request.resend_count': attempt - 1,
    'qlik.rate_limit.wait_ms': Math.round(tierWaitMs),
  };
  return withSpan(`HTTP ${exchange.method}`, { kind: 'client', attributes }, async (span) => {
    const outcome = await fetchAttempt(exchange, tokenUsed);
    if ('response' in outcome) {
      span.setAttribute('http.response.status_code', outcome.response.status);
      if (outcome.response.status >= 400) span.setAttribute('error.type', String(outcome.response.status));
    } else span.setAttribute('error.type', outcome.failure.name);
    return outcome;
  });
}

/** One fetch under the attempt's timeout; a throw becomes a timeout or network failure (the caller's abort is rethrown). */
async function fetchAttempt(exchange: Exchange, tokenUsed: string | undefined): Promise<AttemptOutcome> {
  const { state, call, signal, method, url, idempotent } = exchange;
  const abort = call.timeoutMs === Infinity && !signal ? undefined : new AttemptAbort(call.timeoutMs, signal);
  try {
    const fetchImpl = state.fetch ?? globalThis.fetch;
    const extra: Record<string, unknown> = abort ? { signal: abort.controller.signal } : {};
    if (exchange.dispatcher !== undefined) extra.dispatcher = exchange.dispatcher;
    const [fetchInput, fetchInit] = exchange.prepared.forAttempt(
      tokenUsed === undefined ? undefined : `Bearer ${tokenUsed}`,
      extra,
    );
    // An injected fetch always gets a Request; only the global fetch is handed a plain URL.
    const response = await (fetchImpl as (input: Request | string, init: RequestInit) => Promise<Response>)(
      fetchInput,
      fetchInit,
    );
    return { response };
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (abort?.timedOut) {
      return {
        failure: new QlikTimeoutError({
          method,
          url,
          timeoutMs: call.timeoutMs,
          cause: error,
          retriedByTransport: idempotent,
        }),
        retryable: idempotent,
      };
    }
    const code = errorCode(error);
    const retryable = code !== undefined && RETRY_CODES.has(code) && (idempotent || NOT_SENT_CODES.has(code));
    return {
      failure: new QlikNetworkError({
        method,
        url,
        ...(code ? { code } : {}),
        cause: error,
        retriedByTransport: retryable,
      }),
      retryable,
    };
  } finally {
    abort?.done();
  }
}

/** After a failure without a response: throws it when it is final, else waits the backoff and answers what the retry cost. */
async function retryAfterFailure(
  exchange: Exchange,
  outcome: { failure: QlikError; retryable: boolean },
  attempt: number,
  started: number,
): Promise<number> {
  const { state, call, method } = exchange;
  const { failure } = outcome;
  const cost =
    outcome.retryable && attempt < call.retry.maxAttempts
      ? payForRetry(exchange, failure.kind === 'timeout' ? 'timeout' : 'error')
      : false;
  if (cost === false) {
    state.logger?.warn(
      {
        method,
        url: exchange.logUrl(),
        attempt,
        error: failure.message,
        durationMs: Math.round(performance.now() - started),
      },
      'qlik request failed',
    );
    throw failure;
  }
  const delayMs = backoffMs(call.retry, attempt);
  state.logger?.warn(
    { method, url: exchange.logUrl(), attempt, error: failure.message, delayMs },
    'qlik request retry',
  );
  await state.clock.sleep(delayMs, exchange.signal);
  return cost;
}

/** Takes one retry's cost from the budget; false when it is empty (logged once per refusal). */
function payForRetry(exchange: Exchange, reason: 'error' | 'timeout'): number | false {
  const budget = exchange.call.retry.budget;
  if (!budget) return 0;
  const cost = budget.spend(reason);
  if (cost === false) {
    exchange.state.logger?.warn(
      { method: exchange.method, url: exchange.logUrl(), available: budget.stats().available },
      'qlik retry budget exhausted, not retrying',
    );
  }
  return cost;
}

function logResponse(exchange: Exchange, status: number, attempt: number, started: number, tierWaitMs: number): void {
  exchange.state.logger?.debug(
    {
      method: exchange.method,
      url: exchange.logUrl(),
      status,
      durationMs: Math.round(performance.now() - started),
      attempt,
      tierWaitMs,
      ...(exchange.pacingKey ? { tier: exchange.pacingKey.tier.name } : {}),
    },
    'qlik request',
  );
}

/** A 401 on a token we sent: invalidate it (once across concurrent requests) and try once more with a fresh one. */
function refreshAfter401(
  exchange: Exchange,
  response: Response,
  tokenUsed: string | undefined,
  auth: AuthRetry,
): boolean {
  const { state } = exchange;
  if (response.status !== 401 || !state.auth || tokenUsed === undefined || auth.retried) return false;
  auth.retried = true;
  // Only the first request to see this token rejected invalidates it; the others reuse the refresh.
  if (state.token?.token === tokenUsed) {
    state.auth.invalidate(tokenUsed);
    state.token = undefined;
  }
  auth.rejectedToken = tokenUsed;
  state.logger?.info(
    { method: exchange.method, url: exchange.logUrl(), credential: state.auth.id },
    'qlik token rejected, refreshing once',
  );
  drain(response);
  return true;
}

/**
 * What happens after an error status: another attempt (after waiting Retry-After or the backoff, paid
 * from the budget), or the response is final; `covered` says the policy applied to it (a caller
 * should not retry it again), `retryableStatus` that the server did not really answer (429/5xx).
 */
type StatusDecision = { retry: true; cost: number } | { retry: false; covered: boolean; retryableStatus: boolean };

async function retryAfterStatus(exchange: Exchange, response: Response, attempt: number): Promise<StatusDecision> {
  const { state, call, method } = exchange;
  const status = response.status;
  if (status !== 429 && !RETRY_STATUSES.has(status)) {
    return { retry: false, covered: false, retryableStatus: status >= 500 };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const delayMs =
    retryAfterMs !== undefined ? Math.min(retryAfterMs, call.retry.maxRetryAfterMs) : backoffMs(call.retry, attempt);
  // Qlik blocks the whole tier until retry-after, so hold every request of this bucket.
  if (status === 429 && exchange.pacingKey) void state.pacing!.limiter.pause(exchange.pacingKey, delayMs);
  const retryable = status === 429 || exchange.idempotent;
  if (!retryable) return { retry: false, covered: false, retryableStatus: true };
  const cost = attempt < call.retry.maxAttempts ? payForRetry(exchange, 'error') : false;
  if (cost === false) return { retry: false, covered: true, retryableStatus: true };
  state.logger?.warn({ method, url: exchange.logUrl(), status, attempt, delayMs }, 'qlik request retry');
  drain(response);
  await state.clock.sleep(delayMs, exchange.signal);
  return { retry: true, cost };
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
