/**
 * The oauth-clients API (oauth-clients.json): a tenant's OAuth clients, created in-tenant by a TenantAdmin
 * ("Requires TenantAdmin role when created in-tenant"). The secret is answered once, at create (and when a
 * new one is added); reads show only hints. A client becomes able to impersonate users when its
 * `allowedGrantTypes` include `urn:qlik:oauth:user-impersonation`, which the spec allows only for `appType`
 * `web` (qlik.dev authenticate/oauth/oauth-clients-api: a `web` client with `user_default` and both grants).
 * The token endpoint (oauth.ts) reads the same records, so a client created here gets tokens at once.
 */
import { randomBytes } from 'node:crypto';
import { may } from '../auth/authorize.js';
import { callerOf } from '../auth/principal.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { OAuthClientApiFields, OAuthClientRecord } from '../state/sim-state.js';
import { json, listPage, noContent, objectBody, patchBody, tenantOf } from './util.js';

const APP_TYPES = ['web', 'native', 'spa', 'anonymous-embed'] as const;
const GRANT_TYPES = ['client_credentials', 'urn:qlik:oauth:user-impersonation'];
const MAX_SECRETS = 5;
const MAX_URIS = 5;

type ApiClient = OAuthClientRecord & { api: OAuthClientApiFields; tenantId: string };

const newSecret = (): string => randomBytes(32).toString('hex');

function stringList(value: unknown, field: string, max?: number): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 256))
    throw badRequest(`${field} must be an array of non-empty strings of at most 256 characters.`);
  const list = [...new Set(value as string[])];
  if (max !== undefined && list.length > max) throw badRequest(`${field} may hold at most ${max} entries.`);
  return list;
}

function urlList(value: unknown, field: string): string[] {
  const list = stringList(value, field, MAX_URIS);
  for (const entry of list) {
    try {
      new URL(entry);
    } catch {
      throw badRequest(`${field}: "${entry}" is not an absolute URL.`);
    }
  }
  return list;
}

/** The rules the spec states between fields, checked after a create and after every patch. */
function checkCombination(client: ApiClient): void {
  const grants = client.allowedGrantTypes ?? [];
  if (grants.some((g) => !GRANT_TYPES.includes(g)))
    throw badRequest(`allowedGrantTypes may hold only ${GRANT_TYPES.join(', ')}.`);
  if (grants.length > 0 && client.api.appType !== 'web')
    throw badRequest('allowedGrantTypes is only for use with appType "web".');
  if (client.api.allowedOrigins.length > 0 && client.api.appType !== 'spa')
    throw badRequest('allowedOrigins is only available with appType "spa".');
}

function clientsOf(ctx: SimContext): ApiClient[] {
  const { tenant } = tenantOf(ctx);
  return [...ctx.sim.oauthClients.values()].filter(
    (c): c is ApiClient => c.api !== undefined && c.tenantId === tenant.id,
  );
}

function clientOf(req: SimRequest, ctx: SimContext): ApiClient {
  const id = req.params.id ?? '';
  const client = clientsOf(ctx).find((c) => c.clientId === id);
  if (!client) throw notFound(`OAuth client ${id}`);
  return client;
}

/** The client as the spec's read schemas show it: the admin view adds secrets' hints, URIs and origins. */
function view(ctx: SimContext, client: ApiClient, admin: boolean): Record<string, unknown> {
  const { api } = client;
  const base: Record<string, unknown> = {
    clientId: client.clientId,
    clientName: client.name,
    appType: api.appType,
    ownerId: api.ownerId,
    createdAt: api.createdAt,
    updatedAt: api.updatedAt,
    createdByType: 'user',
    allowedScopes: client.scopes,
    allowedGrantTypes: client.allowedGrantTypes ?? [],
    allowedAuthMethods: ['client_secret'],
    connectionConfig: { consentMethod: api.consentMethod },
    ...(api.description !== undefined ? { description: api.description } : {}),
  };
  if (!admin) return base;
  return {
    ...base,
    redirectUris: api.redirectUris,
    allowedOrigins: api.allowedOrigins,
    clientSecrets: ctx.sim.clientSecrets(client.clientId),
  };
}

