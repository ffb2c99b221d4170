import { createJwtSession, signUserJwt } from '@qlik-oem/qlik-cloud';
import type { DemoUser } from './demo-user.js';
import type { BrokerConfig } from './options.js';

/** What `?check=true` adds: who Qlik says the user is, and the customer's app as that user sees it. */
export interface UserCheck {
  ok: true;
  userId: string;
  subject: string;
  groups: string[];
  /** The customer's app as this user sees it; null when the user may not open it (Qlik answered 403/404). */
  app: { id: string; name: string } | null;
}

/** What the browser needs to embed the customer's analytics as the signed-in user. */
export interface EmbedSession {
  /** The customer's tenant: `qlik-embed`'s `data-host`. */
  tenantHost: string;
  /** `qlik-embed`'s `data-web-integration-id`; null when the broker has no web integration configured. */
  webIntegrationId: string | null;
  /** The published app in the customer's managed space (when the tenant was hydrated). */
  appId: string | null;
  /**
   * The user's JWT, valid once and for a short time. The BROWSER posts it to `loginUrl` (credentials included,
   * header `qlik-web-integration-id`), so that the session cookies are set on the tenant's domain.
   */
  jwt: string;
  expiresAt: string;
  loginUrl: string;
  /** Present with `?check=true`: the broker opened a session of its own with a second JWT and asked who it is. */
  check?: UserCheck;
}

/** The customer's tenant as the journal knows it. */
export interface EmbedTarget {
  tenantHost: string;
  webIntegrationId: string | null;
  appId: string | null;
}

/** Signs a JWT for the user with the partner's key (the key of the JWT IdP `onboardTenant` created). */
export function signFor(config: BrokerConfig, user: DemoUser): Promise<string> {
  return signUserJwt({
    privateKey: config.signingKey,
    keyId: config.partner.jwt.keyId,
    issuer: config.partner.jwt.issuer,
    subject: user.id,
    name: user.name,
    email: user.email,
    groups: user.groups,
    lifetimeSeconds: config.jwtLifetimeSeconds,
    now: config.jwtClock,
  });
}

/** Builds the embed session; with `check`, first proves server side that the tenant accepts the partner's JWTs. */
export async function createEmbedSession(
  config: BrokerConfig,
  target: EmbedTarget,
  user: DemoUser,
  options: { check: boolean; signal?: AbortSignal },
): Promise<EmbedSession> {
  const check = options.check
    ? await checkSession(config, target.tenantHost, target.appId, user, options.signal)
    : undefined;
  const jwt = await signFor(config, user);
  return {
    tenantHost: target.tenantHost,
    webIntegrationId: target.webIntegrationId,
    appId: target.appId,
    jwt,
    expiresAt: new Date(config.jwtClock() + config.jwtLifetimeSeconds * 1000).toISOString(),
    loginUrl: `https://${target.tenantHost}/login/jwt-session`,
    ...(check ? { check } : {}),
  };
}

// A JWT is accepted once (jti), so the check signs its own and leaves the browser's untouched. A refused JWT
// throws createJwtSession's QlikAuthError (Qlik's code and detail, never the token).
async function checkSession(
  config: BrokerConfig,
  tenantHost: string,
  appId: string | null,
  user: DemoUser,
  signal?: AbortSignal,
): Promise<UserCheck> {
  const doFetch = config.fetch ?? globalThis.fetch;
  const session = await createJwtSession({
    host: tenantHost,
    jwt: await signFor(config, user),
    fetch: doFetch,
    ...(signal ? { signal } : {}),
  });
  const response = await doFetch(`https://${tenantHost}/api/v1/users/me`, {
    headers: { cookie: session.cookieHeader, accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET /api/v1/users/me with the new session answered ${response.status}`);
  }
  const me = (await response.json()) as { id?: string; subject?: string; assignedGroups?: Array<{ name?: string }> };
  return {
    ok: true,
    userId: me.id ?? '',
    subject: me.subject ?? '',
    groups: (me.assignedGroups ?? []).map((group) => group.name ?? '').filter(Boolean),
    app: appId ? await appAsUser(doFetch, tenantHost, appId, session.cookieHeader, signal) : null,
  };
}

/** The app as the user's own session reads it: Qlik's space roles decide (403/404: the user may not open it). */
async function appAsUser(
  doFetch: typeof fetch,
  tenantHost: string,
  appId: string,
  cookie: string,
  signal?: AbortSignal,
): Promise<{ id: string; name: string } | null> {
  const response = await doFetch(`https://${tenantHost}/api/v1/apps/${encodeURIComponent(appId)}`, {
    headers: { cookie, accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  if (response.status === 403 || response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET /api/v1/apps/{appId} with the user's session answered ${response.status}`);
  }
  const app = (await response.json()) as { attributes?: { id?: string; name?: string } };
  return { id: app.attributes?.id ?? appId, name: app.attributes?.name ?? '' };
}
