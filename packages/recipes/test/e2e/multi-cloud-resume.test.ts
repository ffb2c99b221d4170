import { listDeployments } from '@qlik-oem/distribution';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { getApp } from '@qlik-oem/qrs';
import { seededRandom } from '@qlik-oem/simulator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createMemoryJournalStore,
  defineRecipe,
  runFleet,
  setupMultiCloud,
  setupMultiCloudFleet,
  type Recipe,
} from '../../src/index.js';
import { setupMultiCloudSteps } from '../../src/steps.js';
import { customerOf, spaceOf, startMultiCloudWorldPerTest, tenantOf } from './multi-cloud-harness.js';

const startWorld = startMultiCloudWorldPerTest();

describe('setupMultiCloud under concurrency and interruption', () => {
  it('resolves a 409 on the routing custom property: re-reads the app and keeps the concurrent edit', async () => {
    let concurrentEdit: ((request: Request) => Promise<void>) | undefined;
    const w = await startWorld(['acme'], {
      hooks: { before: async (request) => void (await concurrentEdit?.(request)) },
    });
    const appId = await w.publishedApp('Sales');
    // A QMC user edits the app between the recipe's GET and its PUT (once).
    concurrentEdit = async (request) => {
      if (request.method !== 'PUT' || new URL(request.url).pathname !== `/jwt/qrs/app/${appId}`) return;
      concurrentEdit = undefined;
      const current = await getApp(w.admin, appId);
      const { data, response } = await w.admin.api.PUT('/app/{id}', {
        params: { path: { id: appId } },
        body: { ...current, description: 'edited in the QMC' },
      });
      expect(response.status, 'the concurrent edit').toBe(200);
      expect(data?.description).toBe('edited in the QMC');
    };
    await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), { journal: createMemoryJournalStore() });
    const conflicts = w.requests.filter((r) => r.status === 409);
    expect(conflicts.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /jwt/qrs/app/${appId}`]);
    const app = await getApp(w.admin, appId);
    expect(app.description).toBe('edited in the QMC');
    expect(app.customProperties?.map((c) => `${c.definition?.name}=${c.value}`)).toEqual(['deployments=acme']);
    expect(await spaceOf(w, 'acme', appId)).toBe('Analytics');
    expect(w.sim.violations).toEqual([]);
  });

  // Deterministic "random" stop points, reproducible from the seed in the test name.
  const seed = 20261123;

  it(`resumes after being stopped right after a write, before it was journaled (seed ${seed})`, async () => {
    const rng = seededRandom(seed);
    const controller = { current: new AbortController(), stopAfterWrites: Infinity, writes: 0 };
    const w = await startWorld(['acme', 'globex'], {
      hooks: {
        after: (r) => {
          if (r.method === 'GET' || r.path === '/oauth/token') return;
          controller.writes++;
          // The write reached the simulator; the run dies before its step:done line.
          if (controller.writes === controller.stopAfterWrites) controller.current.abort(new Error('killed'));
        },
      },
    });
    const customers = [];
    for (const alias of ['acme', 'globex']) customers.push(customerOf(alias, [await w.publishedApp(`${alias} sales`)]));
    const site = await w.site();
    const journal = createMemoryJournalStore();

    // Each round stops the fleet after a random number of writes; the rounds add up to a full provisioning.
    const statuses: string[] = [];
    for (let round = 0; round < 4; round++) {
      controller.current = new AbortController();
      controller.writes = 0;
      controller.stopAfterWrites = 1 + Math.floor(rng() * 6);
      const result = await setupMultiCloudFleet(w.env, site, customers, {
        journal,
        signal: controller.current.signal,
        concurrency: 2,
      });
      for (const c of result.customers)
        expect(['provisioned', 'unchanged', 'aborted'], `${c.customerId}: ${String(c.error)}`).toContain(c.status);
      statuses.push(...result.customers.map((c) => c.status));
    }
    expect(statuses.filter((s) => s === 'aborted').length).toBeGreaterThanOrEqual(3);
    controller.stopAfterWrites = Infinity;
    const finished = await setupMultiCloudFleet(w.env, site, customers, { journal, concurrency: 2 });
    expect(finished.customers.map((c) => [c.customerId, c.status === 'failed' ? String(c.error) : 'ok'])).toEqual([
      ['acme', 'ok'],
      ['globex', 'ok'],
    ]);

    // Converged without duplicates: one deployment per customer, one multi-cloud IdP per tenant, apps in place.
    expect((await listDeployments(w.admin)).map((d) => d.name).sort()).toEqual(['acme', 'globex']);
    for (const customer of customers) {
      const idps =
        unwrap(await w.env.tenant(customer.tenantHost).identityProviders.GET('/api/v1/identity-providers')).data ?? [];
      expect(idps.filter((i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token')).toHaveLength(1);
      expect(await spaceOf(w, customer.customerId, customer.appIds[0]!)).toBe('Analytics');
    }
    w.requests.length = 0;
    const again = await setupMultiCloudFleet(w.env, site, customers, { journal, concurrency: 2 });
    expect(again.customers.map((c) => c.status)).toEqual(['unchanged', 'unchanged']);
    expect(w.writes()).toEqual([]);
    expect(w.sim.violations).toEqual([]);
  });

  it('without a deployment listing on QSEoW, finds its deployment again by the id in the journal', async () => {
    // QSEoW may not serve GET /api/hds/v1/Deployments at all (it is undocumented): the simulator's "absent" answers 404.
    const w = await startWorld(['acme'], { behaviour: { hdsDeploymentList: 'absent' } });
    const customer = customerOf('acme', [await w.publishedApp('Sales')]);
    const journal = createMemoryJournalStore();
    const first = await setupMultiCloud(w.env, await w.site(), customer, { journal });
    expect(first.steps.find((s) => s.step === 'deployment')?.action).toBe('create');
    expect(
      w.requests.filter((r) => r.method === 'GET' && r.path === '/jwt/api/hds/v1/Deployments').map((r) => r.status),
    ).toEqual([404]);
    w.requests.length = 0;
    const second = await setupMultiCloud(w.env, await w.site(), customer, { journal });
    expect(second.status).toBe('unchanged');
    expect(second.outputs.deployment.deploymentId).toBe(first.outputs.deployment.deploymentId);
    expect(w.writes()).toEqual([]);
    expect((await w.deploymentsInQmc()).map((d) => d.name)).toEqual(['acme']);
    expect(w.sim.violations).toEqual([]);
  });
});

describe('setupMultiCloudSteps in a composed recipe (the provisionFleet hook)', () => {
  it('runs for customers flagged multiCloud, with the space id from an earlier step, and does nothing for the others', async () => {
    const w = await startWorld(['acme', 'globex']);
    const appId = await w.publishedApp('Sales');
    interface Composed {
      customerId: string;
      alias: string;
      multiCloud?: { appIds: string[] };
    }
    // Stands in for onboarding: its outputs carry the tenant host and the managed space id.
    let recipe = defineRecipe({
      name: 'provisionCustomer',
      input: z.custom<Composed>(),
      customerId: (c) => c.customerId,
    }).step({
      name: 'spaces',
      async inspect(ctx) {
        const tenantHost = tenantOf(ctx.input.alias);
        const spaces =
          unwrap(
            await w.env.tenant(tenantHost).spaces.GET('/api/v1/spaces', { params: { query: { name: 'Analytics' } } }),
          ).data ?? [];
        return { action: 'none' as const, reason: 'exists', outputs: { tenantHost, managedSpaceId: spaces[0]!.id } };
      },
      apply: async () => ({ tenantHost: '', managedSpaceId: '' }),
    }) as unknown as Recipe<Composed, Record<string, unknown>, Composed>;
    const steps = setupMultiCloudSteps<Composed, { spaces: { tenantHost: string; managedSpaceId: string } }>(
      w.env,
      await w.site(),
      (ctx) =>
        ctx.input.multiCloud
          ? {
              customerId: ctx.customerId,
              tenantHost: ctx.outputs.spaces.tenantHost,
              managedSpaceId: ctx.outputs.spaces.managedSpaceId,
              appIds: ctx.input.multiCloud.appIds,
            }
          : undefined,
    );
    for (const step of steps) recipe = recipe.step(step as never);
    const journal = createMemoryJournalStore();
    const customers: Composed[] = [
      { customerId: 'acme', alias: 'acme', multiCloud: { appIds: [appId] } },
      { customerId: 'globex', alias: 'globex' },
    ];
    const result = await runFleet(recipe, customers, { journal });
    expect(result.customers.map((c) => [c.customerId, c.status, c.error])).toEqual([
      ['acme', 'provisioned', undefined],
      ['globex', 'unchanged', undefined],
    ]);
    expect(await spaceOf(w, 'acme', appId)).toBe('Analytics');
    expect((await listDeployments(w.admin)).map((d) => d.name)).toEqual(['acme']);
    w.requests.length = 0;
    const again = await runFleet(recipe, customers, { journal });
    expect(again.customers.map((c) => c.status)).toEqual(['unchanged', 'unchanged']);
    expect(w.writes()).toEqual([]);
    expect(w.sim.violations).toEqual([]);
  });
});
