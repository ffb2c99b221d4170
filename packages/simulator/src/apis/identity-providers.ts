import { badRequest, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { IdentityProviderRecord } from '../state/records.js';
import type { TenantState } from '../state/tenant.js';
import { publicKeyOfPem } from './pem.js';
import { json, listPage, noContent, objectBody, patchBody, tenantOf } from './util.js';

export const MULTI_CLOUD_PROTOCOL = 'qsefw-local-bearer-token';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function idpView(idp: IdentityProviderRecord): Record<string, unknown> {
  return { ...idp, meta: {} };
}

function checkTenantIds(tenant: TenantState, value: unknown): string[] {
  if (value === undefined) return [tenant.id];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw badRequest('tenantIds must be an array of tenant ids.');
  if (value.length !== 1 || value[0] !== tenant.id)
    throw badRequest('tenantIds must contain exactly the id of this tenant.');
  return [tenant.id];
}

/** The JWT IdP (CreateJWTAuthPayload): issuer, exactly one static key with a parseable public PEM. */
function jwtOptions(body: Record<string, unknown>): Record<string, unknown> {
  if (body.provider !== 'external') throw badRequest('A jwtAuth identity provider needs provider "external".');
  const options = body.options as { issuer?: unknown; staticKeys?: unknown } | undefined;
  if (typeof options?.issuer !== 'string' || options.issuer.length === 0)
    throw badRequest('options.issuer is required.');
  const keys = options.staticKeys;
  if (!Array.isArray(keys) || keys.length !== 1) throw badRequest('options.staticKeys must hold exactly one key.');
  const key = keys[0] as { kid?: unknown; pem?: unknown };
  if (typeof key.kid !== 'string' || key.kid.length === 0) throw badRequest('options.staticKeys[0].kid is required.');
  if (typeof key.pem !== 'string') throw badRequest('options.staticKeys[0].pem is required.');
  if (!publicKeyOfPem(key.pem))
    throw badRequest('options.staticKeys[0].pem is not a PEM-encoded public key or certificate.');
  return { issuer: options.issuer, staticKeys: [{ kid: key.kid, pem: key.pem }] };
}

/** The multi-cloud IdP (not in the spec; beyond-spec identity-providers-multi-cloud): QSEoW's local bearer token config. */
function multiCloudOptions(body: Record<string, unknown>): Record<string, unknown> {
  if (body.provider !== 'qlik') throw badRequest(`A ${MULTI_CLOUD_PROTOCOL} identity provider needs provider "qlik".`);
  if (body.interactive !== undefined && body.interactive !== false)
    throw badRequest(`A ${MULTI_CLOUD_PROTOCOL} identity provider cannot be interactive.`);
  const encoded = body.base64Encoded;
  if (typeof encoded !== 'string' || encoded.length === 0)
    throw badRequest('base64Encoded (the QSEoW deployment token configuration) is required.');
  const compact = encoded.replace(/\s+/g, '');
  if (!BASE64.test(compact) || Buffer.from(compact, 'base64').length === 0)
    throw badRequest('base64Encoded is not base64 text.');
  return { base64Encoded: encoded };
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const body = objectBody(req);
  const tenantIds = checkTenantIds(tenant, body.tenantIds);
  let options: Record<string, unknown>;
  let interactive: boolean;
  if (body.protocol === 'jwtAuth') {
    options = jwtOptions(body);
    interactive = false;
    const issuer = options.issuer;
    for (const idp of tenant.identityProviders.values()) {
      if (idp.protocol === 'jwtAuth' && idp.options?.issuer === issuer)
        throw badRequest(`A jwtAuth identity provider with issuer "${String(issuer)}" already exists.`);
    }
  } else if (body.protocol === MULTI_CLOUD_PROTOCOL) {
    options = multiCloudOptions(body);
    interactive = false;
  } else {
    throw badRequest(
      `The simulator supports the protocols jwtAuth and ${MULTI_CLOUD_PROTOCOL}; got ${JSON.stringify(body.protocol)}.`,
    );
  }
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 128))
    throw badRequest('description must be a string of at most 128 characters.');
  const tolerance = body.clockToleranceSec ?? 5;
  if (typeof tolerance !== 'number' || !Number.isInteger(tolerance) || tolerance < 0 || tolerance > 7200)
    throw badRequest('clockToleranceSec must be an integer from 0 to 7200.');
  const now = ctx.sim.nowIso();
  const idp: IdentityProviderRecord = {
    id: ctx.sim.ids.hex(),
    tenantIds,
    protocol: body.protocol,
    provider: body.provider as string,
    interactive,
    active: true,
    options,
    clockToleranceSec: tolerance,
    created: now,
    lastUpdated: now,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
  };
  tenant.identityProviders.set(idp.id, idp);
  return json(201, idpView(idp));
}

function getIdp(tenant: TenantState, id: string): IdentityProviderRecord {
  const idp = tenant.identityProviders.get(id);
  if (!idp) throw notFound(`Identity provider ${id}`);
  return idp;
}

function patch(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const idp = getIdp(tenant, req.params.id ?? '');
  const ops = patchBody(req);
  for (const op of ops) {
    if (op.op !== 'replace') throw badRequest(`Unsupported op "${op.op}".`);
    if (op.path === '/description') {
      if (typeof op.value !== 'string' || op.value.length > 128)
        throw badRequest('description must be a string of at most 128 characters.');
    } else if (op.path === '/active') {
      if (typeof op.value !== 'boolean') throw badRequest('active takes a boolean.');
    } else throw badRequest(`Unsupported path "${op.path}" for a ${idp.protocol} identity provider.`);
  }
  for (const op of ops) {
    if (op.path === '/description') idp.description = op.value as string;
    else idp.active = op.value as boolean;
  }
  idp.lastUpdated = ctx.sim.nowIso();
  return noContent();
}

export const identityProviderRoutes: Route[] = [
  {
    api: 'identity-providers',
    method: 'GET',
    path: '/api/v1/identity-providers',
    handler: (req, ctx) => {
      const active = req.query.get('active');
      const all = [...tenantOf(ctx).tenant.identityProviders.values()].filter(
        (i) => active === null || String(i.active) === active,
      );
      const page = listPage(req, all);
      return json(200, { data: page.data.map(idpView), links: page.links });
    },
  },
  {
    api: 'identity-providers',
    method: 'POST',
    path: '/api/v1/identity-providers',
    handler: create,
  },
  {
    api: 'identity-providers',
    method: 'GET',
    path: '/api/v1/identity-providers/{id}',
    handler: (req, ctx) => json(200, idpView(getIdp(tenantOf(ctx).tenant, req.params.id ?? ''))),
  },
  { api: 'identity-providers', method: 'PATCH', path: '/api/v1/identity-providers/{id}', handler: patch },
  {
    api: 'identity-providers',
    method: 'DELETE',
    path: '/api/v1/identity-providers/{id}',
    handler: (req, ctx) => {
      const { tenant } = tenantOf(ctx);
      tenant.identityProviders.delete(getIdp(tenant, req.params.id ?? '').id);
      return noContent();
    },
  },
];
