import { inspect } from 'node:util';
import { isQlikHttpError, isQlikValidationError } from '@qlik-oem/core';
import {
  AppDistributionTimeoutError,
  createDeployment,
  deleteDeployment,
  ensureDeploymentRouting,
  getDeploymentToken,
  listDeployments,
  routeAppToDeployment,
} from '@qlik-oem/distribution';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { getApp, replaceApp } from '@qlik-oem/qrs';
import { BEHAVIOUR_SWITCHES } from '@qlik-oem/simulator';
import { describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  isRecipeStepError,
  planRecipe,
  setupMultiCloud,
  setupMultiCloudFleet,
} from '../../src/index.js';
import { setupMultiCloudRecipe } from '../../src/steps.js';
import {
  customerOf,
  MULTI_CLOUD_VARIANTS,
  QSEOW,
  spaceOf,
  startMultiCloudWorldPerTest,
  tenantOf,
  variantName,
} from './multi-cloud-harness.js';

const startWorld = startMultiCloudWorldPerTest();

describe.each(MULTI_CLOUD_VARIANTS.map((variant) => ({ variant, name: variantName(variant) })))(
  'setupMultiCloud against the strict simulator ($name)',
  ({ variant }) => {
    it('connects three tenants, lands each app staged then places it; a second run writes nothing', async () => {
      const aliases = ['acme', 'globex', 'initech'];
      const w = await startWorld(aliases, { behaviour: variant });
      const shared = await w.publishedApp('Shared KPIs');
      const customers = [];
      for (const alias of aliases) customers.push(customerOf(alias, [await w.publishedApp(`${alias} sales`), shared]));
      const journal = createMemoryJournalStore();
      const site = await w.site();
      w.requests.length = 0;

      const first = await setupMultiCloudFleet(w.env, site, customers, { journal, concurrency: 3 });
      expect(first.customers.map((c) => [c.customerId, c.status, c.error])).toEqual(
        aliases.map((a) => [a, 'provisioned', undefined]),
      );
      for (const customer of customers) {
        for (const appId of customer.appIds) expect(await spaceOf(w, customer.customerId, appId)).toBe('Analytics');
      }
      // One deployment per customer, one IdP per tenant, each app routed to every deployment it serves.
      expect((await w.deploymentsInQmc()).map((d) => d.name).sort()).toEqual(aliases);
      const sharedApp = await getApp(w.admin, shared);
      expect(
        sharedApp.customProperties
          ?.filter((c) => c.definition?.name === 'deployments')
          .map((c) => c.value)
          .sort(),
      ).toEqual(aliases);
      for (const alias of aliases) {
        const idps = unwrap(await w.env.tenant(tenantOf(alias)).identityProviders.GET('/api/v1/identity-providers'));
        expect(
          idps.data?.filter((i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token'),
        ).toHaveLength(1);
      }
      // The token is a secret: never in the journal.
      const journaled = JSON.stringify(await journal.read('acme'));
      expect(journaled).toContain('[REDACTED]');
      for (const d of await w.deploymentsInQmc())
        expect(journaled).not.toContain(await getDeploymentToken(w.admin, d.id));

      w.requests.length = 0;
      const second = await setupMultiCloudFleet(w.env, site, customers, { journal, concurrency: 3 });
      expect(second.customers.map((c) => c.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect(w.writes()).toEqual([]);
      expect(w.sim.violations).toEqual([]);
    });

    it('forces the distribution of an app that was routed before the deployment existed', async () => {
      const w = await startWorld(['acme'], { behaviour: variant });
      const appId = await w.publishedApp('Sales');
      // The partner routed the app in the QMC earlier; nothing was distributed, since no deployment "acme" existed.
      await ensureDeploymentRouting(w.admin, 'acme');
      await routeAppToDeployment(w.admin, appId, 'acme');
      w.requests.length = 0;
      const result = await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), {
        journal: createMemoryJournalStore(),
      });
      expect(result.steps.map((s) => [s.step, s.action])).toEqual([
        ['deployment', 'create'],
        ['token', 'none'],
        ['idp', 'create'],
        ['routing', 'none'],
        ['distribute', 'update'],
        ['placeApp', 'update'],
      ]);
      // Only the forced GET + PUT (unchanged) wrote to the app.
      expect(
        w
          .writes()
          .filter((r) => r.host === QSEOW)
          .map((r) => `${r.method} ${r.path}`),
      ).toEqual(['POST /jwt/api/hds/v1/Deployments', `PUT /jwt/qrs/app/${appId}`]);
      expect(await spaceOf(w, 'acme', appId)).toBe('Analytics');
      expect(w.sim.violations).toEqual([]);
    });

    it('a replaced deployment (new token) replaces the tenant IdP this recipe made for the old one', async () => {
      const w = await startWorld(['acme'], { behaviour: variant });
      const customer = customerOf('acme', [await w.publishedApp('Sales')]);
      const journal = createMemoryJournalStore();
      const first = await setupMultiCloud(w.env, await w.site(), customer, { journal });
      // Someone deletes the deployment in the QMC; its token dies with it.
      await deleteDeployment(w.admin, first.outputs.deployment.deploymentId);
      const second = await setupMultiCloud(w.env, await w.site(), customer, { journal });
      expect(second.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['deployment', 'idp']);
      const newId = second.outputs.deployment.deploymentId;
      expect(newId).not.toBe(first.outputs.deployment.deploymentId);
      const idps = (
        unwrap(await w.env.tenant(tenantOf('acme')).identityProviders.GET('/api/v1/identity-providers')).data ?? []
      ).filter((i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token') as Array<{
        id: string;
        description?: string;
      }>;
      expect(idps.map((i) => i.description)).toEqual([`qlik-oem multi-cloud ${newId} from ${QSEOW}`]);
      expect(idps[0]!.id).toBe(second.outputs.idp.idpId);
      expect(w.sim.violations).toEqual([]);
    });

    it('plans a new customer without writing: which steps act, which depend on earlier ones', async () => {
      const w = await startWorld(['acme'], { behaviour: variant });
      const customer = customerOf('acme', [await w.publishedApp('Sales')]);
      w.requests.length = 0;
      const plan = await planRecipe(setupMultiCloudRecipe(w.env, await w.site()), customer);
      expect(plan.steps.map((s) => [s.step, s.action, s.dependsOn])).toEqual([
        ['deployment', 'create', undefined],
        ['token', 'depends', 'deployment'],
        ['idp', 'depends', 'deployment'],
        ['routing', 'update', undefined],
        ['distribute', 'depends', 'idp'],
        ['placeApp', 'depends', 'distribute'],
      ]);
      expect(w.writes()).toEqual([]);
      // The journal is read, as a plan does (without a deployment listing it is the only way back to the deployment).
      const journal = createMemoryJournalStore();
      await setupMultiCloud(w.env, await w.site(), customer, { journal });
      const after = await planRecipe(setupMultiCloudRecipe(w.env, await w.site()), customer, { journal });
      expect(after.changes).toBe(false);
      expect(w.sim.violations).toEqual([]);
    });

    it('a shared app routed later to another customer: the first customer still re-runs without writing', async () => {
      const w = await startWorld(['acme', 'globex'], { behaviour: variant });
      const shared = await w.publishedApp('Shared KPIs');
      const customer = (alias: string) => customerOf(alias, [shared]);
      const journal = createMemoryJournalStore();
      const site = await w.site();
      await setupMultiCloud(w.env, site, customer('acme'), { journal });
      // Later (beyond the clock-skew allowance), globex joins: routing the shared app to it changes the app on
      // QSEoW, which re-distributes it to acme too, without new data.
      w.clock.advance(10 * 60_000);
      await setupMultiCloud(w.env, site, customer('globex'), { journal });
      w.clock.advance(10 * 60_000);
      w.requests.length = 0;
      const again = await setupMultiCloudFleet(w.env, site, [customer('acme'), customer('globex')], { journal });
      expect(again.customers.map((c) => [c.customerId, c.status, c.error])).toEqual([
        ['acme', 'unchanged', undefined],
        ['globex', 'unchanged', undefined],
      ]);
      expect(w.writes()).toEqual([]);
      for (const alias of ['acme', 'globex']) expect(await spaceOf(w, alias, shared)).toBe('Analytics');
      expect(w.sim.violations).toEqual([]);
    });

    it('a re-distribution of new data (a replace on QSEoW) lands over the placed copy and keeps its space', async () => {
      const w = await startWorld(['acme'], { behaviour: variant });
      const appId = await w.publishedApp('Sales');
      const customer = customerOf('acme', [appId]);
      const journal = createMemoryJournalStore();
      await setupMultiCloud(w.env, await w.site(), customer, { journal });
      w.clock.advance(10 * 60_000);
      const v2 = await w.unpublishedApp('Sales v2');
      await replaceApp(w.admin, v2, appId);
      const again = await setupMultiCloud(w.env, await w.site(), customer, { journal });
      expect(again.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['distribute']);
      expect(await spaceOf(w, 'acme', appId)).toBe('Analytics');
      expect(w.sim.violations).toEqual([]);
    });
  },
);

describe('setupMultiCloud against the strict simulator', () => {
  it('sends the documented multi-cloud sequence, in order and with the documented bodies', async () => {
    const w = await startWorld(['acme']);
    const appId = await w.publishedApp('Sales');
    w.requests.length = 0;
    await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), { journal: createMemoryJournalStore() });

    const tenant = tenantOf('acme');
    const documented: Array<{ label: string; match: (r: (typeof w.requests)[number]) => boolean }> = [
      {
        label: '1 POST hds Deployments',
        match: (r) => r.method === 'POST' && r.host === QSEOW && r.path === '/jwt/api/hds/v1/Deployments',
      },
      {
        label: '2 GET elastictokenconfig',
        match: (r) =>
          r.method === 'GET' &&
          r.host === QSEOW &&
          /^\/jwt\/api\/hds\/v1\/Deployments\/[^/]+\/elastictokenconfig$/.test(r.path) &&
          r.search === '?qcsFormat=True',
      },
      {
        label: '3 POST oauth token',
        match: (r) => r.method === 'POST' && r.host === tenant && r.path === '/oauth/token',
      },
      {
        label: '4 GET users/me',
        match: (r) => r.method === 'GET' && r.host === tenant && r.path === '/api/v1/users/me',
      },
      {
        label: '5 POST identity-providers',
        match: (r) => r.method === 'POST' && r.host === tenant && r.path === '/api/v1/identity-providers',
      },
      {
        label: '6a GET qrs app',
        match: (r) => r.method === 'GET' && r.host === QSEOW && r.path === `/jwt/qrs/app/${appId}`,
      },
      {
        label: '6b PUT qrs app',
        match: (r) => r.method === 'PUT' && r.host === QSEOW && r.path === `/jwt/qrs/app/${appId}`,
      },
      { label: '7a GET spaces', match: (r) => r.method === 'GET' && r.host === tenant && r.path === '/api/v1/spaces' },
      {
        label: '7b PUT app space',
        match: (r) => r.method === 'PUT' && r.host === tenant && r.path === `/api/v1/apps/${appId}/space`,
      },
    ];
    // Greedy in-order match: each documented call after the previous one.
    const found: number[] = [];
    let from = 0;
    for (const step of documented) {
      const index = w.requests.findIndex((r, i) => i >= from && step.match(r));
      expect(index, `${step.label} after request #${from}`).toBeGreaterThanOrEqual(0);
      found.push(index);
      from = index + 1;
    }
    const at = (i: number) => w.requests[found[i]!]!;
    expect(JSON.parse(at(0).body)).toEqual({
      name: 'acme',
      audience: 'qlik.api',
      serviceUrl: `https://${tenant}`,
      localBearerToken: true,
    });
    const token = at(1).responseBody;
    expect(JSON.parse(at(4).body)).toMatchObject({
      provider: 'qlik',
      protocol: 'qsefw-local-bearer-token',
      interactive: false,
      base64Encoded: token,
    });
    expect(JSON.parse(at(4).body).tenantIds).toEqual([JSON.parse(at(3).responseBody).tenantId]);
    // The forced distribution PUTs back exactly what the GET returned.
    const lastPut = w.requests
      .map((r, i) => [r, i] as const)
      .filter(([r]) => r.method === 'PUT' && r.path === `/jwt/qrs/app/${appId}`)
      .at(-1)!;
    const getBefore = w.requests
      .slice(0, lastPut[1])
      .filter((r) => r.method === 'GET' && r.path === `/jwt/qrs/app/${appId}`)
      .at(-1)!;
    expect(JSON.parse(lastPut[0].body)).toEqual(JSON.parse(getBefore.responseBody));
    // QRS calls carry the Xrfkey; hds calls go without it, as in Qlik's collection.
    for (const r of w.requests.filter((x) => x.host === QSEOW)) {
      expect(/xrfkey=/i.test(r.search), `${r.method} ${r.path}`).toBe(r.path.startsWith('/jwt/qrs/'));
    }
    const space = JSON.parse(at(8).body) as { spaceId: string };
    const spaces = JSON.parse(at(7).responseBody) as { data: Array<{ id: string; name: string }> };
    expect(spaces.data.find((s) => s.id === space.spaceId)?.name).toBe('Analytics');
    expect(w.sim.violations).toEqual([]);
  });

  it('rejects an app that is not published (QSEoW distributes published apps only)', async () => {
    const w = await startWorld(['acme']);
    const draft = await w.unpublishedApp('Draft');
    const error = await setupMultiCloud(w.env, await w.site(), customerOf('acme', [draft]), {
      journal: createMemoryJournalStore(),
    }).catch((e: unknown) => e);
    expect(isRecipeStepError(error) && error.step).toBe('routing');
    expect((error as Error).message).toContain(`App ${draft} is not published`);
  });

  it('keeps the signing key and the deployment token out of inspect output and results', async () => {
    const w = await startWorld(['acme']);
    const appId = await w.publishedApp('Sales');
    const site = await w.site();
    const keyBody = w.signingKey.split('\n')[1]!;
    expect(inspect(site, { depth: 10 })).not.toContain(keyBody);
    const result = await setupMultiCloud(w.env, site, customerOf('acme', [appId]), {
      journal: createMemoryJournalStore(),
    });
    const token = await getDeploymentToken(w.admin, result.outputs.deployment.deploymentId);
    expect(result.outputs.token.token.reveal()).toBe(token);
    for (const shown of [inspect(result, { depth: 10 }), JSON.stringify(result)]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(keyBody);
    }
  });

  it('rejects bad input before any request, naming the field', async () => {
    const w = await startWorld(['acme']);
    const appId = await w.publishedApp('Sales');
    w.requests.length = 0;
    const good = customerOf('acme', [appId]);
    const cases: Array<[unknown, string]> = [
      [{ ...good, tenantHost: 'https://acme.eu.qlikcloud.com' }, 'tenantHost'],
      [{ ...good, appIds: ['not-a-guid'] }, 'appIds[0]'],
      [{ ...good, appIds: [] }, 'appIds'],
      [{ ...good, managedSpace: 'a/b' }, 'managedSpace'],
      [
        { ...good, managedSpaceId: '5f0c' },
        'managedSpace: name the managed space by name (managedSpace) or by id (managedSpaceId): exactly one',
      ],
      [
        { ...good, managedSpace: undefined },
        'managedSpace: name the managed space by name (managedSpace) or by id (managedSpaceId): exactly one',
      ],
    ];
    for (const [input, field] of cases) {
      const error = await setupMultiCloud(w.env, await w.site(), input as never, {
        journal: createMemoryJournalStore(),
      }).catch((e: unknown) => e);
      expect(isQlikValidationError(error), field).toBe(true);
      expect((error as Error).message).toContain(field);
    }
    const siteCases: Array<[Record<string, unknown>, string]> = [
      [{ host: 'https://qseow.partner.local' }, 'site.host'],
      [{ virtualProxyPrefix: 'a/b' }, 'site.virtualProxyPrefix'],
      [
        {
          jwt: {
            signingKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
            userId: 'u',
            userDirectory: 'd',
          },
        },
        'site.jwt.signingKey',
      ],
      [{ jwt: { signingKey: w.signingKey, userId: '', userDirectory: 'd' } }, 'site.jwt.userId'],
    ];
    for (const [override, field] of siteCases) {
      const error = await setupMultiCloud(w.env, w.siteOptions(override as never), good, {
        journal: createMemoryJournalStore(),
      }).catch((e: unknown) => e);
      expect(isQlikValidationError(error), field).toBe(true);
      expect((error as Error).message).toContain(field);
      expect((error as Error).message).not.toContain('PUBLIC KEY-----');
    }
    expect(w.requests).toEqual([]);
  });

  it('a tenant that does not trust the deployment: a timeout naming the deployment', async () => {
    const w = await startWorld(['acme']);
    const appId = await w.publishedApp('Sales');
    // The tenant's multi-cloud IdP holds a wrong token (someone pasted another deployment's): the app never lands.
    const qc = w.env.tenant(tenantOf('acme'));
    const me = unwrap(await qc.users.GET('/api/v1/users/me'));
    const wrong = Buffer.from('{"issuer":"elsewhere","deployment":"x"}').toString('base64');
    const { createMultiCloudIdentityProvider } = await import('@qlik-oem/qlik-cloud');
    const site = await w.site();
    const recipeCustomer = customerOf('acme', [appId]);
    // Run the first steps so the deployment exists, then swap the IdP's token for a wrong one.
    const journal = createMemoryJournalStore();
    await setupMultiCloud(w.env, site, { ...recipeCustomer }, { journal });
    const idps = unwrap(await qc.identityProviders.GET('/api/v1/identity-providers')).data ?? [];
    const mine = idps.find((i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token')!;
    const description = (mine as { description?: string }).description!;
    unwrap(
      await qc.identityProviders.DELETE('/api/v1/identity-providers/{id}', { params: { path: { id: mine.id! } } }),
    );
    unwrap(
      await createMultiCloudIdentityProvider(qc.identityProviders, {
        base64Encoded: wrong,
        tenantId: me.tenantId,
        description,
      }),
    );
    // A second app for the same customer must now be distributed, and never arrives.
    const second = await w.publishedApp('Finance');
    const error = await setupMultiCloud(w.env, site, { ...recipeCustomer, appIds: [appId, second] }, { journal }).catch(
      (e: unknown) => e,
    );
    expect(isRecipeStepError(error)).toBe(true);
    expect((error as { step: string }).step).toBe('distribute');
    const cause = (error as { cause: unknown }).cause;
    expect(cause).toBeInstanceOf(AppDistributionTimeoutError);
    expect((cause as AppDistributionTimeoutError).deploymentName).toBe('acme');
    expect((error as Error).message).toContain('deployment "acme"');
    expect((error as Error).message).toContain(second);
    const token = await getDeploymentToken(w.admin, (await listDeployments(w.admin))[0]!.id);
    expect(inspect(error, { depth: 10 })).not.toContain(token);
    expect(w.sim.violations).toEqual([]);
  });

  it('a QRS request without an Xrfkey is refused by QSEoW; the step fails with the 400', async () => {
    const stripXrfkey = (request: Request) => {
      const url = new URL(request.url);
      if (!url.pathname.startsWith('/jwt/qrs/')) return;
      url.searchParams.delete('xrfkey');
      const headers = new Headers(request.headers);
      headers.delete('x-qlik-xrfkey');
      return new Request(url, {
        method: request.method,
        headers,
        ...(request.body ? { body: request.body, duplex: 'half' } : {}),
      });
    };
    let strip = false;
    const w = await startWorld(['acme'], { hooks: { before: (r) => (strip ? stripXrfkey(r) : undefined) } });
    const appId = await w.publishedApp('Sales');
    strip = true;
    const error = await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), {
      journal: createMemoryJournalStore(),
      retry: { retries: 0 },
    }).catch((e: unknown) => e);
    expect(isRecipeStepError(error)).toBe(true);
    expect((error as { step: string }).step).toBe('routing');
    const cause = (error as { cause: unknown }).cause;
    expect(isQlikHttpError(cause) && cause.status).toBe(400);
    expect(w.requests.find((r) => r.status === 400)?.responseBody).toMatch(/XSRF/);
  });
});

// The policy routes by deployment name: a name that serves another tenant must stop the recipe. With a listing the
// recipe sees it (whether hds allows duplicates or not); without one, only hds's own 409 can tell, so a site with
// neither a listing nor unique names cannot be protected (the variant absent + duplicates is left out on purpose).
describe.each(
  MULTI_CLOUD_VARIANTS.filter((v) => v.hdsDeploymentList !== 'absent' || v.hdsDeploymentNames === 'unique').map(
    (variant) => ({ variant, name: variantName(variant) }),
  ),
)('a deployment name taken by another tenant ($name)', ({ variant }) => {
  it('stops the recipe at the deployment step, before it routes anything', async () => {
    const w = await startWorld(['acme', 'globex'], { behaviour: variant });
    const appId = await w.publishedApp('Sales');
    await createDeployment(w.admin, { name: 'acme', tenantHost: tenantOf('globex') });
    w.requests.length = 0;
    const error = await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), {
      journal: createMemoryJournalStore(),
    }).catch((e: unknown) => e);
    expect(isRecipeStepError(error) && error.step).toBe('deployment');
    if (variant.hdsDeploymentList === 'absent') {
      // hds's 409 on the create is the only sign; nothing else was written.
      expect(isQlikHttpError((error as Error).cause) && ((error as Error).cause as { status: number }).status).toBe(
        409,
      );
      expect(w.writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /jwt/api/hds/v1/Deployments 409',
      ]);
    } else {
      expect((error as Error).message).toContain('Deployment "acme" already exists for another tenant');
      expect(w.writes()).toEqual([]);
    }
  });
});

describe('the multi-cloud variants', () => {
  it('cover every option of the simulator switches they name', () => {
    for (const key of ['hdsDeploymentList', 'hdsDeploymentNames', 'redistributionPublishTime'] as const) {
      const known = BEHAVIOUR_SWITCHES.find((s) => s.key === key)!;
      expect(new Set(MULTI_CLOUD_VARIANTS.map((v) => v[key])), key).toEqual(new Set(known.options));
    }
  });
});
