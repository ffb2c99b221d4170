import { notFound } from '../http/errors.js';
import type { Route } from '../http/types.js';
import type { RoleRecord } from '../state/records.js';
import { json, listPage, tenantOf } from './util.js';

const roleView = (host: string, r: RoleRecord): Record<string, unknown> => ({
  ...r,
  links: { self: { href: `https://${host}/api/v1/roles/${r.id}` } },
});

export const roleRoutes: Route[] = [
  {
    api: 'roles',
    method: 'GET',
    path: '/api/v1/roles',
    handler: (req, ctx) => {
      const page = listPage(req, [...tenantOf(ctx).tenant.roles.values()]);
      return json(200, { data: page.data.map((r) => roleView(req.host, r)), links: page.links });
    },
  },
  {
    api: 'roles',
    method: 'GET',
    path: '/api/v1/roles/{id}',
    handler: (req, ctx) => {
      const role = tenantOf(ctx).tenant.roles.get(req.params.id ?? '');
      if (!role) throw notFound(`Role ${req.params.id}`);
      return json(200, roleView(req.host, role));
    },
  },
];
