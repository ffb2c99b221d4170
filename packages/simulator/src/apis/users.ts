import { authorize } from '../auth/authorize.js';
import { callerOf } from '../auth/principal.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { UserRecord } from '../state/records.js';
import type { TenantState } from '../state/tenant.js';
import { json, listPage, noContent, objectBody, patchBody, tenantOf } from './util.js';

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
  return {
    status: 301,
    headers: { location: `/api/v1/users/${principal.userId}`, 'content-type': 'text/html' },
    body: `<a href="/api/v1/users/${principal.userId}">Moved Permanently</a>.`,
  };
}

function list(req: SimRequest, ctx: SimContext, filter?: string): SimResponse {
  const { tenant } = tenantOf(ctx);
  const users = [...tenant.users.values()].filter((u) => u.status !== 'deleted');
  const page = listPage(req, users, {
    filter,
    toFilterable: (u) => ({ ...u, roles: u.assignedRoles.map((r) => r.name) }),
  });
  return json(200, { data: page.data.map((u) => userView(req, u)), links: page.links });
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const body = objectBody(req);
  const subject = body.subject;
  if (typeof subject !== 'string' || subject.length === 0) throw badRequest('subject is required.');
  if (body.tenantId !== undefined && body.tenantId !== tenant.id)
    throw badRequest('tenantId does not match the tenant of the request.');
  if (tenant.findUserBy((u) => u.subject === subject && u.status !== 'deleted'))
    throw conflict(`A user with subject "${subject}" already exists.`);
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
  if (!key || !(tenant.roles.has(key) || tenant.findRoleByName(key)))
    throw badRequest(`Unknown role ${JSON.stringify(ref)}.`);
  return key;
}

function patch(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const user = getUser(tenant, req.params.userId ?? '');
  for (const op of patchBody(req)) {
    if (op.path === '/name' && op.op === 'replace' && typeof op.value === 'string') user.name = op.value;
    else if (op.path === '/status' && op.op === 'replace' && (op.value === 'active' || op.value === 'disabled'))
      user.status = op.value;
    else if (op.path === '/assignedRoles' && op.op === 'replace' && Array.isArray(op.value))
      user.assignedRoles = op.value.map((r) => ctx.sim.roleRef(tenant, roleKey(tenant, r)));
    else if (op.path === '/assignedRoles' && op.op === 'set' && Array.isArray(op.value))
      user.assignedRoles = op.value.map((r) => ctx.sim.roleRef(tenant, roleKey(tenant, r)));
    else throw badRequest(`Unsupported patch ${op.op} ${op.path}.`);
  }
  user.lastUpdatedAt = ctx.sim.nowIso();
  return noContent();
}

function remove(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const user = getUser(tenant, req.params.userId ?? '');
  tenant.users.delete(user.id);
  return noContent();
}

/** A UUID-shaped subject for invited users (the IdP assigns one to each invitee). */
function inviteSubject(ctx: SimContext): string {
  const h = ctx.sim.ids.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** POST /users/actions/invite: 207 with a result per invitee (ok | exists). */
function invite(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const invitees = objectBody(req).invitees;
  if (!Array.isArray(invitees) || invitees.length === 0) throw badRequest('invitees must be a non-empty array.');
  // The spec's per-invitee error item is unsatisfiable (ErrorItem.code integer AND InviteErrorItem.code
  // string under allOf), so bad invitees fail the whole request and known users are reported as "exists"
  // (with their subject, which the spec expects to be an IdP UUID: seeded non-UUID subjects break strict mode).
  for (const entry of invitees) {
    const email = (entry as { email?: unknown }).email;
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))
      throw badRequest(`Invalid invitee email ${JSON.stringify(email)}.`);
  }
  const data = invitees.map((entry: unknown) => {
    const i = entry as { email: string; name?: unknown };
    const existing = tenant.findUserBy(
      (u) => u.email?.toLowerCase() === i.email.toLowerCase() && u.status !== 'deleted',
    );
    if (existing) return { status: 'exists', email: i.email, userId: existing.id, subject: existing.subject };
    const user = ctx.sim.addUser(tenant, {
      subject: inviteSubject(ctx),
      email: i.email,
      status: 'invited',
      name: typeof i.name === 'string' ? i.name : i.email,
    });
    user.inviteExpiry = Math.floor(ctx.clock.now() / 1000) + 7 * 24 * 3600;
    return { status: 'ok', email: i.email, userId: user.id, subject: user.subject };
  });
  return json(207, { data });
}

export const userRoutes: Route[] = [
  { api: 'users', method: 'POST', path: '/api/v1/users/actions/invite', handler: invite },
  { api: 'users', method: 'GET', path: '/api/v1/users/me', handler: me },
  { api: 'users', method: 'GET', path: '/api/v1/users', handler: (req, ctx) => list(req, ctx) },
  { api: 'users', method: 'POST', path: '/api/v1/users', handler: create },
  {
    api: 'users',
    method: 'GET',
    path: '/api/v1/users/{userId}',
    handler: (req, ctx) => {
      const id = req.params.userId ?? '';
      const caller = callerOf(ctx);
      if (id !== caller.userId) authorize(caller, 'tenant.admin');
      return json(200, userView(req, getUser(tenantOf(ctx).tenant, id)));
    },
  },
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
