import { qlikError } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import { regionOfRegistrationHost } from '../state/regions.js';
import { json } from './util.js';

const invalidClient = (): SimResponse => qlikError(401, 'OAUTH-1', 'invalid_client', 'Client authentication failed.');

/** POST /oauth/token: client_credentials for regional clients (registration host + region's tenants) and tenant clients. */
function token(req: SimRequest, ctx: SimContext): SimResponse {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  if (body.grant_type !== 'client_credentials') {
    return qlikError(400, 'OAUTH-2', 'unsupported_grant_type', 'Only the client_credentials grant is simulated.');
  }
  const clientId = body.client_id;
  const clientSecret = body.client_secret;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
    return qlikError(400, 'OAUTH-3', 'invalid_request', 'client_id and client_secret are required.');
  }
  const client = ctx.sim.oauthClients.get(clientId);
  if (!client || !ctx.sim.clientSecretMatches(clientId, clientSecret)) return invalidClient();

  const requested =
    typeof body.scope === 'string' && body.scope.trim() ? body.scope.trim().split(/\s+/) : client.scopes;
  const notAllowed = requested.filter((s) => !client.scopes.includes(s));
  if (notAllowed.length > 0)
    return qlikError(
      400,
      'OAUTH-4',
      'invalid_scope',
      `The client is not allowed the scope(s): ${notAllowed.join(' ')}.`,
    );

  const registrationRegion = ctx.sim.isRegistrationHost(req.host) ? regionOfRegistrationHost(req.host) : undefined;
  if (registrationRegion !== undefined) {
    if (client.region !== registrationRegion) return invalidClient();
    const { token: accessToken, principal } = ctx.sim.issueToken({
      kind: 'registration',
      clientId,
      userId: clientId,
      region: registrationRegion,
      scopes: requested,
    });
    return json(200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_at: new Date(principal.expiresAt).toISOString(),
      scope: requested.join(' '),
    });
  }
  const tenant = ctx.tenant;
  if (!tenant) return qlikError(404, 'HTTP-404', 'Not found', `No tenant is served at ${req.host}.`);
  const allowed = client.tenantId !== undefined ? client.tenantId === tenant.id : client.region === tenant.region;
  if (!allowed) return invalidClient();
  if (tenant.status !== 'active') return qlikError(403, 'OAUTH-5', 'access_denied', 'The tenant is not active.');
  const bot = ctx.sim.botUser(tenant, client);
  const { token: accessToken, principal } = ctx.sim.issueToken({
    kind: 'user',
    clientId,
    userId: bot.id,
    tenantId: tenant.id,
    region: tenant.region,
    scopes: requested,
  });
  return json(200, {
    access_token: accessToken,
    token_type: 'bearer',
    expires_at: new Date(principal.expiresAt).toISOString(),
    scope: requested.join(' '),
  });
}

export const oauthRoutes: Route[] = [
  { api: 'oauth', method: 'POST', path: '/oauth/token', auth: 'none', handler: token },
];
