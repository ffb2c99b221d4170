// Embedding with OAuth impersonation (qlik.dev "Retrieve and use OAuth impersonation tokens"): the page asks the
// broker for a token, the broker asks the customer's tenant for one that acts as the signed-in end user (grant
// urn:qlik:oauth:user-impersonation with the tenant's impersonation client), and the page hands it to qlik-embed.
import { createJwtSession, oauthImpersonation, type UserTokens } from '@qlik-oem/qlik-cloud';
import { replaceImpersonationClientSecret, type Secret } from '@qlik-oem/recipes';
import type { DemoUser } from './demo-user.js';
import { signFor, type UserCheck } from './embed-session.js';
import type { BrokerConfig } from './options.js';

/**
 * Where the broker keeps each tenant's impersonation client secret. Qlik answers a secret once, when it is made,
 * so the broker stores the one `customizeTenant` hands out. A real broker keeps it in its secret manager; the
 * example's default keeps it in memory, and after a restart asks the tenant for a new one.
 */
export interface ImpersonationSecrets {
  get(tenantHost: string): Promise<{ clientId: string; clientSecret: Secret } | undefined>;
  set(tenantHost: string, credentials: { clientId: string; clientSecret: Secret }): Promise<void>;
}

export function createMemoryImpersonationSecrets(): ImpersonationSecrets {
  const byTenant = new Map<string, { clientId: string; clientSecret: Secret }>();
  return {
    get: async (tenantHost) => byTenant.get(tenantHost),
    set: async (tenantHost, credentials) => void byTenant.set(tenantHost, credentials),
  };
}

/** What the page needs to render the customer's analytics as the user with qlik-embed (`data-auth-type="Oauth2"`). */
export interface ImpersonationToken {
  /** `data-host`. */
  tenantHost: string;
  /** `data-client-id`: the tenant's impersonation client. */
  clientId: string;
  webIntegrationId: string | null;
  appId: string | null;
  /** What the page's `data-get-access-token` function returns: a bearer token that acts as the user. */
  accessToken: string;
  expiresAt: string | null;
  /** Present with `?check=true`: who Qlik says the token is, and the app as that user sees it. */
  check?: UserCheck;
}

export interface ImpersonationTarget {
  tenantHost: string;
  clientId: string;
  webIntegrationId: string | null;
  appId: string | null;
}

/** Token providers per tenant and client (each caches its users' tokens until shortly before they expire). */
const tokenSources = new WeakMap<BrokerConfig, Map<string, { secret: Secret; tokens: UserTokens }>>();

async function credentialsFor(config: BrokerConfig, target: ImpersonationTarget, signal?: AbortSignal) {
  const stored = await config.impersonationSecrets.get(target.tenantHost);
  if (stored?.clientId === target.clientId) return stored;
  // The secret was lost (a restart of this in-memory example, or a run killed before it was stored): a new one.
  const clientSecret = await replaceImpersonationClientSecret(
    config.env,
    { tenantHost: target.tenantHost, clientId: target.clientId },
    signal ? { signal } : {},
  );
  const credentials = { clientId: target.clientId, clientSecret };
  await config.impersonationSecrets.set(target.tenantHost, credentials);
  return credentials;
}

function tokensFor(config: BrokerConfig, credentials: { clientId: string; clientSecret: Secret }, tenantHost: string) {
  let byTenant = tokenSources.get(config);
  if (!byTenant) {
    byTenant = new Map<string, { secret: Secret; tokens: UserTokens }>();
    tokenSources.set(config, byTenant);
  }
  const key = `${tenantHost} ${credentials.clientId}`;
  const known = byTenant.get(key);
  // A replaced secret needs a new provider.
  if (known?.secret === credentials.clientSecret) return known.tokens;
  const tokens = oauthImpersonation({
    host: tenantHost,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret.reveal(),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  byTenant.set(key, { secret: credentials.clientSecret, tokens });
  return tokens;
}

/**
 * An access token that acts as `user` on the customer's tenant. Impersonation needs the user to exist with their
 * group mappings (qlik.dev changelog 84), so the broker first signs the user in once on its own side with the
 * partner's JWT, which creates or updates them and their groups; then it asks for the impersonation token.
 */
export async function createImpersonationToken(
  config: BrokerConfig,
  target: ImpersonationTarget,
  user: DemoUser,
  options: { check: boolean; signal?: AbortSignal },
): Promise<ImpersonationToken> {
  const doFetch = config.fetch ?? globalThis.fetch;
  const signal = options.signal;
  await createJwtSession({
    host: target.tenantHost,
    jwt: await signFor(config, user),
    fetch: doFetch,
    ...(signal ? { signal } : {}),
  });
  const credentials = await credentialsFor(config, target, signal);
  const provider = tokensFor(config, credentials, target.tenantHost).forUser({ subject: user.id });
  const { token, expiresAt } = await provider.getToken(signal ? { signal } : {});
  return {
    tenantHost: target.tenantHost,
    clientId: target.clientId,
    webIntegrationId: target.webIntegrationId,
    appId: target.appId,
    accessToken: token,
    expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
    ...(options.check ? { check: await checkToken(doFetch, target, token, signal) } : {}),
  };
}

/** Reads the user and the app with the token, as qlik-embed would: Qlik's space roles decide what the user sees. */
async function checkToken(
  doFetch: typeof fetch,
  target: ImpersonationTarget,
  token: string,
  signal?: AbortSignal,
): Promise<UserCheck> {
  const get = (path: string) =>
    doFetch(`https://${target.tenantHost}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
  const response = await get('/api/v1/users/me');
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET /api/v1/users/me with the impersonation token answered ${response.status}`);
  }
  const me = (await response.json()) as { id?: string; subject?: string; assignedGroups?: Array<{ name?: string }> };
  let app: { id: string; name: string } | null = null;
  if (target.appId) {
    const read = await get(`/api/v1/apps/${encodeURIComponent(target.appId)}`);
    if (read.ok) {
      const body = (await read.json()) as { attributes?: { id?: string; name?: string } };
      app = { id: body.attributes?.id ?? target.appId, name: body.attributes?.name ?? '' };
    } else if (read.status === 403 || read.status === 404) {
      await read.body?.cancel();
    } else {
      await read.body?.cancel();
      throw new Error(`GET /api/v1/apps/{appId} with the impersonation token answered ${read.status}`);
    }
  }
  return {
    ok: true,
    userId: me.id ?? '',
    subject: me.subject ?? '',
    groups: (me.assignedGroups ?? []).map((group) => group.name ?? '').filter(Boolean),
    app,
  };
}
