/**
 * The api-keys API (api-keys.json) for user keys: a user with the Developer role creates keys for
 * themselves ("User must be assigned the `Developer` role"); the token is a JWT that acts as that user
 * (with the user's roles, not an OAuth client's scopes) until the key expires, at most the tenant's
 * `max_api_key_expiry` and `max_keys_per_user` active keys. Listing or revoking other users' keys is
 * for TenantAdmins; an owner's DELETE removes the key, a TenantAdmin's revokes it. SCIM keys
 * (`externalClient`) are not simulated: the spec's 201 body allows only `subType: user`.
 */
import { authorize, may } from '../auth/authorize.js';
import { callerOf } from '../auth/principal.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { idCursorPage } from '../http/id-cursor.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { TenantState } from '../state/tenant.js';
import { json, noContent, objectBody, patchBody, tenantOf } from './util.js';

interface ApiKeyRecord {
  id: string;
  tenantId: string;
  description: string;
  sub: string;
  createdByUser: string;
  /** Simulated epoch ms. */
  created: number;
  lastUpdated: number;
  expiry: number;
  revoked: boolean;
  /** Kept so that a revoke or delete ends the token at once; never answered after the create. */
  token: string;
}

const keysOf = (tenant: TenantState): Map<string, ApiKeyRecord> =>
  tenant.ext('api-keys', () => new Map<string, ApiKeyRecord>());

const SECOND_MS = 1000;
const DAY_MS = 24 * 3600 * SECOND_MS;

