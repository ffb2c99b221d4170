import { isQlikNotFoundError, isQlikPageLimitError, isQlikValidationError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, collectAll, createQlikCloud, paginate } from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();
const qc = () => createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });

/** Serves `total` spaces in pages of `pageSize`, with an absolute `links.next.href` carrying an opaque cursor. */
function spacesServer(total: number, pageSize: number) {
  const queries: Array<Record<string, string>> = [];
  server.use(
    http.get(`${BASE}/api/v1/spaces`, ({ request }) => {
      const url = new URL(request.url);
      queries.push(Object.fromEntries(url.searchParams));
      const start = url.searchParams.has('next')
        ? Number(Buffer.from(url.searchParams.get('next')!, 'base64url').toString())
        : 0;
      const data = Array.from({ length: Math.min(pageSize, total - start) }, (_, i) => ({
        id: `s${start + i}`,
        name: `Space ${start + i}`,
        type: 'managed',
      }));
      const nextStart = start + pageSize;
      const next = new URL(url);
      next.searchParams.set('next', Buffer.from(String(nextStart)).toString('base64url'));
      return HttpResponse.json({
        data,
        links: { self: { href: url.href }, ...(nextStart < total ? { next: { href: next.href } } : {}) },
      });
    }),
  );
  return queries;
}

describe('paginate', () => {
  it('yields typed items across pages, keeping the caller query on every page', async () => {
    const queries = spacesServer(7, 3);
    const names: string[] = [];
    for await (const space of paginate(qc().spaces, '/api/v1/spaces', {
      params: { query: { type: 'managed', limit: 3 } },
    })) {
      names.push(space.name);
    }
    expect(names).toEqual(['Space 0', 'Space 1', 'Space 2', 'Space 3', 'Space 4', 'Space 5', 'Space 6']);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toEqual({ type: 'managed', limit: '3' });
    expect(queries[2]).toMatchObject({ type: 'managed', limit: '3', next: Buffer.from('6').toString('base64url') });
  });

  it('follows the data-connections `page` cursor (relative href)', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/api/v1/data-connections`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page');
        seen.push(page);
        if (page === null) {
          return HttpResponse.json({
            data: [{ qID: 'c1', qName: 'Sales' }],
            links: {
              self: { href: '/api/v1/data-connections' },
              next: { href: '/api/v1/data-connections?page=JwAAAAlj%2Bc&spaceId=sp1' },
            },
          });
        }
        return HttpResponse.json({ data: [{ qID: 'c2', qName: 'HR' }], links: { self: { href: request.url } } });
      }),
    );
    const all = await collectAll(
      paginate(qc().dataConnections, '/api/v1/data-connections', { params: { query: { spaceId: 'sp1' } } }),
      { limit: 10 },
    );
    expect(all.map((c) => c.qName)).toEqual(['Sales', 'HR']);
    expect(seen).toEqual([null, 'JwAAAAlj+c']);
  });

  it('collectAll stops fetching at its limit and requires one', async () => {
    const queries = spacesServer(100, 10);
    const first = await collectAll(paginate(qc().spaces, '/api/v1/spaces'), { limit: 15 });
    expect(first.map((s) => s.id)).toEqual(Array.from({ length: 15 }, (_, i) => `s${i}`));
    expect(queries).toHaveLength(2);
    await expect(collectAll(paginate(qc().spaces, '/api/v1/spaces'), {} as { limit: number })).rejects.toSatisfy(
      isQlikValidationError,
    );
  });

  it('stops with QlikPageLimitError at maxPages, and throws HTTP errors as QlikHttpError kinds', async () => {
    spacesServer(100, 10);
    await expect(
      collectAll(paginate(qc().spaces, '/api/v1/spaces', undefined, { maxPages: 2 }), { limit: 1000 }),
    ).rejects.toSatisfy(isQlikPageLimitError);
    server.use(
      http.get(`${BASE}/api/v1/items`, () =>
        HttpResponse.json({ errors: [{ code: 'NOT_FOUND', title: 'no such space' }] }, { status: 404 }),
      ),
    );
    await expect(
      collectAll(paginate(qc().items, '/api/v1/items', { params: { query: { spaceId: 'gone' } } }), { limit: 5 }),
    ).rejects.toSatisfy(isQlikNotFoundError);
  });
});
