import { isQlikHttpError, isQlikValidationError } from '@qlik-oem/core';
import { apiKey, createQlikCloud } from '@qlik-oem/qlik-cloud';
import { describe, expect, it } from 'vitest';
import { createTemplateExportCache } from '../src/recipes/template-export.js';

const HOST = 'partner.eu.qlikcloud.com';

/** A source tenant whose first export answers 400; later exports work. Counts every call. */
function flakySource() {
  const calls: string[] = [];
  let exportsAnswered = 0;
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    calls.push(`${request.method} ${pathname}`);
    if (request.method === 'GET' && pathname === '/api/v1/apps/tpl') {
      return Response.json({ attributes: { id: 'tpl', name: 'Template', modifiedDate: '2026-01-01T00:00:00.000Z' } });
    }
    if (request.method === 'POST' && pathname === '/api/v1/apps/tpl/export') {
      exportsAnswered += 1;
      if (exportsAnswered === 1)
        return new Response('app is being saved', { status: 400, headers: { 'content-type': 'text/plain' } });
      return new Response(null, { status: 201, headers: { location: `/api/v1/temp-contents/t${exportsAnswered}` } });
    }
    if (request.method === 'GET' && pathname.startsWith('/api/v1/temp-contents/')) {
      return new Response(new TextEncoder().encode(`qvf-${pathname.split('/').at(-1)}`), {
        headers: { 'content-type': 'application/octet-stream' },
      });
    }
    return new Response('not here', { status: 404 });
  };
  const qc = createQlikCloud({
    host: HOST,
    auth: apiKey('test-key'),
    fetch: fetchImpl,
    pacing: false,
    retry: false,
  });
  return { env: { source: () => qc }, calls };
}

describe('createTemplateExportCache', () => {
  it('reads the template once, does not keep a failed export, and exports once after that', async () => {
    const { env, calls } = flakySource();
    const cache = createTemplateExportCache(env);
    const [a, b] = await Promise.all([cache.metadata('tpl'), cache.metadata('tpl')]);
    expect(a).toEqual({ appId: 'tpl', name: 'Template', modifiedDate: '2026-01-01T00:00:00.000Z' });
    expect(b).toBe(a);
    expect(calls.filter((c) => c === 'GET /api/v1/apps/tpl')).toHaveLength(1);

    const failed = await Promise.allSettled([cache.bytes('tpl'), cache.bytes('tpl')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(isQlikHttpError((failed[0] as PromiseRejectedResult).reason)).toBe(true);

    const bytes = await Promise.all([cache.bytes('tpl'), cache.bytes('tpl'), cache.bytes('tpl')]);
    expect(new TextDecoder().decode(bytes[0])).toBe('qvf-t2');
    expect(bytes.every((b) => b === bytes[0])).toBe(true);
    expect(calls.filter((c) => c === 'POST /api/v1/apps/tpl/export')).toHaveLength(2);
    expect(cache.exportCount).toBe(2);
  });

  it('rejects an empty app id before any request', async () => {
    const { env, calls } = flakySource();
    const cache = createTemplateExportCache(env);
    for (const pending of [cache.bytes('  '), cache.metadata('')]) {
      const thrown = await pending.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isQlikValidationError(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(/template app id must be a non-empty string/);
    }
    expect(calls).toEqual([]);
  });
});
