// A local HTTP endpoint (127.0.0.1, port 0) that answers GET /api/v1/spaces for one API key, plus a fetch that
// routes *.qlikcloud.com to it. It lets each consumer make a real SDK call with the packed packages.
import { createServer } from 'node:http';

export const API_KEY = 'consumer-test-key';

export async function startSpacesEndpoint() {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method, url: request.url, host: request.headers['x-forwarded-host'] });
    const send = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${API_KEY}`) {
      return send(401, { errors: [{ code: 'HTTP-401', title: 'Unauthorized' }] });
    }
    if (request.method === 'GET' && request.url?.startsWith('/api/v1/spaces')) {
      return send(200, {
        data: [{ id: 'space-1', name: 'Acme (managed)', type: 'managed', tenantId: 't-1', ownerId: 'u-1', createdAt: '2026-01-01T00:00:00Z', createdBy: 'u-1', updatedAt: '2026-01-01T00:00:00Z', meta: { roles: [], actions: [], assignableRoles: [] }, links: { self: { href: 'https://acme.eu.qlikcloud.com/api/v1/spaces/space-1' }, assignments: { href: 'https://acme.eu.qlikcloud.com/api/v1/spaces/space-1/assignments' } } }],
        links: { self: { href: 'https://acme.eu.qlikcloud.com/api/v1/spaces' } },
        meta: { count: 1 },
      });
    }
    return send(404, { errors: [{ code: 'HTTP-404', title: 'Not found' }] });
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  /** @type {typeof globalThis.fetch} */
  const fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith('.qlikcloud.com')) throw new TypeError(`unexpected host ${url.hostname}`);
    const headers = new Headers(request.headers);
    headers.set('x-forwarded-host', url.hostname);
    return globalThis.fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: request.body,
      duplex: 'half',
      signal: request.signal,
    });
  };
  return { fetch, requests, close: () => new Promise((done) => server.close(done)) };
}
