import { describe, expect, it } from 'vitest';
import { decodeQvf, encodeQvf, type QvfContent } from '../../src/content/qvf.js';
import { type ContentSim, createSpace, importAppFile, useContentSim, useDevAndProdSpaces } from './helpers.js';

const template: QvfContent = {
  name: 'Template',
  description: 'The partner template',
  script: "LIB CONNECT TO 'Customer DB';\nLOAD 1 AS x AUTOGENERATE 1;",
  properties: { theme: 'partner' },
  objects: [
    {
      id: 'overview',
      type: 'sheet',
      properties: { qInfo: { qId: 'overview', qType: 'sheet' }, qMetaDef: { title: 'Overview' } },
      kind: 'base',
    },
  ],
  hasData: true,
};

const importApp = (t: ContentSim, query: string, bytes: Uint8Array = encodeQvf(template)) =>
  importAppFile(t, query, bytes);

describe('apps, items and temp-contents (strict)', () => {
  const t = useContentSim();
  const spaces = useDevAndProdSpaces(t);

  it('imports QVF bytes into a space, and the app has an item', async () => {
    const imported = await importApp(t, `spaceId=${spaces.shared}&name=Customer%20A&mode=NEW`);
    expect(imported.status).toBe(200);
    const attributes = imported.body.attributes;
    expect(attributes).toMatchObject({
      name: 'Customer A',
      spaceId: spaces.shared,
      published: false,
      description: 'The partner template',
    });
    const got = await t.api('GET', `/api/v1/apps/${attributes.id}`);
    expect(got.body.attributes.id).toBe(attributes.id);
    const items = await t.api('GET', `/api/v1/items?resourceType=app&resourceId=${attributes.id}`);
    expect(items.body.data).toHaveLength(1);
    expect(items.body.data[0]).toMatchObject({
      resourceType: 'app',
      resourceId: attributes.id,
      spaceId: spaces.shared,
      name: 'Customer A',
    });
    expect(items.body.data[0].resourceAttributes.id).toBe(attributes.id);
    const item = await t.api('GET', `/api/v1/items/${items.body.data[0].id}`);
    expect(item.body.resourceId).toBe(attributes.id);
    expect(t.sim.violations).toEqual([]);
  });

  it('imports into an unknown space with 404', async () => {
    const res = await importApp(t, 'spaceId=000000000000000000000000&name=x');
    expect(res.status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('exports to a temp content (201 + Location) that round-trips through import', async () => {
    const app = (await importApp(t, `spaceId=${spaces.shared}&name=Exported`)).body.attributes;
    const exported = await t.raw('POST', `/api/v1/apps/${app.id}/export`);
    expect(exported.status).toBe(201);
    const location = exported.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/v1\/temp-contents\/[0-9a-f]{24}$/);
    const download = await t.raw('GET', location);
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(decodeQvf(bytes)).toMatchObject({ name: 'Exported', script: template.script, objects: template.objects });
    const details = await t.api('GET', `${location}/details`);
    expect(details.body).toMatchObject({ Name: 'Exported.qvf', Size: String(bytes.byteLength), TTLSeconds: 3600 });
    const ranged = await t.raw('GET', location, { headers: { range: 'bytes=0-11' } });
    expect(ranged.status).toBe(206);
    expect(new TextDecoder().decode(await ranged.arrayBuffer())).toBe('QOEMSIMQVF1\n');
    const copy = await importApp(t, `spaceId=${spaces.managed}&name=Reimported`, bytes);
    expect(copy.body.attributes).toMatchObject({ name: 'Reimported', spaceId: spaces.managed });
    expect((await t.raw('POST', '/api/v1/apps/unknown/export')).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('expires temp contents after their TTL (410)', async () => {
    const up = await t.raw('POST', '/api/v1/temp-contents?filename=a.bin&ttl=60', {
      body: new Uint8Array([1, 2, 3]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(up.status).toBe(201);
    const location = up.headers.get('location') ?? '';
    expect(new Uint8Array(await (await t.raw('GET', location)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    t.clock.advance(61_000);
    expect((await t.raw('GET', location)).status).toBe(410);
    expect((await t.raw('GET', '/api/v1/temp-contents/000000000000000000000000')).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('copies, moves space, changes owner, renames, deletes (and the item goes with the app)', async () => {
    const app = (await importApp(t, `spaceId=${spaces.shared}&name=Original`)).body.attributes;
    const copy = await t.api('POST', `/api/v1/apps/${app.id}/copy`, {
      attributes: { name: 'Copy', spaceId: spaces.managed },
    });
    expect(copy.body.attributes).toMatchObject({ name: 'Copy', spaceId: spaces.managed });
    expect(copy.body.attributes.id).not.toBe(app.id);
    const moved = await t.api('PUT', `/api/v1/apps/${app.id}/space`, { spaceId: spaces.managed });
    expect(moved.body.attributes.spaceId).toBe(spaces.managed);
    const removed = await t.api('DELETE', `/api/v1/apps/${app.id}/space`);
    expect(removed.body.attributes.spaceId).toBeUndefined();
    const renamed = await t.api('PUT', `/api/v1/apps/${app.id}`, { attributes: { name: 'Renamed' } });
    expect(renamed.body.attributes.name).toBe('Renamed');
    const owner = await t.api('PUT', `/api/v1/apps/${app.id}/owner`, { ownerId: 'new-owner' });
    expect(owner.body.attributes.ownerId).toBe('new-owner');
    expect((await t.api('PUT', '/api/v1/apps/unknown/owner', { ownerId: 'x' })).status).toBe(404);
    // Now in another user's personal space: the bot (without the admin.apps scope) can no longer touch it.
    expect((await t.api('PUT', `/api/v1/apps/${app.id}`, { attributes: { name: 'Again' } })).status).toBe(403);
    expect((await t.api('DELETE', `/api/v1/apps/${app.id}`)).status).toBe(403);
    expect((await t.api('GET', `/api/v1/items?resourceId=${app.id}`)).body.data).toEqual([]);
    expect(t.sim.violations).toEqual([]);
  });

  it('publishes to a managed space with originAppId, and republishes over the same target id', async () => {
    const source = (await importApp(t, `spaceId=${spaces.shared}&name=Source`)).body.attributes;
    const published = await t.api('POST', `/api/v1/apps/${source.id}/publish`, {
      spaceId: spaces.managed,
      attributes: { name: 'Source (prod)', description: 'For customers' },
    });
    expect(published.status).toBe(200);
    const target = published.body.attributes;
    expect(target).toMatchObject({
      published: true,
      originAppId: source.id,
      spaceId: spaces.managed,
      name: 'Source (prod)',
      description: 'For customers',
    });
    expect(target.id).not.toBe(source.id);
    expect(target.publishTime).toBeDefined();

    // Found the way partners look for it: items in the managed space with resourceAttributes.originAppId.
    const items = await t.api('GET', `/api/v1/items?resourceType=app&spaceId=${spaces.managed}&limit=100`);
    const match = items.body.data.find((i: any) => i.resourceAttributes.originAppId === source.id);
    expect(match.resourceId).toBe(target.id);

    const republished = await t.api('PUT', `/api/v1/apps/${source.id}/publish`, {
      targetId: target.id,
      attributes: { name: 'Source v2', description: 'For customers, v2' },
    });
    expect(republished.status).toBe(200);
    expect(republished.body.attributes).toMatchObject({
      id: target.id,
      name: 'Source v2',
      description: 'For customers, v2',
      spaceId: spaces.managed,
      originAppId: source.id,
    });
    expect(t.sim.violations).toEqual([]);
  });

  it('pages items with a cursor and filters by name and space', async () => {
    const space = await createSpace(t, 'Many', 'shared');
    for (let i = 0; i < 13; i++) await importApp(t, `spaceId=${space}&name=App%20${i}`);
    const first = await t.api('GET', `/api/v1/items?spaceId=${space}&sort=%2Bname&limit=5`);
    expect(first.body.data).toHaveLength(5);
    const seen: string[] = first.body.data.map((i: any) => i.name);
    let next = first.body.links.next?.href;
    for (let guard = 0; next && guard < 10; guard++) {
      const page = await t.api('GET', next);
      seen.push(...page.body.data.map((i: any) => i.name));
      next = page.body.links.next?.href;
    }
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    expect((await t.api('GET', `/api/v1/items?name=App%203`)).body.data.map((i: any) => i.name)).toEqual(['App 3']);
    expect(t.sim.violations).toEqual([]);
  });
});

describe('apps: statuses Qlik sends that the spec does not list (strict: allowed per route)', () => {
  const t = useContentSim();
  const spaces = useDevAndProdSpaces(t);

  it('answers 400 to bytes that are not an app file, and creates nothing', async () => {
    const before = (await t.api('GET', '/api/v1/items?limit=100')).body.data.length;
    const res = await importApp(
      t,
      `spaceId=${spaces.shared}&name=Bad`,
      new TextEncoder().encode('PK\u0003\u0004 not a qvf'),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/not a valid app/);
    expect((await t.api('GET', '/api/v1/items?limit=100')).body.data.length).toBe(before);
  });

  it('answers 404 for an unknown app', async () => {
    expect((await t.api('GET', '/api/v1/apps/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('refuses to publish to a shared space', async () => {
    const app = (await importApp(t, `spaceId=${spaces.shared}&name=A`)).body.attributes;
    const res = await t.api('POST', `/api/v1/apps/${app.id}/publish`, { spaceId: spaces.shared });
    expect(res.status).toBe(400);
  });

  it('republish keeps the target id and its users’ own sheets, and refuses a target of another origin', async () => {
    const source = (await importApp(t, `spaceId=${spaces.shared}&name=Source`)).body.attributes;
    const other = (await importApp(t, `spaceId=${spaces.shared}&name=Other`)).body.attributes;
    const target = (await t.api('POST', `/api/v1/apps/${source.id}/publish`, { spaceId: spaces.managed })).body
      .attributes;
    // An end user's own sheet on the published app (as the engine would save it).
    const { contentOf } = await import('../../src/content/state.js');
    const tenant = t.sim.state.tenantByHost('source.eu.qlikcloud.com');
    if (!tenant) throw new Error('no tenant');
    const published = contentOf(tenant).apps.get(target.id);
    published?.objects.push({
      ...{
        id: 'mine',
        type: 'sheet',
        properties: { qInfo: { qId: 'mine', qType: 'sheet' }, qMetaDef: { title: 'My analysis' } },
        kind: 'user',
      },
      ownerId: 'end-user',
    });
    contentOf(tenant).apps.get(source.id)!.script = 'LOAD 2 AS y AUTOGENERATE 1;';

    const mismatch = await t.api('PUT', `/api/v1/apps/${other.id}/publish`, { targetId: target.id });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatch(/was published from/);
    expect(contentOf(tenant).apps.get(target.id)?.script).toBe(template.script);

    const ok = await t.api('PUT', `/api/v1/apps/${source.id}/publish`, { targetId: target.id });
    expect(ok.status).toBe(200);
    expect(ok.body.attributes.id).toBe(target.id);
    const after = contentOf(tenant).apps.get(target.id);
    expect(after?.script).toBe('LOAD 2 AS y AUTOGENERATE 1;');
    expect(after?.objects.map((o) => o.id)).toEqual(['overview', 'mine']);

    const unchecked = await t.api('PUT', `/api/v1/apps/${other.id}/publish`, {
      targetId: target.id,
      checkOriginAppId: false,
    });
    expect(unchecked.status).toBe(200);
    expect(t.sim.violations).toEqual([]);
  });

  it('still flags a status that is neither declared nor documented', async () => {
    // DELETE /apps/{appId} declares only 200 and its route lists no extra status: a 404 is a violation.
    const res = await t.api('DELETE', '/api/v1/apps/00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(500);
    expect(t.sim.violations.map((v) => v.pointer)).toEqual(['/status']);
  });
});

describe('app script versions (strict)', () => {
  const t = useContentSim();

  it('saves a script version, serves it as current, and a REST reload uses it', async () => {
    const space = await createSpace(t, 'S', 'shared');
    const app = (await importApp(t, `spaceId=${space}&name=Scripted`)).body.attributes;
    const saved = await t.api('POST', `/api/v1/apps/${app.id}/scripts`, {
      script: 'LOAD 1 AS x AUTOGENERATE 1;',
      versionMessage: 'customer A',
    });
    expect(saved.status).toBe(200);
    t.clock.advance(1000);
    await t.api('POST', `/api/v1/apps/${app.id}/scripts`, { script: "LIB CONNECT TO 'Nope';", versionMessage: 'v2' });
    const list = await t.api('GET', `/api/v1/apps/${app.id}/scripts`);
    expect(list.body.scripts.map((s: { versionMessage: string }) => s.versionMessage)).toEqual(['v2', 'customer A']);
    expect((await t.api('GET', `/api/v1/apps/${app.id}/scripts/current`)).body.script).toBe("LIB CONNECT TO 'Nope';");
    const older = list.body.scripts[1].scriptId;
    expect((await t.api('GET', `/api/v1/apps/${app.id}/scripts/${older}`)).body.script).toBe(
      'LOAD 1 AS x AUTOGENERATE 1;',
    );
    const reload = (await t.api('POST', '/api/v1/reloads', { appId: app.id })).body.id;
    t.clock.advance(10_000);
    expect((await t.api('GET', `/api/v1/reloads/${reload}`)).body.errorMessage).toMatch(/'Nope' not found/);
    expect((await t.api('DELETE', `/api/v1/apps/${app.id}/scripts/${older}`)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/apps/${app.id}/scripts`)).body.scripts).toHaveLength(1);
    expect(t.sim.violations).toEqual([]);
  });
});
