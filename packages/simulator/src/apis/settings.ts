import { badRequest, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { TenantState } from '../state/tenant.js';
import { applyJsonPatch } from './json-patch.js';
import { json, noContent, patchBody, tenantOf } from './util.js';

const READ_ONLY_SETTINGS = ['id', 'tenantId', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'];
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** Tenant settings live in one document per tenant, created on first read. */
function tenantSettings(ctx: SimContext, tenant: TenantState): Record<string, unknown> {
  if (!tenant.tenantSettings.id) {
    const now = ctx.sim.nowIso();
    tenant.tenantSettings = {
      id: ctx.sim.ids.hex(),
      tenantId: tenant.id,
      createdBy: 'system',
      createdAt: now,
      updatedAt: now,
      releaseCadence: 'continuous',
      customizeNoAccess: { linkEnabled: false },
    };
  }
  return tenant.tenantSettings;
}

function patchTenantSettings(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant, principal } = tenantOf(ctx);
  const ops = patchBody(req);
  for (const op of ops) {
    const field = op.path.split('/')[1] ?? '';
    if (READ_ONLY_SETTINGS.includes(field)) throw badRequest(`${op.path} is read-only.`);
  }
  const next = applyJsonPatch(tenantSettings(ctx, tenant), ops);
  if (next.releaseCadence !== undefined && next.releaseCadence !== 'monthly' && next.releaseCadence !== 'continuous')
    throw badRequest('releaseCadence must be "monthly" or "continuous".');
  const cna = next.customizeNoAccess as { linkEnabled?: unknown } | undefined;
  if (cna !== undefined && typeof cna?.linkEnabled !== 'boolean')
    throw badRequest('customizeNoAccess.linkEnabled must be a boolean.');
  next.updatedAt = ctx.sim.nowIso();
  next.updatedBy = principal.userId;
  tenant.tenantSettings = next;
  return json(200, next);
}

function authSettingsView(tenant: TenantState): Record<string, unknown> {
  const s = tenant.authSettings;
  return {
    tenantId: tenant.id,
    userSessionInactivityTimeoutMinutes: s.userSessionInactivityTimeoutMinutes,
    maxUserSessionLifespanMinutes: s.maxUserSessionLifespanMinutes,
    dynamicClientRegistrationEnabled: s.dynamicClientRegistrationEnabled,
    ...(s.dynamicClientRegistrationEnabled
      ? { dcrAllowedAuthenticationMethods: s.dcrAllowedAuthenticationMethods }
      : {}),
  };
}

function patchAuthSettings(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const next = { ...tenant.authSettings };
  for (const op of patchBody(req)) {
    if (op.op !== 'replace') throw badRequest(`Unsupported op "${op.op}".`);
    const v = op.value;
    switch (op.path) {
      case '/userSessionInactivityTimeoutMinutes':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1440)
          throw badRequest('userSessionInactivityTimeoutMinutes must be an integer from 1 to 1440.');
        next.userSessionInactivityTimeoutMinutes = v;
        break;
      case '/maxUserSessionLifespanMinutes':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 60 || v % 60 !== 0 || v > 43200)
          throw badRequest('maxUserSessionLifespanMinutes must be whole hours (60 to 43200).');
        next.maxUserSessionLifespanMinutes = v;
        break;
      case '/dynamicClientRegistrationEnabled':
        if (typeof v !== 'boolean') throw badRequest('dynamicClientRegistrationEnabled takes a boolean.');
        next.dynamicClientRegistrationEnabled = v;
        break;
      case '/dcrAllowedAuthenticationMethods':
        if (!Array.isArray(v) || v.some((m) => m !== 'none' && m !== 'client_secret'))
          throw badRequest('dcrAllowedAuthenticationMethods takes ["none" | "client_secret"].');
        next.dcrAllowedAuthenticationMethods = v as string[];
        break;
      default:
        throw badRequest(`Unsupported path "${op.path}".`);
    }
  }
  if (next.maxUserSessionLifespanMinutes < next.userSessionInactivityTimeoutMinutes)
    throw badRequest('The session lifespan cannot be shorter than the inactivity timeout.');
  if (
    !next.dynamicClientRegistrationEnabled &&
    next.dcrAllowedAuthenticationMethods.length > 0 &&
    !tenant.authSettings.dynamicClientRegistrationEnabled
  ) {
    throw badRequest('dcrAllowedAuthenticationMethods is only available when dynamic client registration is enabled.');
  }
  tenant.authSettings = next;
  return json(200, authSettingsView(tenant));
}

function apiKeysTenant(req: SimRequest, ctx: SimContext): TenantState {
  const { tenant } = tenantOf(ctx);
  if (req.params.tenantId !== tenant.id) throw notFound(`Tenant ${req.params.tenantId}`);
  return tenant;
}

function patchApiKeysConfig(req: SimRequest, ctx: SimContext): SimResponse {
  const tenant = apiKeysTenant(req, ctx);
  const next = { ...tenant.apiKeysConfig };
  for (const op of patchBody(req)) {
    if (op.op !== 'replace') throw badRequest(`Unsupported op "${op.op}".`);
    const v = op.value;
    if (op.path === '/max_api_key_expiry' || op.path === '/scim_externalClient_expiry') {
      if (typeof v !== 'string' || !ISO_DURATION.test(v))
        throw badRequest(`${op.path} takes an ISO 8601 duration such as "P30D".`);
      if (op.path === '/max_api_key_expiry') next.max_api_key_expiry = v;
      else next.scim_externalClient_expiry = v;
    } else if (op.path === '/max_keys_per_user') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1000)
        throw badRequest('max_keys_per_user must be an integer from 0 to 1000.');
      next.max_keys_per_user = v;
    } else throw badRequest(`Unsupported path "${op.path}".`);
  }
  tenant.apiKeysConfig = next;
  return noContent();
}

export const settingsRoutes: Route[] = [
  {
    api: 'tenant-settings',
    method: 'GET',
    path: '/api/v1/tenant-settings',
    handler: (_req, ctx) => json(200, tenantSettings(ctx, tenantOf(ctx).tenant)),
  },
  { api: 'tenant-settings', method: 'PATCH', path: '/api/v1/tenant-settings', handler: patchTenantSettings },
  {
    api: 'core-auth-settings',
    method: 'GET',
    path: '/api/core/auth-settings',
    handler: (_req, ctx) => json(200, authSettingsView(tenantOf(ctx).tenant)),
  },
  { api: 'core-auth-settings', method: 'PATCH', path: '/api/core/auth-settings', handler: patchAuthSettings },
  {
    api: 'api-keys',
    method: 'GET',
    path: '/api/v1/api-keys/configs/{tenantId}',
    handler: (req, ctx) => {
      const { max_api_key_expiry, max_keys_per_user, scim_externalClient_expiry } = apiKeysTenant(
        req,
        ctx,
      ).apiKeysConfig;
      return json(200, { max_api_key_expiry, max_keys_per_user, scim_externalClient_expiry });
    },
  },
  { api: 'api-keys', method: 'PATCH', path: '/api/v1/api-keys/configs/{tenantId}', handler: patchApiKeysConfig },
];
