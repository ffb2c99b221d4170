import {
  DEFAULT_WINDOW_MINUTES,
  createRateLimiter,
  createRetryBudget,
  createTransport,
  type RetryBudget,
  type QlikFetch,
  createScaledClock,
  systemClock,
  type Clock,
  type Logger,
  type RateLimiter,
  type TokenProvider,
  type TransportOptions,
} from '@qlik-oem/core';
import type { CloudEngineOptions, CreateSocket } from '@qlik-oem/engine';
import {
  createQlikCloud,
  createQlikOrganization,
  oauthClientCredentials,
  registrationHost,
  type QlikCloud,
  type QlikOrganization,
} from '@qlik-oem/qlik-cloud';
import { BoundedCache } from '../bounded-cache.js';
import type { Secret } from '../validation/secret.js';
import { checkEnvironmentOptions } from './environment-options.js';

export interface ProvisioningEnvironmentOptions {
  /** The Qlik Cloud region the tenants are created in, e.g. `eu`. */
  region: string;
  /** The partner's source tenant (signed license key, template app), e.g. `partner.eu.qlikcloud.com`. */
  sourceTenantHost: string;
  /**
   * A regional machine-to-machine OAuth client (My Qlik): it can call the registration host and every
   * tenant of the region, including the ones it creates.
   */
  oauth: { clientId: string; clientSecret: string | Secret; scope?: string };
  /**
   * An organization-level OAuth client (created by the service account owner at
   * console.qlikcloud.com/admin/oauth, scope `cloud-console.tenants:read`). With it, a tenant create
   * whose answer was lost (a timeout, a dropped connection, a kill) is reconciled through the
   * Organization API instead of leaving an orphan; without it such a customer stops and is reported as
   * a possible orphan.
   */
  organization?: { clientId: string; clientSecret: string | Secret };
  /**
   * How many customer tenants keep a cached facade and token provider (least recently used ones are
   * dropped, so a long-lived broker does not grow with every customer it ever touched). Default 1000.
   */
  maxCachedTenants?: number;
  /** The `fetch` every facade uses, e.g. the simulator's `sim.nodeFetch`. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Builds engine WebSockets, e.g. the simulator's `sim.createSocket`. Default: `ws`. */
  createSocket?: CreateSocket;
  /**
   * One limiter shared by every facade, so the fleet's calls to the registration host and the source
   * tenant draw from one bucket each. Default: one per environment.
   */
  limiter?: RateLimiter;
  /** Run pacing and backoff waits this many times faster (the simulator's `timeScale`). */
  timeScale?: number;
  /**
   * The clock pacing, backoff, token lifetimes and recipe waits run on, instead of the system's (or the
   * scaled one of `timeScale`, which it overrides): e.g. one that follows a simulator's manual clock, so
   * every wait and poll happens the same way on every run.
   */
  clock?: Clock;
  /**
   * How much longer than Qlik's 5-minute window the registration host's write bucket is paced
   * (default 0.02: 5.1 minutes, the same 500 requests). Qlik counts a request when it arrives; a burst
   * sent the moment the client's window opens can arrive before the server's matching slots free, and
   * every 429 costs a retry. Ignored when `limiter` is given.
   */
  registrationWindowMargin?: number;
  /**
   * The retry budget every transport of the environment draws from (`createRetryBudget()`), so a
   * fleet under a storm of 5xx spends one budget instead of retrying each call to its limit. Default:
   * one per environment, `createRetryBudget({ refill: 5 })`: a call that needed no retry puts back one
   * retry's worth, so the budget rides out up to about half of all attempts failing (core's default
   * holds only to about 29%). `transport.retry.budget` takes precedence.
   */
  retryBudget?: RetryBudget;
  logger?: Logger;
  /**
   * Extra transport options for every facade (timeouts, retries, headers). `retry.maxAttempts` defaults
   * to 16 here (core: 4); every retry is paid from `retryBudget`.
   */
  transport?: Pick<TransportOptions, 'timeoutMs' | 'retry' | 'headers' | 'dispatcher' | 'signal'>;
}

