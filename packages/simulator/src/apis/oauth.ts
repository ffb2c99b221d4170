/**
 * POST /oauth/token: the client_credentials grant (regional clients on the registration host and their
 * region's tenants, tenant clients on their tenant) and the user-impersonation grant (oauth.json
 * `oauth-user-impersonation-request`). Clients authenticate with client_secret_post (id and secret in
 * the JSON or form body) or client_secret_basic (`Authorization: Basic`, RFC 6749 §2.3.1, which
 * servers must support), never both at once (§2.3).
 */
import { qlikError, SimHttpError } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { OAuthClientRecord } from '../state/sim-state.js';
import type { TenantState } from '../state/tenant.js';
import type { UserRecord } from '../state/records.js';
import { CONSOLE_HOST, regionOfRegistrationHost } from '../state/regions.js';
import { json } from './util.js';

const CLIENT_CREDENTIALS = 'client_credentials';
const IMPERSONATION = 'urn:qlik:oauth:user-impersonation';

const invalidClient = (): SimHttpError =>
  new SimHttpError(401, 'OAUTH-1', 'invalid_client', 'Client authentication failed.');
const invalidRequest = (detail: string): SimHttpError => new SimHttpError(400, 'OAUTH-3', 'invalid_request', detail);

/** The `Authorization: Basic` credentials: base64 of form-encoded `id:secret` (RFC 6749 §2.3.1). */
function basicCredentials(req: SimRequest): { clientId: string; clientSecret: string } | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

const hasBasic = (req: SimRequest): boolean =>
  typeof req.headers.authorization === 'string' && /^Basic\s/i.test(req.headers.authorization);

/** The authenticated client; throws the OAuth error to answer. */
function authenticateClient(req: SimRequest, ctx: SimContext, body: Record<string, unknown>): OAuthClientRecord {
  const inBody = body.client_secret !== undefined;
  if (hasBasic(req) && inBody) throw invalidRequest('Use one client authentication method, not two.');
  const basic = hasBasic(req) ? basicCredentials(req) : undefined;
  if (hasBasic(req) && !basic) throw invalidClient();
  const clientId = basic?.clientId ?? body.client_id;
  const clientSecret = basic?.clientSecret ?? body.client_secret;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret)
    throw invalidRequest('client_id and client_secret are required.');
  if (basic && body.client_id !== undefined && body.client_id !== basic.clientId) throw invalidClient();
  const client = ctx.sim.oauthClients.get(clientId);
  if (!client || !ctx.sim.clientSecretMatches(clientId, clientSecret)) throw invalidClient();
  return client;
}

function grantedScopes(client: OAuthClientRecord, body: Record<string, unknown>): string[] {
  const requested =
    typeof body.scope === 'string' && body.scope.trim() ? body.scope.trim().split(/\s+/) : client.scopes;
  const notAllowed = requested.filter((s) => !client.scopes.includes(s));
  if (notAllowed.length > 0)
    throw new SimHttpError(
      400,
      'OAUTH-4',
      'invalid_scope',
      `The client is not allowed the scope(s): ${notAllowed.join(' ')}.`,
    );
  return requested;
}

/** `user_lookup` as JSON, a JSON string (form bodies) or `user_lookup[field]`/`user_lookup[value]` form keys. */
function userLookup(body: Record<string, unknown>): { field: string; value: string } | undefined {
  let raw: unknown = body.user_lookup;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (raw === undefined) raw = { field: body['user_lookup[field]'], value: body['user_lookup[value]'] };
  const { field, value } = (raw ?? {}) as { field?: unknown; value?: unknown };
  if ((field !== 'subject' && field !== 'userId') || typeof value !== 'string' || !value) return undefined;
  return { field, value };
}

function tokenResponse(token: string, expiresAt: number, scopes: string[]): SimResponse {
  return json(200, {
    access_token: token,
    token_type: 'bearer',
    expires_at: new Date(expiresAt).toISOString(),
    scope: scopes.join(' '),
  });
}

