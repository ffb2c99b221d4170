import { badRequest, conflict, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { UserRecord } from '../state/records.js';
import type { TenantState } from '../state/tenant.js';
import { json, listPage, noContent, objectBody, patchBody, requireAdmin, tenantOf } from './util.js';

/** A user as the API returns it (the bot marker stays internal). */
export function userView(req: SimRequest, user: UserRecord): Record<string, unknown> {
  const { clientId: _clientId, ...rest } = user;
  return { ...rest, links: { self: { href: `https://${req.host}/api/v1/users/${user.id}` } } };
}

function getUser(tenant: TenantState, id: string): UserRecord {
  const user = tenant.users.get(id);
  if (!user || user.status === 'deleted') throw notFound(`User ${id}`);
  return user;
}

function me(req: SimRequest, ctx: SimContext): SimResponse {
  const { principal } = tenantOf(ctx);
  return { status: 301, headers: { location: `/api/v1/users/${principal.userId}`, 'content-type': 'text/html' }, body: `<a href="/api/v1/users/${principal.userId}">Moved Permanently</a>.` };
}

function list(req: SimRequest, ctx: SimContext, filter?: string): SimResponse {
  const { tenant } = tenantOf(ctx);
  const users = [...tenant.users.values()].filter((u) => u.status !== 'deleted');
  const page = listPage(req, users, { filter, toFilterable: (u) => ({ ...u, roles: u.assignedRoles.map((r) => r.name) }) });
  return json(200, { data: page.data.map((u) => userView(req, u)), links: page.links });
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant, principal } = tenantOf(ctx);
  requireAdmin(tenant, principal);
  const body = objectBody(req);
  const subject = body.subject;
  if (typeof subject !== 'string' || subject.length === 0) throw badRequest('subject is required.');
  if (body.tenantId !== undefined && body.tenantId !== tenant.id) throw badRequest('tenantId does not match the tenant of the request.');
  if (tenant.findUserBy((u) => u.subject === subject && u.status !== 'deleted')) throw conflict(`A user with subject "${subject}" already exists.`);
  const roles = Array.isArray(body.assignedRoles) ? body.assignedRoles.map((r) => roleKey(tenant, r)) : [];
  const user = ctx.sim.addUser(tenant, {
    subject,
    ...(typeof body.name === 'string' ? { name: body.name } : {}),
    ...(typeof body.email === 'string' ? { email: body.email } : {}),
    status: 'invited',
    roles,
  });
  user.inviteExpiry = Math.floor(ctx.clock.now() / 1000) + 7 * 24 * 3600;
  return json(201, userView(req, user));
}

function roleKey(tenant: TenantState, ref: unknown): string {
  const r = ref as { id?: unknown; name?: unknown };
  const key = typeof r?.id === 'string' ? r.id : typeof r?.name === 'string' ? r.name : undefined;
  if (!key || !(tenant.roles.has(key) || tenant.findRoleByName(key))) throw badRequest(`Unknown role ${JSON.stringify(ref)}.`);
  return key;
}

function patch(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant, principal } = tenantOf(ctx);
  requireAdmin(tenant, principal);
  const user = getUser(tenant, req.params.userId ?? '');
  for (const op of patchBody(req)) {
    if (op.path === '/name' && op.op === 'replace' && typeof op.value === 'string') user.name = op.value;
    else if (op.path === '/status' && op.op === 'replace' && (op.value === 'active' || op.value === 'disabled')) user.status = op.value;
    else if (op.path === '/assignedRoles' && op.op === 'replace' && Array.isArray(op.value)) user.assignedRoles = op.value.map((r) => ctx.sim.roleRef(tenant, roleKey(tenant, r)));
    else if (op.path === '/assignedRoles' && op.op === 'set' && Array.isArray(op.value)) user.assignedRoles = op.value.map((r) => ctx.sim.roleRef(tenant, roleKey(tenant, r)));
    else throw badRequest(`Unsupported patch ${op.op} ${op.path}.`);
  }
  user.lastUpdatedAt = ctx.sim.nowIso();
  return noContent();
}

function remove(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant, principal } = tenantOf(ctx);
  requireAdmin(tenant, principal);
  const user = getUser(tenant, req.params.userId ?? '');
  tenant.users.delete(user.id);
  return noContent();
}

export const userRoutes: Route[] = [
  { api: 'users', method: 'GET', path: '/api/v1/users/me', handler: me },
  { api: 'users', method: 'GET', path: '/api/v1/users', handler: (req, ctx) => list(req, ctx) },
  { api: 'users', method: 'POST', path: '/api/v1/users', handler: create },
  { api: 'users', method: 'GET', path: '/api/v1/users/{userId}', handler: (req, ctx) => json(200, userView(req, getUser(tenantOf(ctx).tenant, req.params.userId ?? ''))) },
  { api: 'users', method: 'PATCH', path: '/api/v1/users/{userId}', handler: patch },
  { api: 'users', method: 'DELETE', path: '/api/v1/users/{userId}', handler: remove },
  {
    api: 'users',
    method: 'POST',
    path: '/api/v1/users/actions/filter',
    handler: (req, ctx) => {
      const body = (req.body ?? {}) as { filter?: unknown };
      return list(req, ctx, typeof body.filter === 'string' && body.filter ? body.filter : undefined);
    },
  },
];
