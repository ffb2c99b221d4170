import type { SimClock } from '../clock.js';
import type { SimBehaviour } from '../state/behaviour.js';
import type { QrsResult } from './repository.js';
import { matchRoute, type TemplateRoute } from './router.js';
import { newDeploymentToken, newId, type QseowState, type SimDeployment } from './state.js';

const text = (status: number, message: string): QrsResult => ({
  status,
  body: message,
  headers: { 'content-type': 'text/plain' },
});

const view = (d: SimDeployment): Record<string, unknown> => ({
  id: d.id,
  name: d.name,
  audience: d.audience,
  serviceUrl: d.serviceUrl,
  localBearerToken: d.localBearerToken,
  createdDate: d.createdDate,
});

const DEFAULT_PAGE = 10;

/** The `paged` list (behaviour `hdsDeploymentList`): Qlik Cloud's `{ data, links }` with an opaque `next` cursor. */
function page(all: SimDeployment[], query: URLSearchParams, selfUrl: string): QrsResult {
  const limit = Number(query.get('limit') ?? DEFAULT_PAGE);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return text(400, 'limit must be an integer from 1 to 100');
  const cursor = query.get('next');
  const start = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) return text(400, 'next is not a cursor of this list');
  const end = start + limit;
  const at = (from: number) =>
    `${selfUrl}?limit=${limit}${from > 0 ? `&next=${Buffer.from(String(from)).toString('base64url')}` : ''}`;
  return {
    status: 200,
    body: {
      data: all.slice(start, end).map(view),
      links: { self: { href: at(start) }, ...(end < all.length ? { next: { href: at(end) } } : {}) },
    },
  };
}

/**
 * The private Hybrid Deployment Service (`/api/hds/v1`) behind a virtual proxy. Create and token reading follow the
 * public Postman collection; list and delete are guesses (unverified against a real QSEoW), and how the list answers
 * and whether names are unique are switches (`hdsDeploymentList`, `hdsDeploymentNames` in `behaviour`).
 */
export function createHds(state: QseowState, clock: SimClock, behaviour: SimBehaviour) {
  type Handler = (body: unknown, params: Record<string, string>, query: URLSearchParams, baseUrl: string) => QrsResult;
  const routes: Array<TemplateRoute<Handler>> = [
    {
      method: 'POST',
      template: '/Deployments',
      handler: (body) => {
        if (body === null || typeof body !== 'object') return text(400, 'A JSON body is required');
        const b = body as Record<string, unknown>;
        if (typeof b['name'] !== 'string' || !b['name'].trim()) return text(400, 'name is required');
        if (typeof b['serviceUrl'] !== 'string' || !/^https:\/\/[^/]+\/?$/.test(b['serviceUrl']))
          return text(400, 'serviceUrl must be https://<tenant-host>');
        if (b['audience'] !== 'qlik.api') return text(400, 'audience must be "qlik.api"');
        if (b['localBearerToken'] !== true) return text(400, 'only localBearerToken deployments are simulated');
        if (behaviour.hdsDeploymentNames === 'unique')
          for (const d of state.deployments.values())
            if (d.name.toLowerCase() === b['name'].toLowerCase())
              return text(409, `A deployment named "${b['name']}" already exists`);
        const id = newId();
        const deployment: SimDeployment = {
          id,
          name: b['name'],
          audience: 'qlik.api',
          serviceUrl: b['serviceUrl'],
          localBearerToken: true,
          token: newDeploymentToken(state.config.hostname, id),
          createdDate: new Date(clock.now()).toISOString(),
        };
        state.deployments.set(id, deployment);
        return { status: 201, body: view(deployment) };
      },
    },
    {
      method: 'GET',
      template: '/Deployments',
      handler: (_b, _p, query, baseUrl) => {
        const all = [...state.deployments.values()];
        switch (behaviour.hdsDeploymentList) {
          case 'absent':
            return text(404, 'No hds endpoint GET /Deployments');
          case 'paged':
            return page(all, query, `${baseUrl}/Deployments`);
          case 'array':
            return { status: 200, body: all.map(view) };
        }
      },
    },
    {
      method: 'GET',
      template: '/Deployments/{id}/elastictokenconfig',
      handler: (_b, p) => {
        const d = state.deployments.get(p['id']!);
        return d
          ? { status: 200, body: d.token, headers: { 'content-type': 'text/plain; charset=utf-8' } }
          : text(404, 'Deployment not found');
      },
    },
    {
      method: 'DELETE',
      template: '/Deployments/{id}',
      handler: (_b, p) => (state.deployments.delete(p['id']!) ? { status: 204 } : text(404, 'Deployment not found')),
    },
  ];
  return {
    /** `baseUrl`: the absolute URL of `/api/hds/v1` behind the proxy the request came through (for list links). */
    handle(method: string, path: string, body: unknown, query: URLSearchParams, baseUrl: string): QrsResult {
      const matched = matchRoute(routes, method, path);
      return matched
        ? matched.route.handler(body, matched.params, query, baseUrl)
        : text(404, `No hds endpoint ${method} ${path}`);
    },
  };
}
