import { createHash } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createQseowHost } from '../../src/qseow/index.js';
import { contentOf } from '../../src/content/state.js';
import type { TenantState } from '../../src/state/tenant.js';
import { addMultiCloudIdp, bearer, call, createQseowFixture, qvf, repoUser } from './helpers.js';

describe('QSEoW host: Xrfkey and authentication', () => {
  it('rejects a QRS call without an Xrfkey, or with differing query and header keys, with 400', async () => {
    const { host } = await createQseowFixture();
    const missing = await call(host, 'GET', '/qrs/about', { headers: repoUser, xrf: false });
    expect(missing.status).toBe(400);
    expect(String(missing.body)).toMatch(/XSRF/);
    const mismatched = await call(host, 'GET', '/qrs/about?xrfkey=AAAAAAAAAAAAAAAA', {
      headers: { ...repoUser, 'x-qlik-xrfkey': 'BBBBBBBBBBBBBBBB' },
      xrf: false,
    });
    expect(mismatched.status).toBe(400);
    const ok = await call(host, 'GET', '/qrs/about', { headers: repoUser });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ buildVersion: expect.any(String), nodeType: 1 });
  });

  it('serves QRS through the JWT virtual proxy only with a JWT signed by the configured key', async () => {
    const { host, jwt } = await createQseowFixture();
    expect((await call(host, 'GET', '/jwt/qrs/about')).status).toBe(401);
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT({ userid: 'bur', userdirectory: 'jwt' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(stranger.privateKey);
    expect((await call(host, 'GET', '/jwt/qrs/about', { headers: bearer(forged) })).status).toBe(401);
    expect((await call(host, 'GET', '/JWT/qrs/About', { headers: bearer(jwt) })).status).toBe(200);
  });

  it('requires a trusted client on the repository port, and the X-Qlik-User header', async () => {
    const { clock } = await createQseowFixture();
    const untrusting = createQseowHost({ hostname: 'other.partner.local' }, { clock });
    const denied = await call(untrusting, 'GET', '/qrs/about', { headers: repoUser });
    expect(denied.status).toBe(403);
    const { host } = await createQseowFixture();
    expect((await call(host, 'GET', '/qrs/about')).status).toBe(400);
  });

  it('trusts X-Qlik-User on the repository port for a listed client certificate only', async () => {
    const { clock } = await createQseowFixture();
    const certificate = Buffer.from('client certificate DER bytes');
    const fingerprint = createHash('sha256').update(certificate).digest('hex').toUpperCase().match(/../g)!.join(':');
    const site = createQseowHost(
      { hostname: 'certs.partner.local', trustedClientCertificateFingerprints: [fingerprint] },
      { clock },
    );
    const withPeer = (raw: Buffer | undefined) =>
      ({ socket: { getPeerCertificate: () => (raw ? { raw } : {}) } }) as never;
    const request = (raw: Buffer | undefined) => {
      const url = new URL('https://certs.partner.local/qrs/about?xrfkey=abcdefghijklmnop');
      return site.handle(
        {
          method: 'GET',
          path: url.pathname,
          url,
          params: {},
          query: url.searchParams,
          headers: { ...repoUser, 'x-qlik-xrfkey': 'abcdefghijklmnop' },
          body: undefined,
          rawBody: Buffer.alloc(0),
          host: url.hostname,
          raw: withPeer(raw),
        },
        { sim: undefined as never, tenant: undefined, principal: undefined, clock, region: '' },
      );
    };
    expect((await request(certificate)).status).toBe(200);
    expect((await request(Buffer.from('another certificate'))).status).toBe(403);
    expect((await request(undefined)).status).toBe(403);
  });

  it('answers 409 to a PUT that carries a stale modifiedDate, and accepts the current one', async () => {
    const { host, clock } = await createQseowFixture();
    const created = await call(host, 'POST', '/qrs/custompropertydefinition', {
      headers: repoUser,
      body: { name: 'deployments', valueType: 'Text', choiceValues: [], objectTypes: ['App'] },
    });
    expect(created.status).toBe(201);
    const def = created.body as { id: string; modifiedDate: string };
    clock.advance(1000);
    const first = await call(host, 'PUT', `/qrs/custompropertydefinition/${def.id}`, {
      headers: repoUser,
      body: { ...def, choiceValues: ['a'] },
    });
    expect(first.status).toBe(200);
    const stale = await call(host, 'PUT', `/qrs/custompropertydefinition/${def.id}`, {
      headers: repoUser,
      body: { ...def, choiceValues: ['b'] },
    });
    expect(stale.status).toBe(409);
    const missing = await call(host, 'PUT', `/qrs/custompropertydefinition/${def.id}`, {
      headers: repoUser,
      body: { ...def, modifiedDate: undefined },
    });
    expect(missing.status).toBe(409);
  });

  it('validates QRS bodies against the spec in strict mode', async () => {
    const { host } = await createQseowFixture();
    const bad = await call(host, 'POST', '/qrs/systemrule', {
      headers: repoUser,
      body: { name: 'x', resourceFilter: 'App_*', actions: 'Distribute' },
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body)).toMatch(/does not match the QRS spec.*actions/);
    const good = await call(host, 'POST', '/qrs/systemrule', {
      headers: repoUser,
      body: { name: 'x', resourceFilter: 'App_*', actions: 1024, category: 'Security', rule: '' },
    });
    expect(good.status).toBe(201);
  });
});

