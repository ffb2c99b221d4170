// The shape of a QRS route and the read-side helpers every route module shares (filtered lists, read-only and CRUD families).
import type { SimClock } from '../clock.js';
import { parseQrsFilter, QrsFilterSyntaxError } from './filter.js';
import { QrsRequestError, createRecord, requireObject, updateRecord } from './qrs-entities.js';
import type { TemplateRoute } from './router.js';
import type { QseowState, SimQrsRecord } from './state.js';

export interface QrsCall {
  method: string;
  /** Path below `/qrs`, e.g. `/app/{id}` filled in. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  rawBody: Buffer;
}

export interface QrsResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type QrsHandler = (call: QrsCall, params: Record<string, string>) => QrsResult;

/** A QRS route. `read` marks a POST that only queries (`/x/table`, security audits): it is not a write. */
export type QrsRoute = TemplateRoute<QrsHandler> & { read?: boolean };

export interface RepositoryHooks {
  /** Called after any change that makes QSEoW re-evaluate distribution of an app. */
  onAppChanged(appId: string): void;
}

/** What every route module works on. */
export interface RepositoryContext {
  state: QseowState;
  clock: SimClock;
  hooks: RepositoryHooks;
  iso: () => string;
}

export const EMPTY_ID = '00000000-0000-0000-0000-000000000000';

/** The entities matching the call's `filter`, as copies. */
export function filtered<T>(items: Iterable<T>, query: URLSearchParams): T[] {
  try {
    const filter = parseQrsFilter(query.get('filter'));
    return [...items].filter(filter).map((x) => structuredClone(x));
  } catch (error) {
    if (error instanceof QrsFilterSyntaxError) throw new QrsRequestError(400, error.message);
    throw error;
  }
}

export function recordOf<T extends { id: string }>(map: Map<string, T>, id: string, what: string): T {
  const found = map.get(id);
  if (!found) throw new QrsRequestError(404, `${what} ${id} not found`);
  return found;
}

/** `GET base` and `base/full` (QRS's condensed and full lists; the simulator answers both alike), filtered. */
export function listRoutes(base: string, all: () => Iterable<unknown>): QrsRoute[] {
  const list: QrsRoute['handler'] = (c) => ({ status: 200, body: filtered(all(), c.query) });
  return [
    { method: 'GET', template: base, handler: list },
    { method: 'GET', template: `${base}/full`, handler: list },
  ];
}

/** `GET base`, `base/full`, `base/count` and `base/{id}` over a view of the stored entities. */
export function readRoutes<T extends { id: string }>(
  base: string,
  map: Map<string, T>,
  what: string,
  view: (entity: T) => unknown = (entity) => entity,
): QrsRoute[] {
  const all = () => [...map.values()].map(view);
  return [
    ...listRoutes(base, all),
    {
      method: 'GET',
      template: `${base}/count`,
      handler: (c) => ({ status: 200, body: { value: filtered(all(), c.query).length } }),
    },
    {
      method: 'GET',
      template: `${base}/{id}`,
      handler: (_c, p) => ({ status: 200, body: structuredClone(view(recordOf(map, p['id']!, what))) }),
    },
  ];
}

/** The read routes plus POST, PUT (with `modifiedDate`) and DELETE of a generic entity. */
export function crudRoutes(
  ctx: RepositoryContext,
  base: string,
  map: Map<string, SimQrsRecord>,
  schemaPath: string,
  validate?: (body: Record<string, unknown>) => void,
  view?: (entity: SimQrsRecord) => unknown,
): QrsRoute[] {
  return [
    ...readRoutes(base, map, schemaPath, view),
    {
      method: 'POST',
      template: base,
      handler: (c) => {
        const body = requireObject(c.body, `POST ${base}`);
        validate?.(body);
        return { status: 201, body: structuredClone(createRecord(map, body, ctx.clock.now(), schemaPath)) };
      },
    },
    {
      method: 'PUT',
      template: `${base}/{id}`,
      handler: (c, p) => {
        const body = requireObject(c.body, `PUT ${base}/{id}`);
        validate?.(body);
        return {
          status: 200,
          body: structuredClone(updateRecord(recordOf(map, p['id']!, schemaPath), body, ctx.clock.now())),
        };
      },
    },
    {
      method: 'DELETE',
      template: `${base}/{id}`,
      handler: (_c, p) => {
        recordOf(map, p['id']!, schemaPath);
        map.delete(p['id']!);
        return { status: 204 };
      },
    },
  ];
}