/** What engine sessions on a customer tenant need. */
export interface ProvisioningEngineAccess {
  readonly createSocket?: CreateSocket;
  /** The bearer token provider of a tenant host (the same regional client as the REST facades). */
  tokenProvider(host: string): TokenProvider;
  /** Ready-to-use `@qlik-oem/engine` options for `withApp(env.engine.options(host), appId, ...)`. */
  options(host: string): CloudEngineOptions;
}

/** The hosts, credentials and shared pacing every onboarding recipe runs with. */
export interface ProvisioningEnvironment {
  readonly region: string;
  readonly sourceTenantHost: string;
  /** `register.<region>.qlikcloud.com`. */
  readonly registrationHost: string;
  readonly limiter: RateLimiter;
  /** The retry budget shared by every facade (its `stats()` show what a fleet spent on retries). */
  readonly retryBudget: RetryBudget;
  /** The clock pacing and backoff run on (scaled when `timeScale` is set). */
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Facade on the registration host (tenant create, deactivate, reactivate). Cached. */
  registration(): QlikCloud;
  /** Facade on the source tenant (license key, template app). Cached. */
  source(): QlikCloud;
  /** Facade on a customer tenant, with the same regional client. Cached per host. */
  tenant(host: string): QlikCloud;
  /** The Organization API, when an organization client was given. */
  readonly organization: QlikOrganization | undefined;
  readonly engine: ProvisioningEngineAccess;
  /**
   * A transport without credentials (same fetch, pacing and retries), for the one question that must
   * be asked before a token exists: does a hostname belong to a tenant at all?
   */
  readonly anonymous: QlikFetch;
}

/**
 * Attempts per logical call of the environment's facades (core's default is 4). A provisioning run is a
 * batch of some sixty calls per customer, and at a transient fault rate p a fleet of n calls loses one
 * with a probability of about n·p^attempts: at 30% faults, 4 attempts lose one call in 120, 8 one in
 * 15,000 (a 16-customer fleet makes 1,000 calls, a 5,000-customer one 300,000), 16 one in 230 million,
 * and still one in 8 million at 37% (30% faults plus the timeouts of a loaded machine). The shared retry
 * budget, not this count, is what keeps a storm from multiplying requests: once failures outweigh
 * successes it refuses retries everywhere. Override with `transport.retry`.
 */
const PROVISIONING_MAX_ATTEMPTS = 16;

/**
 * Tokens a call that succeeded without a retry puts back into the environment's default budget: one
 * retry's cost (core's default, smithy's, is 1). With smithy's 1 the budget only holds while under about
 * 29% of attempts fail (5 tokens a retry, 10 after a timeout, a success after retries refunding its last
 * one): a fleet at 30% faults drifts down a tenth of a token a call, and timeouts from a loaded machine
 * or a slow tenant empty it within a few hundred calls, after which every failure is final and customers
 * fail at random steps. With 5 it holds up to about 50% failed attempts (41% if all are timeouts), and a
 * storm past that (a permanent 503, an outage) still spends it and is refused.
 */
const PROVISIONING_RETRY_REFILL = 5;

/** Qlik's tier 2: 100 requests per minute (qlik-cloud-apis.md, rate limits). */
const TIER2_PER_MINUTE = 100;

/**
 * Creates the environment recipes run in: cached facades for the registration host, the source
 * tenant and each customer tenant, all sharing one rate limiter and one regional OAuth client.
 * Options are validated before anything is sent (`QlikValidationError`).
 */