/** Uploads, routes and publishes an app through the JWT proxy; returns the app id and the deployment token. */
async function routeAndPublish(
  f: Awaited<ReturnType<typeof createQseowFixture>>,
  tenantHost: string,
  deploymentName: string,
) {
  const auth = { headers: bearer(f.jwt) };
  const dep = await call(f.host, 'POST', '/jwt/api/hds/v1/Deployments', {
    ...auth,
    xrf: false,
    body: { name: deploymentName, audience: 'qlik.api', serviceUrl: `https://${tenantHost}`, localBearerToken: true },
  });
  expect(dep.status).toBe(201);
  const deploymentId = (dep.body as { id: string }).id;
  const tokenResponse = await call(
    f.host,
    'GET',
    `/jwt/api/hds/v1/Deployments/${deploymentId}/elastictokenconfig?qcsFormat=True`,
    { ...auth, xrf: false },
  );
  expect(tokenResponse.headers?.['content-type']).toMatch(/text\/plain/);
  const token = String(tokenResponse.body);
  const uploaded = await call(f.host, 'POST', '/jwt/qrs/app/upload?name=Sales', { ...auth, raw: qvf('LOAD 1 AS v1;') });
  const app = uploaded.body as { id: string };
  const def = (
    await call(f.host, 'POST', '/jwt/qrs/custompropertydefinition', {
      ...auth,
      body: { name: 'deployments', valueType: 'Text', choiceValues: [deploymentName], objectTypes: ['App'] },
    })
  ).body as { id: string };
  const current = (await call(f.host, 'GET', `/jwt/qrs/app/${app.id}`, auth)).body as Record<string, unknown>;
  const routed = await call(f.host, 'PUT', `/jwt/qrs/app/${app.id}`, {
    ...auth,
    body: {
      ...current,
      customProperties: [{ value: deploymentName, definition: { id: def.id, name: 'deployments', valueType: 'Text' } }],
    },
  });
  expect(routed.body).toMatchObject({ customProperties: [{ value: deploymentName }] });
  await call(f.host, 'POST', '/jwt/qrs/systemrule', {
    ...auth,
    body: {
      name: 'Distribute by deployments',
      category: 'Security',
      type: 'Custom',
      resourceFilter: 'App_*',
      actions: 1024,
      rule: '((resource.@deployments=subject.name))',
    },
  });
  const stream = await call(f.host, 'POST', '/jwt/qrs/stream', {
    ...auth,
    body: { name: 'Customers', owner: { userDirectory: 'jwt', userId: 'bur' } },
  });
  expect(stream.status, String(stream.body)).toBe(201);
  const published = await call(
    f.host,
    'PUT',
    `/jwt/qrs/app/${app.id}/publish?stream=${(stream.body as { id: string }).id}`,
    auth,
  );
  expect(published.body).toMatchObject({ published: true, stream: { name: 'Customers' } });
  return { appId: app.id, token };
}

