import {
  createQlikCloud,
  createMultiCloudIdentityProvider,
  oauthClientCredentials,
  unwrap,
} from '@qlik-oem/qlik-cloud';
import { createQrsClient, ensureStream, getApp, publishApp, replaceApp, uploadApp } from '@qlik-oem/qrs';
import {
  HDS_DEPLOYMENT_LIST_MODES,
  REDISTRIBUTION_PUBLISH_TIME_MODES,
  createManualClock,
  startSimulator,
  type SimBehaviour,
  type Simulator,
} from '@qlik-oem/simulator';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { isQlikNotFoundError } from '@qlik-oem/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppDistributionTimeoutError,
  createDeployment,
  deleteDeployment,
  ensureDeploymentRouting,
  findDeploymentByName,
  findDeploymentsByName,
  listDeployments,
  forceAppDistribution,
  getDeploymentToken,
  routeAppToDeployment,
  waitForAppInTenant,
} from '../src/index.js';

const QSEOW = 'qseow.partner.local';
const TENANT = 'customer-a.eu.qlikcloud.com';
// The simulator's app file format: a header line and JSON (see the simulator's content/qvf.ts).
const qvf = (script: string) =>
  new TextEncoder().encode(
    `QOEMSIMQVF1\n${JSON.stringify({ name: 'Sales', description: '', script, properties: {}, sheets: [], hasData: true })}`,
  );

let sim: Simulator | undefined;
afterEach(async () => {
  expect(sim?.violations ?? []).toEqual([]);
  await sim?.close();
  sim = undefined;
});

async function start(behaviour: Partial<SimBehaviour> = {}) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const clock = createManualClock();
  sim = await startSimulator({
    // Strict: the real-world 404 of GET /api/v1/apps/{appId} ("not distributed yet") is one of the statuses the
    // simulator allows though apps.json omits it.
    strict: true,
    latency: false,
    clock,
    state: {
      regions: ['eu'],
      tenants: [
        { hostname: TENANT, name: 'customer-a', region: 'eu', spaces: [{ name: 'Production', type: 'managed' }] },
      ],
      oauthClients: [
        {
          clientId: 'customer-a-m2m',
          clientSecret: 'customer-a-secret',
          tenant: TENANT,
          scopes: ['admin_classic', 'user_default'],
        },
      ],
      qseow: {
        hostname: QSEOW,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        distributionDelayMs: 5_000,
      },
    },
  });
  // What hds and distribution do where no source says: each test names the switches it depends on.
  Object.assign(sim.state.behaviour, behaviour);
  const jwt = await new SignJWT({ userid: 'bur', userdirectory: 'jwt' })
    .setProtectedHeader({ alg: 'ES256' })
    .sign(privateKey);
  const writes: string[] = [];
  const simFetch = sim.nodeFetch;
  const recordingFetch = (async (input: Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.method !== 'GET' && new URL(request.url).hostname === QSEOW)
      writes.push(`${request.method} ${new URL(request.url).pathname}`);
    return simFetch(request);
  }) as typeof fetch;
  const qrs = createQrsClient({
    host: QSEOW,
    prefix: 'jwt',
    auth: { type: 'jwt', token: jwt },
    fetch: recordingFetch,
    pacing: false,
  });
  const auth = oauthClientCredentials({
    host: TENANT,
    clientId: 'customer-a-m2m',
    clientSecret: 'customer-a-secret',
    scope: 'admin_classic',
    fetch: sim.nodeFetch,
  });
  const qc = createQlikCloud({ host: TENANT, auth, fetch: sim.nodeFetch });
  // Polls move simulated time instead of waiting.
  const pollClock = { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) };
  return { sim, clock, qrs, qc, writes, pollClock };
}

async function connectTenant(qc: ReturnType<typeof createQlikCloud>, token: string) {
  const me = unwrap(await qc.users.GET('/api/v1/users/me'));
  unwrap(await createMultiCloudIdentityProvider(qc.identityProviders, { base64Encoded: token, tenantId: me.tenantId }));
}

