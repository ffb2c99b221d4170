import type { KeyObject } from 'node:crypto';
import { systemClock, type Clock, type Logger, type TokenProvider } from '@qlik-oem/core';
import type { DeploymentRoutingOptions } from '@qlik-oem/distribution';
import type { CreateSocket, QseowProxyEngineOptions } from '@qlik-oem/engine';
import type { QrsClient, QrsClientOptions } from '@qlik-oem/qrs';
import { loadOnce, loadQseowDeps } from './qseow-deps.js';
import { loadValidators } from '../validation/load.js';
import type { ParsedSiteOptions } from './setup-multi-cloud-site-input.js';
import type { Secret } from '../validation/secret.js';

/** The clock distribution waits run on; the simulator's manual clock in tests. */
export type WaitClock = Clock;

/** The partner's QSEoW site that distributes apps to the customers' tenants. */
export interface QseowSiteOptions {
  /** QSEoW host, e.g. `qlik.partner.com` (no scheme, port or path). */
  host: string;
  /** HTTPS port of the proxy. Default 443. */
  port?: number;
  /** Prefix of the JWT virtual proxy, e.g. `jwt`. hds is reached through it (not port 4242). */
  virtualProxyPrefix: string;
  /** The JWT the partner signs for the virtual proxy (which trusts the matching public key). */
  jwt: {
    /** PEM private key (PKCS#8 or traditional RSA/EC). RSA keys sign RS256, P-256 keys ES256. */
    signingKey: string | Secret;
    /** The QSEoW user the recipe acts as (needs the rights to manage apps, rules and deployments). */
    userId: string;
    userDirectory: string;
    /** Claim names the virtual proxy reads. Defaults `userid`, `userdirectory`. */
    userIdClaim?: string;
    userDirectoryClaim?: string;
    /** Lifetime of each signed JWT. Default 300 s; a fresh one is signed before it expires. */
    lifetimeSeconds?: number;
  };
  /** PEM CA of a self-signed proxy certificate. */
  ca?: string;
  /** Routing custom property and distribution policy overrides (see `@qlik-oem/distribution`). */
  routing?: DeploymentRoutingOptions;
  /** How long to wait for a distributed app to land in a tenant. Default 10 minutes. */
  distributionTimeoutMs?: number;
  /** Poll interval of that wait. Default 5 s. */
  pollIntervalMs?: number;
  /** `fetch` for QSEoW calls, e.g. the simulator's `sim.nodeFetch`. */
  fetch?: typeof fetch;
  /** Builds the engine WebSockets (through the same virtual proxy), e.g. the simulator's `sim.createSocket`. */
  createSocket?: CreateSocket;
  /** Time source of the distribution wait (tests: the simulator's clock). */
  clock?: WaitClock;
  logger?: Logger;
}

/** A QSEoW site ready for the recipe: the QRS client (also used for hds) and the wait settings. */
export interface QseowSite {
  readonly host: string;
  /** The site's QRS client, created on first call (loading `@qlik-oem/qrs` then) and shared afterwards. */
  readonly qrs: () => Promise<QrsClient>;
  readonly routing: DeploymentRoutingOptions;
  readonly distributionTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly clock: WaitClock;
  /** `@qlik-oem/engine` options for the site's apps: the virtual proxy, signed with the same JWT as QRS. */
  readonly engine: QseowProxyEngineOptions;
}

export function signingAlgorithm(key: KeyObject): 'RS256' | 'ES256' | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/**
 * A token provider that signs the partner's QSEoW JWT (RS256 or ES256) and re-signs it before it expires.
 * The key never leaves this closure; the provider's `id` names only the user and host.
 */
function jwtTokenProvider(host: string, key: KeyObject, jwt: ParsedSiteOptions['jwt']): TokenProvider {
  const algorithm = signingAlgorithm(key)!;
  const lifetime = jwt.lifetimeSeconds ?? 300;
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    id: `qseow-jwt:${jwt.userDirectory}\\${jwt.userId}@${host}`,
    async getToken(options) {
      // Signed against the local wall clock: the virtual proxy checks `exp` against its own.
      if (!options?.forceRefresh && cached && cached.expiresAt - Date.now() > 30_000) return cached;
      const { SignJWT } = await import('jose');
      const nowSeconds = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        [jwt.userIdClaim ?? 'userid']: jwt.userId,
        [jwt.userDirectoryClaim ?? 'userdirectory']: jwt.userDirectory,
      })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + lifetime)
        .setJti(crypto.randomUUID())
        .sign(key);
      cached = { token, expiresAt: (nowSeconds + lifetime) * 1000 };
      return cached;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/**
 * Validates the QSEoW site options (before any request: `QlikValidationError` naming the field, never the key).
 * The QRS client the recipe uses for QRS and hds calls is built on the first `site.qrs()`.
 */
export async function createQseowSite(options: QseowSiteOptions): Promise<QseowSite> {
  const { siteSchema, parseInput } = await loadValidators();
  const parsed = parseInput(siteSchema, options, { label: 'QSEoW site options', path: ['site'] });
  // Built now (options read once), created on first use: creating it needs `@qlik-oem/qrs`.
  const token = jwtTokenProvider(parsed.host, parsed.jwt.signingKey, parsed.jwt);
  const clientOptions: QrsClientOptions = {
    host: parsed.host,
    ...(parsed.port !== undefined ? { port: parsed.port } : {}),
    prefix: parsed.virtualProxyPrefix,
    auth: {
      type: 'jwt',
      token,
      ...(parsed.ca ? { ca: parsed.ca } : {}),
    },
    // QSEoW has no Qlik Cloud rate limits.
    pacing: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const qrs = loadOnce(async () => (await loadQseowDeps()).qrs.createQrsClient(clientOptions));
  return Object.freeze({
    host: parsed.host.toLowerCase(),
    qrs,
    routing: options.routing ?? {},
    distributionTimeoutMs: parsed.distributionTimeoutMs ?? 10 * 60_000,
    pollIntervalMs: parsed.pollIntervalMs ?? 5_000,
    clock: options.clock ?? systemClock,
    engine: {
      platform: 'qseow' as const,
      host: parsed.host,
      ...(parsed.port !== undefined ? { port: parsed.port } : {}),
      virtualProxy: parsed.virtualProxyPrefix,
      auth: token,
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
      ...(parsed.ca ? { webSocketOptions: { ca: parsed.ca } } : {}),
    },
  });
}

/** The site itself, or a site created (and validated) from its options. */
export async function resolveQseowSite(site: QseowSite | QseowSiteOptions): Promise<QseowSite> {
  return 'qrs' in site ? site : createQseowSite(site);
}