describe('QSEoW host: distribution to Qlik Cloud', () => {
  const cloudApp = (tenant: TenantState, appId: string) => contentOf(tenant).apps.get(appId);

  it('lands a published, routed app in the deployment tenant, staged, with the same id, after the delay', async () => {
    const f = await createQseowFixture();
    const { appId, token } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
    // The tenant's IdP may be created after the publish: the token is checked when QSEoW delivers.
    addMultiCloudIdp(f.sim, f.tenantA, token);
    f.clock.advance(4_999);
    expect(cloudApp(f.tenantA, appId)).toBeUndefined();
    f.clock.advance(1);
    await Promise.resolve();
    expect(cloudApp(f.tenantA, appId)).toMatchObject({
      id: appId,
      name: 'Sales',
      spaceId: undefined,
      distributed: true,
      script: 'LOAD 1 AS v1;',
    });
    expect(cloudApp(f.tenantB, appId)).toBeUndefined();
    expect(f.host.distributionLog).toEqual([
      expect.objectContaining({ appId, deploymentName: 'customer-a', outcome: 'delivered' }),
    ]);
  });

  it('replaces the data on later distributions and keeps the space the app was moved to', async () => {
    const f = await createQseowFixture();
    const { appId, token } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
    addMultiCloudIdp(f.sim, f.tenantA, token);
    f.clock.advance(5_000);
    await Promise.resolve();
    cloudApp(f.tenantA, appId)!.spaceId = 'managed-space-id'; // what the partner does after the first landing
    const v2 = (
      await call(f.host, 'POST', '/qrs/app/upload?name=Sales%20v2', { headers: repoUser, raw: qvf('LOAD 2 AS v2;') })
    ).body as { id: string };
    expect((await call(f.host, 'PUT', `/qrs/app/${v2.id}/replace?app=${appId}`, { headers: repoUser })).status).toBe(
      200,
    );
    f.clock.advance(5_000);
    await Promise.resolve();
    expect(cloudApp(f.tenantA, appId)).toMatchObject({
      id: appId,
      script: 'LOAD 2 AS v2;',
      spaceId: 'managed-space-id',
    });
  });

  it('re-distributes after a reload task finishes', async () => {
    const f = await createQseowFixture();
    const { appId, token } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
    addMultiCloudIdp(f.sim, f.tenantA, token);
    f.clock.advance(5_000);
    await Promise.resolve();
    const taskId = f.host.addReloadTask({ name: 'Reload Sales', appId });
    const session = await call(f.host, 'POST', `/qrs/task/${taskId}/start/synchronous`, { headers: repoUser });
    expect(session.status).toBe(201);
    f.clock.advance(2_000);
    await Promise.resolve();
    f.clock.advance(5_000);
    await Promise.resolve();
    expect(f.host.distributionLog.filter((d) => d.outcome === 'delivered')).toHaveLength(2);
  });

  it('never lands an app when the tenant IdP holds a different token', async () => {
    const f = await createQseowFixture();
    const { appId } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
    addMultiCloudIdp(f.sim, f.tenantA, Buffer.from('someone-else').toString('base64'));
    f.clock.advance(60_000);
    await Promise.resolve();
    expect(cloudApp(f.tenantA, appId)).toBeUndefined();
    expect(f.host.distributionLog).toEqual([
      expect.objectContaining({ appId, outcome: 'rejected-token', tenantHost: f.tenantA.hostname }),
    ]);
  });

  it('does not distribute a published app that no policy routes to the deployment', async () => {
    const f = await createQseowFixture();
    const { appId, token } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
    addMultiCloudIdp(f.sim, f.tenantA, token);
    const other = (
      await call(f.host, 'POST', '/qrs/app/upload?name=Unrouted', { headers: repoUser, raw: qvf('LOAD 3;') })
    ).body as { id: string };
    const streams = (await call(f.host, 'GET', "/qrs/stream?filter=name eq 'Customers'", { headers: repoUser }))
      .body as Array<{ id: string }>;
    expect(streams).toHaveLength(1);
    await call(f.host, 'PUT', `/qrs/app/${other.id}/publish?stream=${streams[0]!.id}`, { headers: repoUser });
    f.clock.advance(10_000);
    await Promise.resolve();
    expect(cloudApp(f.tenantA, appId)).toBeDefined();
    expect(cloudApp(f.tenantA, other.id)).toBeUndefined();
  });

  it('rejects an upload that is not an app file', async () => {
    const f = await createQseowFixture();
    const bad = await call(f.host, 'POST', '/qrs/app/upload?name=Junk', {
      headers: repoUser,
      raw: Buffer.from('not a qvf'),
    });
    expect(bad.status).toBe(400);
  });
});

