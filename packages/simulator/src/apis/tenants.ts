import { qlikError, SimHttpError } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import { REGION_DATACENTERS } from '../state/regions.js';
import type { TenantState } from '../state/tenant.js';
import { json, noContent, patchBody } from './util.js';

const DAY_MS = 24 * 3600_000;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function tenantView(req: SimRequest, t: TenantState): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    hostnames: [...t.hostnames],
    status: t.status,
    region: t.region,
    datacenter: t.datacenter,
    created: t.created,
    lastUpdated: t.lastUpdated,
    statusLastUpdatedAt: t.statusLastUpdatedAt,
    createdByUser: t.createdByUser,
    enableAnalyticCreation: t.enableAnalyticCreation,
    enableAppOpeningFeedback: t.enableAppOpeningFeedback,
    autoAssignCreateSharedSpacesRoleToProfessionals: t.autoAssignCreateSharedSpacesRoleToProfessionals,
    autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals:
      t.autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals,
    autoAssignDataServicesContributorRoleToProfessionals: t.autoAssignDataServicesContributorRoleToProfessionals,
    links: { self: { href: `https://${req.host}/api/v1/tenants/${t.id}` } },
  };
}

const tenantNotFound = (): SimHttpError => new SimHttpError(404, 'TENANTS-4', 'Tenant not found');

/** The tenant a caller may see: its own on a tenant host, any of the region on the registration host. */
function visibleTenant(req: SimRequest, ctx: SimContext): TenantState {
  const target = ctx.sim.tenantById(req.params.tenantId ?? '');
  if (!target) throw tenantNotFound();
  if (ctx.tenant) {
    if (ctx.tenant.id !== target.id) throw tenantNotFound();
  } else if (target.region !== ctx.region) throw tenantNotFound();
  return target;
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const body = (req.body ?? {}) as { licenseKey?: unknown; datacenter?: unknown };
  if (typeof body.licenseKey !== 'string' || body.licenseKey.length === 0)
    return qlikError(400, 'TENANTS-21', 'Missing licenseKey property');
  const regionDatacenter = REGION_DATACENTERS[ctx.region];
  if (body.datacenter !== undefined && body.datacenter !== regionDatacenter) {
    return qlikError(
      400,
      'TENANTS-25',
      'Invalid datacenter',
      `The registration host of region "${ctx.region}" creates tenants in ${regionDatacenter}.`,
    );
  }
  const license = ctx.sim.verifyLicenseKey(body.licenseKey);
  if (!license) return qlikError(403, 'TENANTS-23', 'Invalid license error');
  const tenant = ctx.sim.createTenant({
    region: ctx.region,
    license,
    createdByUser: ctx.principal?.clientId ?? 'unknown',
  });
  return json(201, tenantView(req, tenant));
}

function patch(req: SimRequest, ctx: SimContext): SimResponse {
  const tenant = visibleTenant(req, ctx);
  const ops = patchBody(req);
  const invalid = (pointer: string, detail: string): SimResponse => ({
    status: 400,
    body: { errors: [{ code: 'TENANTS-10', title: 'Invalid PATCH request', source: { pointer }, meta: { detail } }] },
  });
  for (const op of ops) {
    if (op.op !== 'replace') return invalid(op.path, 'Only "replace" is supported.');
    if (op.path === '/name') {
      if (typeof op.value !== 'string' || !HOST_LABEL.test(op.value))
        return invalid(op.path, 'The name must be a lowercase DNS label.');
    } else if (op.path === '/hostnames/1') {
      const v = op.value;
      if (typeof v !== 'string' || !new RegExp(`^[a-z0-9-]+\\.${tenant.region}\\.qlikcloud\\.com$`).test(v))
        return invalid(op.path, `The alias must be <name>.${tenant.region}.qlikcloud.com.`);
      const owner = ctx.sim.tenantByHost(v);
      if ((owner && owner.id !== tenant.id) || ctx.sim.isRegistrationHost(v))
        return invalid(op.path, 'The hostname is already in use.');
    } else if (typeof op.value !== 'boolean') return invalid(op.path, 'The value must be a boolean.');
  }
  for (const op of ops) {
    if (op.path === '/name') tenant.name = op.value as string;
    else if (op.path === '/hostnames/1') tenant.hostnames = [tenant.hostname, op.value as string];
    else {
      const key = op.path.slice(1) as 'enableAnalyticCreation';
      tenant[key] = op.value as boolean;
    }
  }
  tenant.lastUpdated = ctx.sim.nowIso();
  return noContent();
}

function confirmHostname(req: SimRequest, tenant: TenantState): void {
  const header = req.headers['qlik-confirm-hostname'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !tenant.hostnames.includes(value.toLowerCase())) {
    throw new SimHttpError(
      412,
      'TENANTS-11',
      'Precondition failed',
      'The qlik-confirm-hostname header must name a hostname of the tenant.',
    );
  }
}

function deactivate(req: SimRequest, ctx: SimContext): SimResponse {
  const tenant = visibleTenant(req, ctx);
  confirmHostname(req, tenant);
  const body = (req.body ?? {}) as { purgeAfterDays?: unknown };
  const days = body.purgeAfterDays === undefined ? 30 : body.purgeAfterDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 90)
    return qlikError(400, 'TENANTS-12', 'Invalid purgeAfterDays', 'purgeAfterDays must be an integer from 1 to 90.');
  const now = ctx.clock.now();
  tenant.status = 'disabled';
  tenant.statusLastUpdatedAt = new Date(now).toISOString();
  tenant.estimatedPurgeDate = new Date(now + days * DAY_MS).toISOString();
  return json(200, { id: tenant.id, status: 'disabled', estimatedPurgeDate: tenant.estimatedPurgeDate });
}

function reactivate(req: SimRequest, ctx: SimContext): SimResponse {
  const tenant = visibleTenant(req, ctx);
  confirmHostname(req, tenant);
  tenant.status = 'active';
  tenant.statusLastUpdatedAt = ctx.sim.nowIso();
  tenant.estimatedPurgeDate = undefined;
  return json(200, {});
}

function me(_req: SimRequest, ctx: SimContext): SimResponse {
  const id = ctx.tenant?.id ?? '';
  return {
    status: 302,
    headers: { location: `/api/v1/tenants/${id}`, 'content-type': 'text/html' },
    body: `<a href="/api/v1/tenants/${id}">Found</a>.`,
  };
}

export const tenantRoutes: Route[] = [
  { api: 'tenants', method: 'POST', path: '/api/v1/tenants', auth: 'registration', handler: create },
  { api: 'tenants', method: 'GET', path: '/api/v1/tenants/me', handler: me },
  {
    api: 'tenants',
    method: 'GET',
    path: '/api/v1/tenants/{tenantId}',
    auth: 'either',
    handler: (req, ctx) => json(200, tenantView(req, visibleTenant(req, ctx))),
  },
  { api: 'tenants', method: 'PATCH', path: '/api/v1/tenants/{tenantId}', auth: 'either', handler: patch },
  {
    api: 'tenants',
    method: 'POST',
    path: '/api/v1/tenants/{tenantId}/actions/deactivate',
    auth: 'registration',
    handler: deactivate,
  },
  {
    api: 'tenants',
    method: 'POST',
    path: '/api/v1/tenants/{tenantId}/actions/reactivate',
    auth: 'registration',
    handler: reactivate,
  },
];