function impersonatedUser(tenant: TenantState, body: Record<string, unknown>): UserRecord {
  const lookup = userLookup(body);
  if (!lookup) throw invalidRequest('user_lookup needs field "subject" or "userId" and a value.');
  const user = tenant.findUserBy(
    (u) => u.status !== 'deleted' && (lookup.field === 'userId' ? u.id === lookup.value : u.subject === lookup.value),
  );
  // Unverified: the error Qlik gives for a user that does not exist (registry: auth-impersonation-unknown-user).
  if (!user) throw new SimHttpError(400, 'OAUTH-6', 'invalid_grant', `No user with ${lookup.field} "${lookup.value}".`);
  // oauth.json: 403 "Forbidden because user is disabled".
  if (user.status === 'disabled') throw new SimHttpError(403, 'OAUTH-5', 'access_denied', 'The user is disabled.');
  return user;
}

function token(req: SimRequest, ctx: SimContext): SimResponse {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const grant = body.grant_type;
  if (grant !== CLIENT_CREDENTIALS && grant !== IMPERSONATION) {
    return qlikError(
      400,
      'OAUTH-2',
      'unsupported_grant_type',
      `Only the ${CLIENT_CREDENTIALS} and ${IMPERSONATION} grants are simulated.`,
    );
  }
  const client = authenticateClient(req, ctx, body);
  if (!(client.allowedGrantTypes ?? [CLIENT_CREDENTIALS]).includes(grant))
    return qlikError(400, 'OAUTH-7', 'unauthorized_client', `The client may not use the ${grant} grant.`);
  const scopes = grantedScopes(client, body);

  // An organization-level client gets tokens only from the console, and the console serves no other client.
  // (qlik.dev's org-rest get-started example shows token_type "Bearer"; oauth.json allows only "bearer".)
  if (req.host.toLowerCase() === CONSOLE_HOST || client.organization) {
    if (req.host.toLowerCase() !== CONSOLE_HOST || !client.organization) throw invalidClient();
    if (grant === IMPERSONATION) throw invalidRequest('Users are impersonated on a tenant host.');
    const issued = ctx.sim.issueToken({
      kind: 'organization',
      clientId: client.clientId,
      userId: client.clientId,
      region: '',
      scopes,
    });
    return tokenResponse(issued.token, issued.principal.expiresAt, scopes);
  }
  const registrationRegion = ctx.sim.isRegistrationHost(req.host) ? regionOfRegistrationHost(req.host) : undefined;
  if (registrationRegion !== undefined) {
    if (client.region !== registrationRegion) throw invalidClient();
    if (grant === IMPERSONATION) throw invalidRequest('Users are impersonated on a tenant host.');
    const issued = ctx.sim.issueToken({
      kind: 'registration',
      clientId: client.clientId,
      userId: client.clientId,
      region: registrationRegion,
      scopes,
    });
    return tokenResponse(issued.token, issued.principal.expiresAt, scopes);
  }
  const tenant = ctx.tenant;
  if (!tenant) return qlikError(404, 'HTTP-404', 'Not found', `No tenant is served at ${req.host}.`);
  const allowed = client.tenantId !== undefined ? client.tenantId === tenant.id : client.region === tenant.region;
  if (!allowed) throw invalidClient();
  if (tenant.status !== 'active') return qlikError(403, 'OAUTH-5', 'access_denied', 'The tenant is not active.');
  const user = grant === IMPERSONATION ? impersonatedUser(tenant, body) : ctx.sim.botUser(tenant, client);
  const issued = ctx.sim.issueToken({
    kind: 'user',
    clientId: client.clientId,
    userId: user.id,
    tenantId: tenant.id,
    region: tenant.region,
    scopes,
    ...(grant === IMPERSONATION ? { impersonated: true } : {}),
  });
  return tokenResponse(issued.token, issued.principal.expiresAt, scopes);
}

export const oauthRoutes: Route[] = [
  {
    api: 'oauth',
    method: 'POST',
    path: '/oauth/token',
    auth: 'none',
    // client_secret_basic (a body without the secret) is the registry entry oauth-token-client-secret-basic.
    handler: token,
  },
];