export function createProvisioningEnvironment(options: ProvisioningEnvironmentOptions): ProvisioningEnvironment {
  const parsed = checkEnvironmentOptions(options);
  const clientSecret =
    typeof parsed.oauth.clientSecret === 'string' ? parsed.oauth.clientSecret : parsed.oauth.clientSecret.reveal();
  const clock = options.clock ?? (parsed.timeScale === undefined ? systemClock : createScaledClock(parsed.timeScale));
  const limiter = options.limiter ?? createRateLimiter({ clock });
  // The registration host's tier-2 bucket (tenant creation) paces a whole fleet; give it a slightly
  // longer window with the same allowance so bursts never run ahead of the server's window.
  const margin = parsed.registrationWindowMargin ?? 0.02;
  const registrationWindow = DEFAULT_WINDOW_MINUTES * (1 + margin);
  const registrationLimiter =
    options.limiter ??
    createRateLimiter({
      clock,
      limits: {
        tier2: {
          windowMinutes: registrationWindow,
          perMinute: (TIER2_PER_MINUTE * DEFAULT_WINDOW_MINUTES) / registrationWindow + 1e-9,
        },
      },
    });
  const fetchImpl = options.fetch;
  const logger = options.logger;
  const retryOption = options.transport?.retry;
  const retryBudget =
    (retryOption ? retryOption.budget : undefined) ??
    options.retryBudget ??
    createRetryBudget({ refill: PROVISIONING_RETRY_REFILL });
  const transportExtras = {
    ...options.transport,
    ...(retryOption === false
      ? {}
      : { retry: { maxAttempts: PROVISIONING_MAX_ATTEMPTS, ...retryOption, budget: retryBudget } }),
  };
  // What every client's transport shares (the clock, the logger, retry and the caller's transport options),
  // and the fetch they all call through.
  const shared = { clock, ...(logger ? { logger } : {}), ...transportExtras };
  const fetchOption = fetchImpl ? { fetch: fetchImpl } : {};
  const regionHost = registrationHost(parsed.region);

  // Per-host caches, bounded: the registration host and the source tenant stay hot, customers come and go.
  const cacheSize = parsed.maxCachedTenants ?? 1000;
  /** A cache whose registration-host and source-tenant entries are never dropped. */
  const hostCache = <V extends NonNullable<unknown>>() => {
    const pinned = new Map<string, V>();
    const recent = new BoundedCache<string, V>(cacheSize);
    const isPinned = (host: string) => host === regionHost || host === parsed.sourceTenantHost;
    return {
      get: (host: string) => (isPinned(host) ? pinned.get(host) : recent.get(host)),
      set: (host: string, value: V) => void (isPinned(host) ? pinned.set(host, value) : recent.set(host, value)),
    };
  };
  const tokenProviders = hostCache<TokenProvider>();
  const tokenProvider = (host: string): TokenProvider => {
    let provider = tokenProviders.get(host);
    if (!provider) {
      provider = oauthClientCredentials({
        host,
        clientId: parsed.oauth.clientId,
        clientSecret,
        ...(parsed.oauth.scope ? { scope: parsed.oauth.scope } : {}),
        ...fetchOption,
        // Token lifetimes are in the server's (possibly scaled) time.
        now: () => clock.now(),
        transport: { pacing: { limiter }, ...shared },
      });
      tokenProviders.set(host, provider);
    }
    return provider;
  };

  const facades = hostCache<QlikCloud>();
  const facade = (host: string): QlikCloud => {
    const key = host.toLowerCase();
    let qc = facades.get(key);
    if (!qc) {
      qc = createQlikCloud({
        host: key,
        auth: tokenProvider(key),
        pacing: { limiter: key === regionHost ? registrationLimiter : limiter },
        ...fetchOption,
        ...shared,
      });
      facades.set(key, qc);
    }
    return qc;
  };

  const createSocket = options.createSocket;
  const engine: ProvisioningEngineAccess = {
    ...(createSocket ? { createSocket } : {}),
    tokenProvider: (host) => tokenProvider(host.toLowerCase()),
    options: (host) => ({
      platform: 'cloud',
      host: host.toLowerCase(),
      auth: tokenProvider(host.toLowerCase()),
      ...(createSocket ? { createSocket } : {}),
    }),
  };

  const anonymous = createTransport({ pacing: { limiter }, ...fetchOption, ...shared });

  const organization = parsed.organization
    ? createQlikOrganization({
        clientId: parsed.organization.clientId,
        clientSecret:
          typeof parsed.organization.clientSecret === 'string'
            ? parsed.organization.clientSecret
            : parsed.organization.clientSecret.reveal(),
        ...fetchOption,
        now: () => clock.now(),
        transport: { pacing: { limiter }, ...shared },
      })
    : undefined;

  return Object.freeze({
    anonymous,
    organization,
    region: parsed.region,
    sourceTenantHost: parsed.sourceTenantHost,
    registrationHost: regionHost,
    limiter,
    retryBudget,
    clock,
    ...(logger ? { logger } : {}),
    registration: () => facade(regionHost),
    source: () => facade(parsed.sourceTenantHost),
    tenant: (host: string) => facade(host),
    engine,
  });
}