const isAdmin = (ctx: SimContext): boolean => may(callerOf(ctx), 'tenant.admin');

function list(req: SimRequest, ctx: SimContext): SimResponse {
  const admin = isAdmin(ctx);
  const page = listPage(req, clientsOf(ctx), {
    toFilterable: (c) => ({
      clientId: c.clientId,
      clientName: c.name,
      appType: c.api.appType,
      tenantId: c.tenantId,
      createdByType: 'user',
    }),
  });
  return json(200, { data: page.data.map((c) => view(ctx, c, admin)), links: page.links });
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant, principal } = tenantOf(ctx);
  const body = objectBody(req);
  const appType = body.appType;
  if (typeof appType !== 'string' || !(APP_TYPES as readonly string[]).includes(appType))
    throw badRequest(`appType must be one of ${APP_TYPES.join(', ')}.`);
  const name = body.clientName;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 512)
    throw badRequest('clientName is required (at most 512 characters).');
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 4096))
    throw badRequest('description must be a string of at most 4096 characters.');
  const consent = (body.connectionConfig as { consentMethod?: unknown } | undefined)?.consentMethod;
  if (consent !== undefined && consent !== 'trusted')
    throw badRequest('connectionConfig.consentMethod can only be "trusted" at create.');
  const now = ctx.sim.nowIso();
  const client: ApiClient = {
    clientId: ctx.sim.ids.hex(32),
    name,
    tenantId: tenant.id,
    region: tenant.region,
    scopes: body.allowedScopes === undefined ? [] : stringList(body.allowedScopes, 'allowedScopes'),
    allowedGrantTypes:
      body.allowedGrantTypes === undefined ? [] : stringList(body.allowedGrantTypes, 'allowedGrantTypes'),
    api: {
      appType: appType as OAuthClientApiFields['appType'],
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      redirectUris: body.redirectUris === undefined ? [] : urlList(body.redirectUris, 'redirectUris'),
      allowedOrigins: body.allowedOrigins === undefined ? [] : urlList(body.allowedOrigins, 'allowedOrigins'),
      consentMethod: consent === 'trusted' ? 'trusted' : 'required',
      ownerId: principal.userId,
      createdAt: now,
      updatedAt: now,
    },
  };
  checkCombination(client);
  const clientSecret = newSecret();
  ctx.sim.addOAuthClient({ ...client, clientSecret });
  return json(201, { ...view(ctx, client, true), clientSecret });
}

const PATCHABLE = new Set([
  '/allowedOrigins',
  '/clientName',
  '/clientUri',
  '/description',
  '/logoUri',
  '/redirectUris',
  '/allowedScopes',
  '/allowedGrantTypes',
  '/publicKeys',
  '/allowedAuthMethods',
]);

/** The value a list field gets from one add / remove / replace operation. */
function patchedList(current: string[], op: { op: string; value?: unknown }, field: string): string[] {
  const given = op.value === undefined ? [] : stringList(Array.isArray(op.value) ? op.value : [op.value], field);
  if (op.op === 'replace') return given;
  if (op.op === 'add') return [...new Set([...current, ...given])];
  return given.length === 0 ? [] : current.filter((v) => !given.includes(v));
}

