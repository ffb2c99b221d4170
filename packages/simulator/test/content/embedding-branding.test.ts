import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/content/state.js';
import { HOST, useContentSim } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
/** An extension or theme archive as Qlik takes it: a folder with its .qext manifest and code. */
const bundleZip = (qextFilename: string, manifest: Record<string, unknown>): Uint8Array =>
  zipSync(
    {
      [`${qextFilename}/${qextFilename}.qext`]: strToU8(JSON.stringify(manifest)),
      [`${qextFilename}/${qextFilename}.js`]: strToU8('define([], function () { return {}; });'),
    },
    { mtime: '2026-01-01T00:00:00Z' },
  );
const ZIP = bundleZip('partner-viz', { name: 'Partner viz', type: 'visualization', version: '1.0.0' });
const ZIP2 = bundleZip('partner-viz', { name: 'Partner viz', type: 'visualization', version: '1.1.0' });

function form(parts: Record<string, string | Blob | [Blob, string]>): FormData {
  const fd = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (Array.isArray(value)) fd.append(name, value[0], value[1]);
    else fd.append(name, value);
  }
  return fd;
}

describe('web integrations and CSP origins (strict)', () => {
  const t = useContentSim();

  it('creates, lists, gets, patches and deletes web integrations', async () => {
    const created = await t.api('POST', '/api/v1/web-integrations', {
      name: 'Partner portal',
      validOrigins: ['https://portal.partner.example'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Partner portal', validOrigins: ['https://portal.partner.example'] });
    const id = created.body.id;
    for (let i = 0; i < 3; i++) await t.api('POST', '/api/v1/web-integrations', { name: `Other ${i}` });
    const first = await t.api('GET', '/api/v1/web-integrations?limit=2');
    expect(first.body.data.map((w: { name: string }) => w.name)).toEqual(['Other 0', 'Other 1']);
    const second = await t.api('GET', first.body.links.next.href);
    expect(second.body.data.map((w: { name: string }) => w.name)).toEqual(['Other 2', 'Partner portal']);
    expect(
      (await t.api('PATCH', `/api/v1/web-integrations/${id}`, [{ op: 'replace', path: '/name', value: 'Portal' }]))
        .status,
    ).toBe(204);
    expect((await t.api('GET', `/api/v1/web-integrations/${id}`)).body.name).toBe('Portal');
    expect((await t.api('DELETE', `/api/v1/web-integrations/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/web-integrations/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('creates, lists, gets, puts and deletes CSP origins, and builds the header', async () => {
    const created = await t.api('POST', '/api/v1/csp-origins', {
      name: 'portal',
      origin: 'portal.partner.example',
      frameAncestors: true,
      imgSrc: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (await t.api('GET', '/api/v1/csp-origins?frameAncestors=true')).body.data.map((c: { id: string }) => c.id),
    ).toEqual([id]);
    expect((await t.api('GET', '/api/v1/csp-origins?scriptSrc=true')).body.data).toEqual([]);
    const header = await t.api('GET', '/api/v1/csp-origins/actions/generate-header');
    expect(header.body['Content-Security-Policy']).toMatch(/frame-ancestors 'self' portal\.partner\.example/);
    const put = await t.api('PUT', `/api/v1/csp-origins/${id}`, {
      name: 'portal',
      origin: 'app.partner.example',
      scriptSrc: true,
    });
    expect(put.body).toMatchObject({ origin: 'app.partner.example', scriptSrc: true });
    expect(put.body.frameAncestors).toBeUndefined();
    expect((await t.api('GET', `/api/v1/csp-origins/${id}`)).body.origin).toBe('app.partner.example');
    expect((await t.api('DELETE', `/api/v1/csp-origins/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/csp-origins/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });
});

describe('brands, extensions, themes and data files (strict, multipart)', () => {
  const t = useContentSim();

  it('creates a brand with files, activates one brand at a time, serves and deletes files', async () => {
    const styles = new Blob([JSON.stringify({ primaryColor: '#123456' })], { type: 'application/json' });
    const res = await t.raw('POST', '/api/v1/brands', {
      body: form({
        name: 'Partner',
        logo: [new Blob([PNG], { type: 'image/png' }), 'logo.png'],
        styles: [styles, 'styles.json'],
      }),
    });
    expect(res.status).toBe(201);
    const brand = (await res.json()) as { id: string; files: Array<{ id: string }>; active: boolean };
    expect(brand.files.map((f) => f.id).sort()).toEqual(['logo', 'styles']);
    expect(brand.active).toBe(false);
    const other = (await (await t.raw('POST', '/api/v1/brands', { body: form({ name: 'Other' }) })).json()) as {
      id: string;
    };

    expect((await t.api('POST', `/api/v1/brands/${brand.id}/actions/activate`, {})).body.active).toBe(true);
    expect((await t.api('POST', `/api/v1/brands/${other.id}/actions/activate`, {})).body.active).toBe(true);
    expect((await t.api('GET', `/api/v1/brands/${brand.id}`)).body.active).toBe(false);
    expect((await t.api('POST', `/api/v1/brands/${other.id}/actions/deactivate`, {})).body.active).toBe(false);

    const logo = await t.raw('GET', `/api/v1/brands/${brand.id}/files/logo`);
    expect(new Uint8Array(await logo.arrayBuffer())).toEqual(PNG);
    const fav = await t.raw('POST', `/api/v1/brands/${brand.id}/files/favIcon`, {
      body: form({ file: [new Blob([new Uint8Array([0, 0, 1, 0])], { type: 'image/x-icon' }), 'favicon.ico'] }),
    });
    expect(fav.status).toBe(201);
    expect(((await fav.json()) as { id: string }).id).toBe('favIcon');
    expect(
      (await t.api('PATCH', `/api/v1/brands/${brand.id}`, [{ op: 'replace', path: '/description', value: 'dark' }]))
        .status,
    ).toBe(204);
    expect((await t.api('GET', `/api/v1/brands/${brand.id}`)).body.description).toBe('dark');
    expect((await t.api('DELETE', `/api/v1/brands/${brand.id}/files/logo`)).status).toBe(204);
    expect((await t.api('GET', '/api/v1/brands')).body.data).toHaveLength(2);
    expect((await t.api('DELETE', `/api/v1/brands/${brand.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/brands/${brand.id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  for (const kind of ['extensions', 'themes'] as const) {
    it(`uploads ${kind} (zip + metadata), gets by id or name, replaces the file, 409 on a duplicate, deletes`, async () => {
      const upload = (zip: Uint8Array, data: Record<string, unknown> = {}) =>
        t.raw('POST', `/api/v1/${kind}`, {
          body: form({
            data: JSON.stringify(data),
            file: [new Blob([zip], { type: 'application/zip' }), 'upload.zip'],
          }),
        });
      const created = await upload(ZIP, { tags: ['partner'] });
      expect(created.status).toBe(201);
      const record = (await created.json()) as Record<string, unknown> & { id: string };
      expect(record).toMatchObject({
        name: 'Partner viz',
        qextFilename: 'partner-viz',
        version: '1.0.0',
        tags: ['partner'],
        checksum: createHash('sha256').update(ZIP).digest('hex'),
      });
      expect((await upload(ZIP)).status).toBe(409);
      expect((await t.api('GET', `/api/v1/${kind}/partner-viz`)).body.id).toBe(record.id);
      const patched = await t.raw('PATCH', `/api/v1/${kind}/${record.id}`, {
        body: form({ data: JSON.stringify({}), file: [new Blob([ZIP2], { type: 'application/zip' }), 'v2.zip'] }),
      });
      expect(patched.status).toBe(200);
      const body = (await patched.json()) as { version?: string; data?: Array<{ version: string }> };
      expect(kind === 'themes' ? body.data?.[0]?.version : body.version).toBe('1.1.0');
      const file = await t.raw('GET', `/api/v1/${kind}/${record.id}/file`);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(ZIP2);
      const tenant = t.sim.state.tenantByHost(HOST);
      if (!tenant) throw new Error('no tenant');
      const stored = contentOf(tenant)[kind].get(record.id);
      expect(stored?.file).toMatchObject({
        size: ZIP2.byteLength,
        sha256: createHash('sha256').update(ZIP2).digest('hex'),
      });
      expect((await t.api('GET', `/api/v1/${kind}`)).body.data).toHaveLength(1);
      expect((await t.api('DELETE', `/api/v1/${kind}/${record.id}`)).status).toBe(204);
      expect((await t.api('GET', `/api/v1/${kind}/${record.id}`)).status).toBe(404);
      expect(t.sim.violations).toEqual([]);
    });

    it(`names ${kind} after the .qext inside the zip, not after the upload's part (as @qlik/api sends "blob")`, async () => {
      const post = (zip: Uint8Array) => {
        const fd = new FormData();
        fd.append('file', new Blob([zip], { type: 'application/zip' }), 'blob');
        return t.raw('POST', `/api/v1/${kind}`, { body: fd });
      };
      const first = await post(bundleZip('kpi-card', { name: 'KPI card', version: '2.0.0' }));
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ name: 'KPI card', qextFilename: 'kpi-card', version: '2.0.0' });
      const second = await post(bundleZip('gauge', { name: 'Gauge' }));
      expect(second.status).toBe(201);
      expect(await second.json()).toMatchObject({ name: 'Gauge', qextFilename: 'gauge' });
      expect((await post(bundleZip('kpi-card', { name: 'Another' }))).status).toBe(409);
      const noManifest = await post(zipSync({ 'readme.txt': strToU8('no manifest') }));
      expect(noManifest.status).toBe(422);
      expect((await post(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).status).toBe(422);
      for (const b of (await t.api('GET', `/api/v1/${kind}`)).body.data as Array<{ id: string }>)
        await t.api('DELETE', `/api/v1/${kind}/${b.id}`);
      expect(t.sim.violations).toEqual([]);
    });
  }

  it('uploads, lists, gets, replaces and deletes data files', async () => {
    const upload = (name: string, bytes: Uint8Array) =>
      t.raw('POST', '/api/v1/data-files', {
        body: form({ Json: JSON.stringify({ name }), File: [new Blob([bytes]), name] }),
      });
    const created = await upload('customers.csv', new TextEncoder().encode('id,name\n1,a\n'));
    expect(created.status).toBe(201);
    const file = (await created.json()) as { id: string; size: number };
    expect(file.size).toBe(12);
    expect((await upload('customers.csv', new Uint8Array([1]))).status).toBe(409);
    await upload('orders.csv', new Uint8Array([1, 2]));
    const listed = await t.api('GET', '/api/v1/data-files?baseNameWildcard=cust*');
    expect(listed.body.data.map((f: { name: string }) => f.name)).toEqual(['customers.csv']);
    const paged = await t.api('GET', '/api/v1/data-files?limit=1');
    expect(paged.body.data).toHaveLength(1);
    expect((await t.api('GET', paged.body.links.next.href)).body.data).toHaveLength(1);
    const replaced = await t.raw('PUT', `/api/v1/data-files/${file.id}`, {
      body: form({ File: [new Blob([new Uint8Array([7, 7, 7])]), 'x'] }),
    });
    expect(replaced.status).toBe(201);
    expect((await t.api('GET', `/api/v1/data-files/${file.id}`)).body.size).toBe(3);
    expect((await t.api('DELETE', `/api/v1/data-files/${file.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/data-files/${file.id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });
});
