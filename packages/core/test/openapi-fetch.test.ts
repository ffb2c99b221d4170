import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import createClient from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QlikHttpError, collectAll, createTransport, paginate, type Page } from '../src/index.js';
import { createFakeTokenProvider, createRecordingClock } from './helpers.js';

// A tiny hand-written `paths` type, shaped like openapi-typescript output.
interface paths {
  '/api/v1/spaces': {
    get: {
      parameters: { query?: { limit?: number; next?: string } };
      responses: { 200: { content: { 'application/json': Page<{ id: string }> } } };
    };
    post: {
      requestBody: { content: { 'application/json': { name: string } } };
      responses: {
        201: { content: { 'application/json': { id: string; name: string } } };
        409: { content: { 'application/json': { errors: Array<{ code: string; title: string }> } } };
      };
    };
  };
}

const HOST = 'https://acme.eu.qlikcloud.com';
let attempts = 0;
const server = setupServer(
  http.get(`${HOST}/api/v1/spaces`, ({ request }) => {
    const next = new URL(request.url).searchParams.get('next');
    if (request.headers.get('authorization') !== 'Bearer tok-1') return new HttpResponse(null, { status: 401 });
    return next
      ? HttpResponse.json({ data: [{ id: 's3' }], links: {} })
      : HttpResponse.json({ data: [{ id: 's1' }, { id: 's2' }], links: { next: { href: '/api/v1/spaces?next=p2' } } });
  }),
  http.post(`${HOST}/api/v1/spaces`, async ({ request }) => {
    attempts++;
    if (attempts === 1) return new HttpResponse(null, { status: 429, headers: { 'retry-after': '2' } });
    const body = (await request.json()) as { name: string };
    if (body.name === 'taken')
      return HttpResponse.json({ errors: [{ code: 'SPC-409', title: 'Space name taken' }] }, { status: 409 });
    return HttpResponse.json({ id: 'new', name: body.name }, { status: 201 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  attempts = 0;
});
afterAll(() => server.close());

describe('with openapi-fetch and msw (globalThis.fetch resolved per call)', () => {
  const makeClient = () => {
    const transport = createTransport({ auth: createFakeTokenProvider(), clock: createRecordingClock() });
    return { transport, client: createClient<paths>({ baseUrl: HOST, fetch: transport }) };
  };

  it('re-sends a POST body after 429 and surfaces HTTP errors as { error }', async () => {
    const { client } = makeClient();
    const created = await client.POST('/api/v1/spaces', { body: { name: 'dev' } });
    expect(created.data).toEqual({ id: 'new', name: 'dev' });
    expect(attempts).toBe(2);

    const conflict = await client.POST('/api/v1/spaces', { body: { name: 'taken' } });
    expect(conflict.response.status).toBe(409);
    const error = QlikHttpError.fromResponse(conflict.response, conflict.error);
    expect(error).toMatchObject({
      name: 'QlikConflictError',
      code: 'SPC-409',
      method: 'POST',
      url: `${HOST}/api/v1/spaces`,
    });
  });

  it('paginates through the client with a per-request fetch override', async () => {
    const { client, transport } = makeClient();
    const items = paginate({
      first: () =>
        client.GET('/api/v1/spaces', { params: { query: { limit: 2 } }, fetch: transport.with({ timeoutMs: 5_000 }) }),
      next: async (href) => (await transport(href)).json() as Promise<Page<{ id: string }>>,
    });
    expect((await collectAll(items, { limit: 10 })).map((s) => s.id)).toEqual(['s1', 's2', 's3']);
  });
});