function patch(req: SimRequest, ctx: SimContext): SimResponse {
  const client = clientOf(req, ctx);
  const next: ApiClient = { ...client, api: { ...client.api } };
  for (const op of patchBody(req)) {
    if (!['add', 'remove', 'replace'].includes(op.op) || !PATCHABLE.has(op.path))
      throw badRequest(`Unsupported patch ${op.op} ${op.path}.`);
    const field = op.path.slice(1);
    switch (op.path) {
      case '/clientName':
        if (op.op !== 'replace' || typeof op.value !== 'string' || op.value.trim() === '')
          throw badRequest('/clientName can only be replaced by a non-empty string.');
        next.name = op.value;
        break;
      case '/description':
        if (op.op === 'remove') delete next.api.description;
        else if (typeof op.value === 'string') next.api.description = op.value;
        else throw badRequest('/description must be a string.');
        break;
      case '/allowedScopes':
        next.scopes = patchedList(next.scopes, op, field);
        break;
      case '/allowedGrantTypes':
        next.allowedGrantTypes = patchedList(next.allowedGrantTypes ?? [], op, field);
        break;
      case '/redirectUris':
        next.api.redirectUris = urlList(patchedList(next.api.redirectUris, op, field), field);
        break;
      case '/allowedOrigins':
        next.api.allowedOrigins = urlList(patchedList(next.api.allowedOrigins, op, field), field);
        break;
      default:
        // clientUri, logoUri, publicKeys and allowedAuthMethods are accepted and not modelled.
        break;
    }
  }
  checkCombination(next);
  next.api.updatedAt = ctx.sim.nowIso();
  Object.assign(client, next);
  return noContent();
}

function remove(req: SimRequest, ctx: SimContext): SimResponse {
  const client = clientOf(req, ctx);
  if (req.headers['qlik-confirm-delete'] !== client.clientId)
    throw badRequest('The qlik-confirm-delete header must be the id of the client to delete.');
  ctx.sim.removeOAuthClient(client.clientId);
  return noContent();
}

function addSecret(req: SimRequest, ctx: SimContext): SimResponse {
  const client = clientOf(req, ctx);
  if (ctx.sim.clientSecrets(client.clientId).length >= MAX_SECRETS)
    throw conflict(`An OAuth client holds at most ${MAX_SECRETS} client secrets.`);
  const clientSecret = newSecret();
  const info = ctx.sim.addClientSecret(client.clientId, clientSecret, tenantOf(ctx).principal.userId);
  return json(201, { clientId: client.clientId, clientSecret, ...info });
}

function removeSecret(req: SimRequest, ctx: SimContext): SimResponse {
  const client = clientOf(req, ctx);
  if (!ctx.sim.removeClientSecret(client.clientId, req.params.hint ?? ''))
    throw notFound(`Client secret ${req.params.hint ?? ''}`);
  return noContent();
}

function patchConsent(req: SimRequest, ctx: SimContext): SimResponse {
  const client = clientOf(req, ctx);
  for (const op of patchBody(req)) {
    if (op.op !== 'replace' || op.path !== '/consentMethod' || (op.value !== 'required' && op.value !== 'trusted'))
      throw badRequest('Only replace /consentMethod with "required" or "trusted" is supported.');
    client.api.consentMethod = op.value;
  }
  return noContent();
}

const route = (method: string, path: string, handler: Route['handler'], access: Route['access'] = 'admin'): Route => ({
  api: 'oauth-clients',
  method,
  path,
  access,
  handler,
});

export const oauthClientRoutes: Route[] = [
  // Reads answer the admin view to a TenantAdmin and the plain one to other users (the spec's oneOf).
  route('GET', '/api/v1/oauth-clients', list, 'user'),
  route('POST', '/api/v1/oauth-clients', create),
  route(
    'GET',
    '/api/v1/oauth-clients/{id}',
    (req, ctx) => json(200, view(ctx, clientOf(req, ctx), isAdmin(ctx))),
    'user',
  ),
  route('PATCH', '/api/v1/oauth-clients/{id}', patch),
  route('DELETE', '/api/v1/oauth-clients/{id}', remove),
  route('POST', '/api/v1/oauth-clients/{id}/client-secrets', addSecret),
  route('DELETE', '/api/v1/oauth-clients/{id}/client-secrets/{hint}', removeSecret),
  route('GET', '/api/v1/oauth-clients/{id}/connection-configs/me', (req, ctx) =>
    json(200, { consentMethod: clientOf(req, ctx).api.consentMethod }),
  ),
  route('PATCH', '/api/v1/oauth-clients/{id}/connection-configs/me', patchConsent),
  route('DELETE', '/api/v1/oauth-clients/{id}/connection-configs/me', (req, ctx) => {
    clientOf(req, ctx).api.consentMethod = 'required';
    return noContent();
  }),
];
