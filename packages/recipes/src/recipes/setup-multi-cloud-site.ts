import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { systemClock, type Clock, type Logger, type TokenProvider } from '@qlik-oem/core';
import type { DeploymentRoutingOptions } from '@qlik-oem/distribution';
import type { CreateSocket, QseowProxyEngineOptions } from '@qlik-oem/engine';
import type { QrsClient, QrsClientOptions } from '@qlik-oem/qrs';
import { z } from 'zod';
import { loadOnce, loadQseowDeps } from './qseow-deps.js';
import { parseInput } from '../validation/parse.js';
import { Secret } from '../validation/secret.js';

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

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const CLAIM = /^[A-Za-z_][A-Za-z0-9_]*$/;

function signingAlgorithm(key: KeyObject): 'RS256' | 'ES256' | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

const signingKeySchema = z
  .union([z.string(), z.instanceof(Secret)], { error: 'must be a PEM private key (string or Secret)' })
  .transform((value, ctx) => {
    const pem = typeof value === 'string' ? value : value.reveal();
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
      return fail('must be a PEM private key ("-----BEGIN PRIVATE KEY-----")');
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      return fail('is not a valid PEM private key (it could not be parsed)');
    }
    if (!signingAlgorithm(key))
      return fail('must be an RSA or P-256 (EC) key: the virtual proxy verifies RS256 or ES256');
    return key;
  });

const siteSchema = z.object({
  host: z
    .string({ error: 'must be a string' })
    .trim()
    .regex(HOST, 'must be a host name without scheme, port or path, e.g. qlik.partner.com'),
  port: z.number({ error: 'must be a number' }).int('must be an integer').min(1).max(65535).optional(),
  virtualProxyPrefix: z
    .string({ error: 'must be a string' })
    .transform((p) => p.replace(/^\/+|\/+$/g, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be one path segment, e.g. "jwt" (the JWT virtual proxy)')),
  jwt: z.object(
    {
      signingKey: signingKeySchema,
      userId: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
      userDirectory: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
      userIdClaim: z.string().regex(CLAIM, 'must be a claim name').optional(),
      userDirectoryClaim: z.string().regex(CLAIM, 'must be a claim name').optional(),
      lifetimeSeconds: z.number().int().min(30, 'must be at least 30').max(3600, 'must be at most 3600').optional(),
    },
    { error: 'is required: { signingKey, userId, userDirectory }' },
  ),
  ca: z.string().optional(),
  distributionTimeoutMs: z.number().positive('must be positive').finite().optional(),
  pollIntervalMs: z.number().positive('must be positive').finite().optional(),
});

/**
 * A token provider that signs the partner's QSEoW JWT (RS256 or ES256) and re-signs it before it expires.
 * The key never leaves this closure; the provider's `id` names only the user and host.
 */
function jwtTokenProvider(host: string, key: KeyObject, jwt: z.output<typeof siteSchema>['jwt']): TokenProvider {
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
        .setJti(randomUUID())
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
export function createQseowSite(options: QseowSiteOptions): QseowSite {
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
