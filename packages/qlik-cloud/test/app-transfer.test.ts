import { isQlikNotFoundError, isQlikValidationError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, createQlikCloud, exportApp, exportAppStream, importApp } from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();
const qc = () => createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });
const QVF = new Uint8Array(Array.from({ length: 4096 }, (_, i) => i % 251));

function exportServer() {
  const exportQueries: Array<Record<string, string>> = [];
  server.use(
    http.post(`${BASE}/api/v1/apps/:appId/export`, ({ request }) => {
      exportQueries.push(Object.fromEntries(new URL(request.url).searchParams));
      return new HttpResponse(null, { status: 201, headers: { location: '/api/v1/temp-contents/tc-1?inline=1' } });
    }),
    http.get(`${BASE}/api/v1/temp-contents/tc-1`, ({ request }) => {
      expect(new URL(request.url).searchParams.get('inline')).toBe('1');
      expect(request.headers.get('authorization')).toBe('Bearer k');
      return new HttpResponse(QVF, { headers: { 'content-type': 'application/octet-stream' } });
    }),
  );
  return exportQueries;
}

describe('exportApp / exportAppStream', () => {
  it('follows the 201 Location to the temp content and returns the .qvf bytes', async () => {
    const queries = exportServer();
    const bytes = await exportApp(qc(), 'app-1', { noData: true });
    expect(bytes).toEqual(QVF);
    expect(queries).toEqual([{ NoData: 'true' }]);
  });

  it('streams the same bytes', async () => {
    exportServer();
    const stream = await exportAppStream(qc(), 'app-1');
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(bytes).toEqual(QVF);
  });

  it('throws the HTTP error kind when the app does not exist, and validates appId first', async () => {
    server.use(
      http.post(`${BASE}/api/v1/apps/:appId/export`, () =>
        HttpResponse.json({ errors: [{ code: 'AppNotFound', title: 'Not found' }] }, { status: 404 }),
      ),
    );
    await expect(exportApp(qc(), 'missing')).rejects.toSatisfy(isQlikNotFoundError);
    await expect(exportApp(qc(), '')).rejects.toSatisfy(isQlikValidationError);
  });
});

describe('importApp', () => {
  it('posts the bytes as octet-stream with the query options and returns the new app', async () => {
    let received: { query: Record<string, string>; type: string | null; bytes: Uint8Array } | undefined;
    server.use(
      http.post(`${BASE}/api/v1/apps/import`, async ({ request }) => {
        received = {
          query: Object.fromEntries(new URL(request.url).searchParams),
          type: request.headers.get('content-type'),
          bytes: new Uint8Array(await request.arrayBuffer()),
        };
        return HttpResponse.json({ attributes: { id: 'new-app', name: 'Sales', spaceId: 'sp1' } });
      }),
    );
    const app = await importApp(qc(), { bytes: QVF, spaceId: 'sp1', name: 'Sales', mode: 'NEW' });
    expect(app.attributes?.id).toBe('new-app');
    expect(received?.query).toEqual({ spaceId: 'sp1', name: 'Sales', mode: 'NEW' });
    expect(received?.type).toBe('application/octet-stream');
    expect(received?.bytes).toEqual(QVF);
  });

  it('replaces an existing app in place with mode AUTOREPLACE and its appId', async () => {
    let query: Record<string, string> | undefined;
    server.use(
      http.post(`${BASE}/api/v1/apps/import`, ({ request }) => {
        query = Object.fromEntries(new URL(request.url).searchParams);
        return HttpResponse.json({ attributes: { id: 'existing-app' } });
      }),
    );
    const app = await importApp(qc(), {
      bytes: QVF,
      appId: 'existing-app',
      mode: 'AUTOREPLACE',
      spaceId: 'sp1',
      name: 'Sales',
    });
    expect(app.attributes?.id).toBe('existing-app');
    expect(query).toEqual({ appId: 'existing-app', mode: 'AUTOREPLACE', spaceId: 'sp1', name: 'Sales' });
  });

  it('accepts a stream (export → import without buffering)', async () => {
    exportServer();
    let size = 0;
    server.use(
      http.post(`${BASE}/api/v1/apps/import`, async ({ request }) => {
        size = (await request.arrayBuffer()).byteLength;
        return HttpResponse.json({ attributes: { id: 'copy' } });
      }),
    );
    const app = await importApp(qc(), { stream: await exportAppStream(qc(), 'app-1') });
    expect(app.attributes?.id).toBe('copy');
    expect(size).toBe(QVF.byteLength);
  });

  it('rejects bad options before any request', async () => {
    const client = qc();
    for (const options of [
      {},
      { bytes: QVF, stream: new Response(QVF).body! },
      { bytes: new Uint8Array(0) },
      { bytes: QVF, mode: 'REPLACE' },
      { bytes: QVF, spaceId: '' },
      { bytes: QVF, appId: ' ' },
      { bytes: 'not bytes' },
    ]) {
      await expect(importApp(client, options as Parameters<typeof importApp>[1])).rejects.toSatisfy(
        isQlikValidationError,
      );
    }
  });
});
