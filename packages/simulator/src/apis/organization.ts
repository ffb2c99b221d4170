// The Organization REST API on console.qlikcloud.com: list, get, count and filter the tenants of the
// organization's subscriptions with a SCIM filter (qlik.dev apis/org-rest/core/tenants; spec
// specs/qlik-cloud/org-core-tenants.json, derived, see its SOURCES.md entry).
import { badRequest, qlikError } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import { CONSOLE_HOST } from '../state/regions.js';
import type { TenantState } from '../state/tenant.js';
import { compileScimFilter } from './scim-filter.js';
import { json, objectBody } from './util.js';
import { wireText } from '../http/wire-text.js';

/** A tenant as the organization sees it: the documented filter and sort attributes. */
function orgTenantView(t: TenantState): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    hostnames: [...t.hostnames],
    status: t.status,
    subscriptionId: t.subscriptionId,
    regionCode: t.region,
    createdAt: t.created,
    updatedAt: t.lastUpdated,
  };
}

// Operators per attribute, as qlik.dev documents them ("regionCode, status: eq, ne; subscriptionId, name,
// hostnames, id, originalId: eq only"); createdAt/updatedAt comparisons and countryCode are unverified
// (registry: organization-filter-operators).
const OPERATORS: Readonly<Record<string, readonly string[]>> = {
  subscriptionid: ['eq'],
  name: ['eq'],
  hostnames: ['eq'],
  id: ['eq'],
  originalid: ['eq'],
  regioncode: ['eq', 'ne'],
  status: ['eq', 'ne'],
  countrycode: ['eq', 'ne'],
  createdat: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  updatedat: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
};
const SORTABLE = new Set([
  'name',
  'regionCode',
  'countryCode',
  'hostnames',
  'createdAt',
  'updatedAt',
  'status',
  'subscriptionId',
]);
const COMPARISON = /([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le|co|sw|ew|pr)\b/gi;

/** Checks what the compiler does not know (attributes, operators per attribute, the required subscriptionId), then compiles. */
function tenantFilter(filter: string | null | undefined): (record: Record<string, unknown>) => boolean {
  if (!filter || !filter.trim()) throw badRequest('The filter is required and must name a subscriptionId.');
  const outsideStrings = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let subscription = false;
  for (const [, attr, op] of outsideStrings.matchAll(COMPARISON)) {
    const allowed = OPERATORS[attr!.toLowerCase()];
    if (!allowed) throw badRequest(`Invalid filter: unsupported attribute "${attr}".`);
    if (!allowed.includes(op!.toLowerCase()))
      throw badRequest(`Invalid filter: "${attr}" supports ${allowed.join(', ')}, not ${op}.`);
    if (attr!.toLowerCase() === 'subscriptionid') subscription = true;
  }
  if (!subscription) throw badRequest('Invalid filter: the subscriptionId attribute is required.');
  return compileScimFilter(filter);
}

function sorted(records: Array<Record<string, unknown>>, sort: string | null): Array<Record<string, unknown>> {
  if (!sort) return records;
  const keys = sort.split(',').map((raw) => {
    const text = raw.trim();
    const descending = text.startsWith('-');
    const field = text.replace(/^[-+]/, '');
    if (!SORTABLE.has(field)) throw badRequest(`Invalid sort field "${field}".`);
    return { field, descending };
  });
  return [...records].sort((a, b) => {
    for (const { field, descending } of keys) {
      const x = wireText(a[field]);
      const y = wireText(b[field]);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
}

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw badRequest('limit must be an integer from 0 to 100.');
  return limit;
}

/** One page: `next`/`prev` are tenant ids (the first tenant of that page), as the cursors Qlik documents. */
function page(req: SimRequest, ctx: SimContext, filter: string | null | undefined): SimResponse {
  const matches = tenantFilter(filter);
  const all = sorted(
    [...ctx.sim.tenants.values()].map(orgTenantView).filter((record) => matches(record)),
    req.query.get('sort'),
  );
  const limit = limitOf(req.query);
  const cursor = req.query.get('next') ?? req.query.get('prev');
  let start = 0;
  if (cursor) {
    start = all.findIndex((record) => record.id === cursor);
    if (start < 0) throw badRequest('Invalid cursor.');
  }
  const data = all.slice(start, start + limit);
  const link = (id: string, name: 'next' | 'prev') => {
    const url = new URL(`https://${CONSOLE_HOST}/api/core/tenants`);
    if (filter) url.searchParams.set('filter', filter);
    url.searchParams.set('limit', String(limit));
    if (req.query.get('sort')) url.searchParams.set('sort', req.query.get('sort')!);
    url.searchParams.set(name, id);
    return { href: url.href };
  };
  const following = all[start + limit];
  const previous = start > 0 ? all[Math.max(0, start - limit)] : undefined;
  return json(200, {
    data,
    links: {
      self: { href: req.url.href },
      ...(following && limit > 0 ? { next: link(following.id as string, 'next') } : {}),
      ...(previous ? { prev: link(previous.id as string, 'prev') } : {}),
    },
    ...(req.query.get('totalResults') === 'true' ? { totalResults: all.length } : {}),
  });
}

function getOne(req: SimRequest, ctx: SimContext): SimResponse {
  const tenant = ctx.sim.tenantById(req.params.tenantId ?? '');
  if (!tenant) return qlikError(404, 'HTTP-404', 'Tenant not found');
  return json(200, orgTenantView(tenant));
}

function count(req: SimRequest, ctx: SimContext): SimResponse {
  const matches = tenantFilter(req.query.get('filter'));
  const total = [...ctx.sim.tenants.values()].map(orgTenantView).filter((record) => matches(record)).length;
  return json(200, { total });
}

function filterAction(req: SimRequest, ctx: SimContext): SimResponse {
  const body = objectBody(req);
  if (typeof body.filter !== 'string') throw badRequest('The body needs a "filter" string.');
  return page(req, ctx, body.filter);
}

const API = 'org-core-tenants';
export const organizationRoutes: Route[] = [
  {
    api: API,
    method: 'GET',
    path: '/api/core/tenants',
    auth: 'organization',
    handler: (req, ctx) => page(req, ctx, req.query.get('filter')),
  },
  { api: API, method: 'GET', path: '/api/core/tenants/{tenantId}', auth: 'organization', handler: getOne },
  { api: API, method: 'GET', path: '/api/core/tenants/actions/count', auth: 'organization', handler: count },
  { api: API, method: 'POST', path: '/api/core/tenants/actions/filter', auth: 'organization', handler: filterAction },
];