/** An ISO 8601 duration (`P7D`, `PT24H`, `P1Y2M`) in ms; a month counts 30 days, a year 365. */
export function isoDurationMs(value: string): number | undefined {
  const m = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(?:T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.exec(value);
  if (!m) return undefined;
  const unitsMs = [365 * DAY_MS, 30 * DAY_MS, 7 * DAY_MS, DAY_MS, 3600 * SECOND_MS, 60 * SECOND_MS, SECOND_MS];
  return unitsMs.reduce((sum, unit, i) => sum + Number.parseInt(m[i + 1] ?? '0', 10) * unit, 0);
}

function status(key: ApiKeyRecord, now: number): 'active' | 'expired' | 'revoked' {
  if (key.revoked) return 'revoked';
  return now >= key.expiry ? 'expired' : 'active';
}

function render(key: ApiKeyRecord, now: number): Record<string, unknown> {
  return {
    id: key.id,
    tenantId: key.tenantId,
    description: key.description,
    sub: key.sub,
    subType: 'user',
    status: status(key, now),
    expiry: new Date(key.expiry).toISOString(),
    created: new Date(key.created).toISOString(),
    lastUpdated: new Date(key.lastUpdated).toISOString(),
    createdByUser: key.createdByUser,
  };
}

function createKey(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const caller = callerOf(ctx);
  const body = objectBody(req);
  if (typeof body.description !== 'string') throw badRequest('description is required.');
  if (body.subType !== undefined && body.subType !== 'user')
    throw badRequest('Only user API keys are simulated (subType "user").');
  const sub = body.sub === undefined ? caller.userId : body.sub;
  if (sub !== caller.userId) throw forbidden('An API key can only be created for the requesting user.');
  const config = tenant.apiKeysConfig;
  if (!config.api_keys_enabled) throw forbidden('API keys are disabled in this tenant.');
  authorize(caller, 'api-key.create');
  const now = ctx.sim.clock.now();
  const active = [...keysOf(tenant).values()].filter((k) => k.sub === sub && status(k, now) === 'active');
  if (active.length >= config.max_keys_per_user)
    throw badRequest(`The user already has ${active.length} active API keys (max_keys_per_user).`);
  const maxMs = isoDurationMs(config.max_api_key_expiry) ?? DAY_MS;
  let lifetime = maxMs;
  if (body.expiry !== undefined) {
    const asked = typeof body.expiry === 'string' ? isoDurationMs(body.expiry) : undefined;
    if (asked === undefined || asked <= 0) throw badRequest('expiry takes an ISO 8601 duration such as "P7D".');
    if (asked > maxMs) throw badRequest(`expiry is longer than the tenant's maximum (${config.max_api_key_expiry}).`);
    lifetime = asked;
  }
  const id = ctx.sim.ids.hex();
  const { token } = ctx.sim.issueToken(
    {
      kind: 'user',
      clientId: `api-key:${id}`,
      userId: sub,
      tenantId: tenant.id,
      region: tenant.region,
      scopes: [],
      apiKey: true,
    },
    lifetime,
  );
  const key: ApiKeyRecord = {
    id,
    tenantId: tenant.id,
    description: body.description,
    sub,
    createdByUser: caller.userId,
    created: now,
    lastUpdated: now,
    expiry: now + lifetime,
    revoked: false,
    token,
  };
  keysOf(tenant).set(id, key);
  return json(201, { ...render(key, now), token });
}

/** The key, if the caller may see it: their own, or any for a TenantAdmin. */
function visibleKey(req: SimRequest, ctx: SimContext): ApiKeyRecord {
  const caller = callerOf(ctx);
  const key = keysOf(tenantOf(ctx).tenant).get(req.params.id ?? '');
  if (!key) throw notFound(`API key ${req.params.id}`);
  if (key.sub !== caller.userId) authorize(caller, 'api-key.others');
  return key;
}

function listKeys(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = callerOf(ctx);
  const now = ctx.sim.clock.now();
  const q = req.query;
  const limit = Number(q.get('limit') ?? 20);
  const sortParam = q.get('sort') ?? '-created';
  const field = sortParam.replace(/^[+-]/, '') as 'createdByUser' | 'sub' | 'status' | 'description' | 'created';
  const value = (k: ApiKeyRecord): string | number => (field === 'status' ? status(k, now) : k[field]);
  const all = [...keysOf(tenantOf(ctx).tenant).values()]
    .filter((k) => k.sub === caller.userId || may(caller, 'api-key.others'))
    .filter((k) => !q.has('sub') || k.sub === q.get('sub'))
    .filter((k) => !q.has('createdByUser') || k.createdByUser === q.get('createdByUser'))
    .filter((k) => !q.has('status') || status(k, now) === q.get('status'))
    .sort((a, b) => {
      const order = value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0;
      return sortParam.startsWith('-') ? -order : order;
    });
  const { items: page, links } = idCursorPage(all, req.url, limit);
  return json(200, {
    data: page.map((k) => render(k, now)),
    links,
  });
}

function patchKey(req: SimRequest, ctx: SimContext): SimResponse {
  const key = visibleKey(req, ctx);
  for (const op of patchBody(req)) {
    if (op.op !== 'replace' || op.path !== '/description' || typeof op.value !== 'string')
      throw badRequest('Only "replace /description" with a string is supported.');
    key.description = op.value;
  }
  key.lastUpdated = ctx.sim.clock.now();
  return noContent();
}

function deleteKey(req: SimRequest, ctx: SimContext): SimResponse {
  const key = visibleKey(req, ctx);
  ctx.sim.revokeToken(key.token);
  // The owner deletes the key; a TenantAdmin revoking another user's key keeps it, revoked.
  if (key.sub === callerOf(ctx).userId) keysOf(tenantOf(ctx).tenant).delete(key.id);
  else key.revoked = true;
  return noContent();
}

export const apiKeyRoutes: Route[] = [
  { api: 'api-keys', method: 'GET', path: '/api/v1/api-keys', handler: listKeys },
  { api: 'api-keys', method: 'POST', path: '/api/v1/api-keys', handler: createKey },
  {
    api: 'api-keys',
    method: 'GET',
    path: '/api/v1/api-keys/{id}',
    handler: (req, ctx) => json(200, render(visibleKey(req, ctx), ctx.sim.clock.now())),
  },
  { api: 'api-keys', method: 'PATCH', path: '/api/v1/api-keys/{id}', handler: patchKey },
  { api: 'api-keys', method: 'DELETE', path: '/api/v1/api-keys/{id}', handler: deleteKey },
];
