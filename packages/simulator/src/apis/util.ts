import { badRequest, SimHttpError } from '../http/errors.js';
import type { SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { Principal } from '../state/principal.js';
import type { TenantState } from '../state/tenant.js';
import { compileScimFilter } from './scim-filter.js';

export const json = (status: number, body?: unknown, headers?: Record<string, string>): SimResponse => ({
  status,
  ...(body !== undefined ? { body } : {}),
  ...(headers ? { headers } : {}),
});

export const noContent = (): SimResponse => ({ status: 204 });

/** The tenant and principal of a tenant-authenticated route (the dispatcher guarantees both). */
export function tenantOf(ctx: SimContext): { tenant: TenantState; principal: Principal } {
  if (!ctx.tenant || !ctx.principal) throw new SimHttpError(401, 'HTTP-401', 'Unauthorized');
  return { tenant: ctx.tenant, principal: ctx.principal };
}

export function objectBody(req: SimRequest): Record<string, unknown> {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw badRequest('The request body must be a JSON object.');
  return b as Record<string, unknown>;
}

export interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export function patchBody(req: SimRequest): PatchOp[] {
  const b = req.body;
  if (!Array.isArray(b)) throw badRequest('The request body must be a JSON-Patch array.');
  return b.map((p, i) => {
    const o = p as Partial<PatchOp>;
    if (typeof o?.op !== 'string' || typeof o.path !== 'string')
      throw badRequest(`Patch operation ${i} needs "op" and "path".`);
    const from = (p as { from?: unknown }).from;
    return {
      op: o.op,
      path: o.path,
      ...('value' in o ? { value: o.value } : {}),
      ...(typeof from === 'string' ? { from } : {}),
    };
  });
}

/** Filters by the SCIM `filter` (if any) and pages by `limit` + opaque `next`/`prev` cursors. */
export function listPage<T>(
  req: SimRequest,
  items: T[],
  options: {
    filter?: string | undefined;
    defaultLimit?: number;
    maxLimit?: number;
    toFilterable?: (item: T) => Record<string, unknown>;
    /** 'next' (default): `next`/`prev` cursors; 'page': one `page` cursor for both directions (licenses, data-connections). */
    cursorStyle?: 'next' | 'page';
  } = {},
): { data: T[]; links: { self: { href: string }; next?: { href: string }; prev?: { href: string } } } {
  const filterText = options.filter ?? req.query.get('filter') ?? undefined;
  const filtered = filterText
    ? items.filter((i) => compileScimFilter(filterText)((options.toFilterable?.(i) ?? i) as Record<string, unknown>))
    : items;
  const limitRaw = req.query.get('limit');
  const limit = limitRaw === null ? (options.defaultLimit ?? 20) : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > (options.maxLimit ?? 100))
    throw badRequest(`limit must be an integer between 1 and ${options.maxLimit ?? 100}.`);
  const pageStyle = options.cursorStyle === 'page';
  const cursor = pageStyle ? req.query.get('page') : (req.query.get('next') ?? req.query.get('prev'));
  const offset = cursor ? decodeCursor(cursor) : 0;
  const data = filtered.slice(offset, offset + limit);
  const link = (o: number, direction: 'next' | 'prev'): { href: string } => {
    const q = new URLSearchParams(req.query);
    for (const k of ['next', 'prev', 'page']) q.delete(k);
    if (o > 0) q.set(pageStyle ? 'page' : direction, encodeCursor(o));
    const qs = q.toString();
    return { href: `https://${req.host}${req.path}${qs ? `?${qs}` : ''}` };
  };
  const links: { self: { href: string }; next?: { href: string }; prev?: { href: string } } = {
    self: { href: `https://${req.host}${req.url.pathname}${req.url.search}` },
  };
  if (offset + limit < filtered.length) links.next = link(offset + limit, 'next');
  if (offset > 0) links.prev = link(Math.max(0, offset - limit), 'prev');
  return { data, links };
}

const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m?.[1]) throw badRequest('Invalid paging cursor.');
  return Number(m[1]);
}
