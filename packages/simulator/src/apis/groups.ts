import { badRequest, conflict, notFound } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { GroupRecord } from '../state/records.js';
import type { TenantState } from '../state/tenant.js';
import { json, listPage, noContent, objectBody, patchBody, tenantOf } from './util.js';

const MAX_GROUPS = 10_000;
const EVERYONE_ID = '000000000000000000000001';

const groupView = (host: string, g: GroupRecord): Record<string, unknown> => ({
  ...g,
  links: { self: { href: `https://${host}/api/v1/groups/${g.id}` } },
});

function roleRefs(ctx: SimContext, tenant: TenantState, value: unknown): GroupRecord['assignedRoles'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest('assignedRoles must be an array.');
  if (value.length > 100) throw badRequest('A group can have at most 100 roles.');
  return value.map((r: { id?: unknown; name?: unknown }) => {
    const key = typeof r?.id === 'string' ? r.id : typeof r?.name === 'string' ? r.name : '';
    if (!(tenant.roles.has(key) || tenant.findRoleByName(key))) throw badRequest(`Unknown role ${JSON.stringify(r)}.`);
    return ctx.sim.roleRef(tenant, key);
  });
}

function create(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const body = objectBody(req);
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 256)
    throw badRequest('name must be 1 to 256 characters.');
  // Group names are case-sensitive and unique.
  for (const g of tenant.groups.values())
    if (g.name === name) throw conflict(`A group named "${name}" already exists.`);
  if (tenant.groups.size >= MAX_GROUPS) throw badRequest(`A tenant can have at most ${MAX_GROUPS} groups.`);
  const now = ctx.sim.nowIso();
  const group: GroupRecord = {
    id: ctx.sim.ids.hex(),
    tenantId: tenant.id,
    name,
    providerType: body.providerType === 'custom' ? 'custom' : 'idp',
    status: 'active',
    assignedRoles: roleRefs(ctx, tenant, body.assignedRoles),
    createdAt: now,
    lastUpdatedAt: now,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
  };
  tenant.groups.set(group.id, group);
  return json(201, groupView(req.host, group));
}

function getGroup(tenant: TenantState, id: string): GroupRecord {
  const g = tenant.groups.get(id);
  if (!g) throw notFound(`Group ${id}`);
  return g;
}

function settingsView(req: SimRequest, tenant: TenantState): Record<string, unknown> {
  return {
    tenantId: tenant.id,
    autoCreateGroups: tenant.groupSettings.autoCreateGroups,
    syncIdpGroups: tenant.groupSettings.syncIdpGroups,
    systemGroups: {
      [EVERYONE_ID]: {
        id: EVERYONE_ID,
        name: 'com.qlik.Everyone',
        enabled: true,
        ...(tenant.groupSettings.systemGroups[EVERYONE_ID] as object | undefined),
      },
    },
    links: { self: { href: `https://${req.host}/api/v1/groups/settings` } },
  };
}

function patchSettings(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const ops = patchBody(req);
  const updates: Array<() => void> = [];
  for (const op of ops) {
    if (op.op !== 'replace') throw badRequest(`Unsupported op "${op.op}".`);
    if (op.path === '/autoCreateGroups' || op.path === '/syncIdpGroups') {
      if (typeof op.value !== 'boolean') throw badRequest(`${op.path} takes a boolean.`);
      const key = op.path.slice(1) as 'autoCreateGroups' | 'syncIdpGroups';
      const value = op.value;
      updates.push(() => {
        tenant.groupSettings[key] = value;
      });
    } else {
      const m = /^\/systemGroups\/([^/]+)\/assignedRoles$/.exec(op.path);
      if (!m || m[1] !== EVERYONE_ID) throw badRequest(`Unsupported path "${op.path}".`);
      const roles = roleRefs(ctx, tenant, op.value);
      updates.push(() => {
        tenant.groupSettings.systemGroups[EVERYONE_ID] = { assignedRoles: roles };
      });
    }
  }
  for (const u of updates) u();
  return noContent();
}

function list(req: SimRequest, ctx: SimContext, filter?: string): SimResponse {
  const page = listPage(req, [...tenantOf(ctx).tenant.groups.values()], { filter });
  return json(200, { data: page.data.map((g) => groupView(req.host, g)), links: page.links });
}

/** PATCH /groups/{id}: the spec's paths have no leading slash ("assignedRoles"); "/assignedRoles" is accepted too. */
function patchGroup(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const group = getGroup(tenant, req.params.groupId ?? '');
  const next = { ...group };
  for (const op of patchBody(req)) {
    if (op.op !== 'replace') throw badRequest(`Unsupported op "${op.op}".`);
    const path = op.path.replace(/^\//, '');
    if (path === 'assignedRoles') next.assignedRoles = roleRefs(ctx, tenant, op.value);
    else if (path === 'name' || path === 'description') {
      if (group.providerType !== 'custom') throw badRequest(`Only custom groups can change their ${path}.`);
      if (typeof op.value !== 'string' || (path === 'name' && (op.value.length < 1 || op.value.length > 256)))
        throw badRequest(`${path} must be a string (names: 1 to 256 characters).`);
      if (path === 'name' && [...tenant.groups.values()].some((g) => g.id !== group.id && g.name === op.value))
        throw conflict(`A group named "${String(op.value)}" already exists.`);
      next[path] = op.value;
    } else throw badRequest(`Unsupported path "${op.path}".`);
  }
  next.lastUpdatedAt = ctx.sim.nowIso();
  tenant.groups.set(group.id, next);
  return noContent();
}

export const groupRoutes: Route[] = [
  { api: 'groups', method: 'PATCH', path: '/api/v1/groups/{groupId}', handler: patchGroup },
  { api: 'groups', method: 'GET', path: '/api/v1/groups', handler: (req, ctx) => list(req, ctx) },
  { api: 'groups', method: 'POST', path: '/api/v1/groups', handler: create },
  {
    api: 'groups',
    method: 'POST',
    path: '/api/v1/groups/actions/filter',
    handler: (req, ctx) => {
      const f = (req.body as { filter?: unknown } | undefined)?.filter;
      return list(req, ctx, typeof f === 'string' && f ? f : undefined);
    },
  },
  {
    api: 'groups',
    method: 'GET',
    path: '/api/v1/groups/settings',
    handler: (req, ctx) => json(200, settingsView(req, tenantOf(ctx).tenant)),
  },
  { api: 'groups', method: 'PATCH', path: '/api/v1/groups/settings', handler: patchSettings },
  {
    api: 'groups',
    method: 'GET',
    path: '/api/v1/groups/{groupId}',
    handler: (req, ctx) => json(200, groupView(req.host, getGroup(tenantOf(ctx).tenant, req.params.groupId ?? ''))),
  },
  {
    api: 'groups',
    method: 'DELETE',
    path: '/api/v1/groups/{groupId}',
    handler: (req, ctx) => {
      const { tenant } = tenantOf(ctx);
      tenant.groups.delete(getGroup(tenant, req.params.groupId ?? '').id);
      return noContent();
    },
  },
];