describe.each(REDISTRIBUTION_PUBLISH_TIME_MODES)(
  'multi-cloud distribution (publish time %s on metadata-only re-distributions)',
  (redistributionPublishTime) => {
    it('routes idempotently, distributes a published app and finds it staged in the tenant with the same id', async () => {
      const { qrs, qc, writes, pollClock } = await start({ redistributionPublishTime });
      const deployment = await createDeployment(qrs, { name: 'customer-a', tenantHost: TENANT });
      await connectTenant(qc, await getDeploymentToken(qrs, deployment.id));

      const first = await ensureDeploymentRouting(qrs, deployment.name);
      expect(first.policy).toMatchObject({
        resourceFilter: 'App_*',
        actions: 1024,
        rule: '((resource.@deployments=subject.name))',
      });
      const before = writes.length;
      const second = await ensureDeploymentRouting(qrs, deployment.name);
      expect(writes.length).toBe(before); // nothing to change, nothing written
      expect(second).toMatchObject({
        policyChanged: false,
        policy: { id: first.policy.id },
        customProperty: { id: first.customProperty.id },
      });

      const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1 AS v;') });
      await routeAppToDeployment(qrs, app.id!, deployment.name);
      const { stream } = await ensureStream(qrs, 'Customer A');
      await publishApp(qrs, app.id!, stream.id!);

      const landed = await waitForAppInTenant(qc, app.id!, {
        deploymentName: deployment.name,
        pollIntervalMs: 1_000,
        timeoutMs: 60_000,
        clock: pollClock,
      });
      expect(landed.attributes).toMatchObject({ id: app.id, name: 'Sales' });
      const spaceOf = (a: typeof landed) => (a.attributes as { spaceId?: string } | undefined)?.spaceId;
      expect(spaceOf(landed)).toBeUndefined(); // staged

      // The partner moves it to the managed space once; a later distribution (new data) keeps it there.
      const spaces = unwrap(await qc.spaces.GET('/api/v1/spaces', { params: { query: { name: 'Production' } } }));
      const production = spaces.data?.find((s) => s.name === 'Production');
      expect(production).toBeDefined();
      unwrap(
        await qc.apps.PUT('/api/v1/apps/{appId}/space', {
          params: { path: { appId: app.id! } },
          body: { spaceId: production!.id },
        }),
      );
      const v2 = await uploadApp(qrs, { name: 'Sales v2', file: qvf('LOAD 2 AS v;') });
      await replaceApp(qrs, v2.id!, app.id!);
      await pollClock.sleep(5_000);
      const again = unwrap(await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId: app.id! } } }));
      expect(spaceOf(again)).toBe(production!.id);
      // Re-distributed (a newer publish time in the tenant), still the same app.
      expect(Date.parse(again.attributes!.publishTime!)).toBeGreaterThan(Date.parse(landed.attributes!.publishTime!));
      expect(again.attributes?.id).toBe(app.id);
    });

    it('forces a distribution that was rejected before the tenant trusted the deployment', async () => {
      const { qrs, qc, pollClock, clock } = await start({ redistributionPublishTime });
      const deployment = await createDeployment(qrs, { name: 'customer-a', tenantHost: TENANT });
      await ensureDeploymentRouting(qrs, deployment.name);
      const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1 AS v;') });
      await routeAppToDeployment(qrs, app.id!, deployment.name);
      await publishApp(qrs, app.id!, (await ensureStream(qrs, 'Customer A')).stream.id!);
      clock.advance(10_000); // delivered before the IdP exists: the tenant rejects it

      const early = await waitForAppInTenant(qc, app.id!, {
        deploymentName: 'customer-a',
        pollIntervalMs: 1_000,
        timeoutMs: 3_000,
        clock: pollClock,
      }).catch((e: unknown) => e);
      expect(early).toBeInstanceOf(AppDistributionTimeoutError);
      expect((early as Error).message).toContain('deployment "customer-a"');

      await connectTenant(qc, await getDeploymentToken(qrs, deployment.id));
      const beforeForce = await getApp(qrs, app.id!);
      const forced = await forceAppDistribution(qrs, app.id!);
      expect(forced).toMatchObject({ id: app.id, name: beforeForce.name, published: true });
      const landed = await waitForAppInTenant(qc, app.id!, {
        deploymentName: 'customer-a',
        pollIntervalMs: 1_000,
        timeoutMs: 60_000,
        clock: pollClock,
      });
      expect(landed.attributes?.id).toBe(app.id);
    });
  },
);

describe.each(HDS_DEPLOYMENT_LIST_MODES.filter((mode) => mode !== 'absent'))(
  'hds deployments listed as "%s" (calls unverified against a real QSEoW)',
  (hdsDeploymentList) => {
    it('lists every deployment, finds by name (without case) and deletes', async () => {
      const { qrs } = await start({ hdsDeploymentList });
      const a = await createDeployment(qrs, { name: 'customer-a', tenantHost: TENANT });
      // More than one page of the paged listing.
      const others = Array.from({ length: 11 }, (_, i) => `customer-${i + 1}`);
      for (const name of others) await createDeployment(qrs, { name, tenantHost: `${name}.eu.qlikcloud.com` });
      expect((await listDeployments(qrs)).map((d) => d.name).sort()).toEqual(['customer-a', ...others].sort());
      expect((await findDeploymentByName(qrs, 'Customer-A'))?.id).toBe(a.id);
      await deleteDeployment(qrs, a.id);
      expect(await findDeploymentByName(qrs, 'customer-a')).toBeUndefined();
    });

    it('with names hds does not keep unique, finds every deployment of a name', async () => {
      const { qrs } = await start({ hdsDeploymentList, hdsDeploymentNames: 'duplicates' });
      const first = await createDeployment(qrs, { name: 'customer-a', tenantHost: TENANT });
      const second = await createDeployment(qrs, { name: 'customer-a', tenantHost: 'other.eu.qlikcloud.com' });
      expect((await findDeploymentsByName(qrs, 'customer-a')).map((d) => [d.id, d.serviceUrl])).toEqual([
        [first.id, `https://${TENANT}`],
        [second.id, 'https://other.eu.qlikcloud.com'],
      ]);
    });
  },
);

describe('hds without a deployments listing ("absent")', () => {
  it('listDeployments is a QlikNotFoundError; create, token and delete still work', async () => {
    const { qrs } = await start({ hdsDeploymentList: 'absent' });
    const a = await createDeployment(qrs, { name: 'customer-a', tenantHost: TENANT });
    const refused = await listDeployments(qrs).catch((e: unknown) => e);
    expect(isQlikNotFoundError(refused)).toBe(true);
    expect(await getDeploymentToken(qrs, a.id)).toMatch(/\S+/);
    await deleteDeployment(qrs, a.id);
    expect(isQlikNotFoundError(await getDeploymentToken(qrs, a.id).catch((e: unknown) => e))).toBe(true);
  });
});