describe('QSEoW host: the switches for what hds and distribution do where no source says', () => {
  const createDeployment = (f: Awaited<ReturnType<typeof createQseowFixture>>, name: string) =>
    call(f.host, 'POST', '/jwt/api/hds/v1/Deployments', {
      headers: bearer(f.jwt),
      xrf: false,
      body: { name, audience: 'qlik.api', serviceUrl: `https://${f.tenantA.hostname}`, localBearerToken: true },
    });
  const list = (f: Awaited<ReturnType<typeof createQseowFixture>>, pathAndQuery = '/jwt/api/hds/v1/Deployments') =>
    call(f.host, 'GET', pathAndQuery, { headers: bearer(f.jwt), xrf: false });

  it('hdsDeploymentList: one array ("array"), pages of { data, links.next } ("paged"), or a 404 ("absent")', async () => {
    const f = await createQseowFixture();
    for (let i = 0; i < 12; i++) expect((await createDeployment(f, `customer-${i}`)).status).toBe(201);
    expect(f.sim.behaviour.hdsDeploymentList).toBe('array');
    expect((await list(f)).body).toHaveLength(12);

    f.sim.behaviour.hdsDeploymentList = 'paged';
    const first = (await list(f)).body as { data: unknown[]; links: { next?: { href: string } } };
    expect(first.data).toHaveLength(10);
    const next = new URL(first.links.next!.href);
    expect(next.origin).toBe('https://qseow.partner.local');
    const second = (await list(f, `${next.pathname}${next.search}`)).body as typeof first;
    expect(second.data).toHaveLength(2);
    expect(second.links.next).toBeUndefined();
    const names = [...first.data, ...second.data].map((d) => (d as { name: string }).name);
    expect(new Set(names).size).toBe(12);

    f.sim.behaviour.hdsDeploymentList = 'absent';
    expect((await list(f)).status).toBe(404);
  });

  it('hdsDeploymentNames: a taken name is a 409 ("unique") or a second deployment ("duplicates")', async () => {
    const f = await createQseowFixture();
    expect((await createDeployment(f, 'customer-a')).status).toBe(201);
    expect((await createDeployment(f, 'Customer-A')).status).toBe(409);
    f.sim.behaviour.hdsDeploymentNames = 'duplicates';
    const again = await createDeployment(f, 'customer-a');
    expect(again.status).toBe(201);
    expect((await list(f)).body).toHaveLength(2);
  });

  it.each(['moves', 'kept'] as const)(
    'redistributionPublishTime "%s": a metadata-only re-distribution writes the app; its publish time moves only in "moves"',
    async (mode) => {
      const f = await createQseowFixture();
      f.sim.behaviour.redistributionPublishTime = mode;
      const { appId, token } = await routeAndPublish(f, f.tenantA.hostname, 'customer-a');
      addMultiCloudIdp(f.sim, f.tenantA, token);
      f.clock.advance(5_000);
      await Promise.resolve();
      const landed = { ...contentOf(f.tenantA).apps.get(appId)! };
      f.clock.advance(60_000);
      // A QMC edit of the description: metadata only, no new data.
      const current = (await call(f.host, 'GET', `/qrs/app/${appId}`, { headers: repoUser })).body as Record<
        string,
        unknown
      >;
      await call(f.host, 'PUT', `/qrs/app/${appId}`, { headers: repoUser, body: { ...current, description: 'v2' } });
      f.clock.advance(5_000);
      await Promise.resolve();
      const metadata = { ...contentOf(f.tenantA).apps.get(appId)! };
      expect(metadata.description).toBe('v2');
      expect(metadata.modifiedDate).toBeGreaterThan(landed.modifiedDate);
      if (mode === 'moves') expect(metadata.publishTime).toBeGreaterThan(landed.publishTime!);
      else expect(metadata.publishTime).toBe(landed.publishTime);

      // New data (a reload on QSEoW) moves it in both.
      const taskId = f.host.addReloadTask({ name: 'Reload Sales', appId });
      await call(f.host, 'POST', `/qrs/task/${taskId}/start/synchronous`, { headers: repoUser });
      f.clock.advance(2_000);
      await Promise.resolve();
      f.clock.advance(5_000);
      await Promise.resolve();
      expect(contentOf(f.tenantA).apps.get(appId)!.publishTime).toBeGreaterThan(metadata.publishTime!);
    },
  );
});
