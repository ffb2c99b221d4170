import { getScript, withApp } from '@qlik-oem/engine';
import { isQuotaExceededError, type QuotaExceededError } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, isRecipeStepError, runFleet } from '../src/index.js';
import { hydrateFromTemplate, hydrateFromTemplateRecipe } from '../src/recipes/hydrate-from-template.js';
import { createTemplateExportCache } from '../src/recipes/template-export.js';
import { TEMPLATE_SCRIPT, startHydrateHarness, type HydrateHarness } from './helpers/hydrate-harness.js';

const quotaErrorOf = (error: unknown): QuotaExceededError | undefined => {
  const cause = isRecipeStepError(error) ? (error as Error).cause : error;
  return isQuotaExceededError(cause) ? cause : undefined;
};

describe('the daily app-import quota stops one customer, not the fleet (strict simulator)', () => {
  let harness: HydrateHarness;
  const aliases = ['north', 'small', 'south'];

  beforeAll(async () => {
    harness = await startHydrateHarness([...aliases, 'racy', 'racy429']);
  }, 30_000);

  afterAll(async () => {
    expect(harness.sim.violations).toEqual([]);
    await harness.setTemplateScript(TEMPLATE_SCRIPT);
    await harness.close();
  });

  it('a quota of 3 on one tenant fails only that customer after its third import, leaving its published app alone', async () => {
    const host = 'small.eu.qlikcloud.com';
    harness.sim.state.behaviour.appImportsPerDayByHost[host] = 3;
    const journal = createMemoryJournalStore();
    const scriptOf = (appId: string) => withApp(harness.env.engine.options(host), appId, (doc) => getScript(doc));
    const importsOn = (h: string) =>
      harness.requests.filter((r) => r.host === h && r.method === 'POST' && r.path === '/api/v1/apps/import').length;
    let publishedAppId = '';
    for (let round = 1; round <= 4; round += 1) {
      // Each round is a template upgrade: one more import per customer.
      await harness.setTemplateScript(`${TEMPLATE_SCRIPT}// version ${round}\n`);
      const fleet = await runFleet(
        hydrateFromTemplateRecipe(harness.env, { templates: createTemplateExportCache(harness.env) }),
        aliases.map((alias) => harness.inputFor(alias)),
        { journal, concurrency: 3 },
      );
      const statuses = Object.fromEntries(fleet.customers.map((c) => [c.customerId, c.status]));
      if (round <= 3) {
        expect(statuses).toEqual({ north: 'provisioned', small: 'provisioned', south: 'provisioned' });
        publishedAppId = (fleet.customers.find((c) => c.customerId === 'small')!.outputs as any).publish.publishedAppId;
        continue;
      }
      expect(statuses).toEqual({ north: 'provisioned', small: 'failed', south: 'provisioned' });
      const error = quotaErrorOf(fleet.customers.find((c) => c.customerId === 'small')!.error);
      expect(error).toBeDefined();
      expect(error).toMatchObject({ tenantHost: host, quotaId: 'app_imports_per_day', quota: 3, usage: 3 });
      expect(error!.resetsAt.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(error!.message).toMatch(/app_imports_per_day.*resets at/);
    }
    // The fourth import was never sent, and the published app still has round 3's script.
    expect(importsOn(host)).toBe(3);
    expect(importsOn('north.eu.qlikcloud.com')).toBe(4);
    expect(await scriptOf(publishedAppId)).toMatch(/version 3/);
  }, 120_000);

  it.each([
    [403, 'racy'],
    [429, 'racy429'],
  ] as const)(
    'an import Qlik refuses (%s) because another client used the allowance meanwhile is a QuotaExceededError',
    async (answer, alias) => {
      const host = `${alias}.eu.qlikcloud.com`;
      const behaviour = harness.sim.state.behaviour;
      behaviour.importQuotaAnswer = answer;
      // The quota reads 1 free import; right after that read, someone else uses it.
      behaviour.appImportsPerDayByHost[host] = 1;
      harness.onResponse = (request) => {
        if (request.host === host && request.path.startsWith('/api/v1/quotas/'))
          behaviour.appImportsPerDayByHost[host] = 0;
      };
      try {
        const error = await hydrateFromTemplate(harness.env, harness.inputFor(alias), {
          journal: createMemoryJournalStore(),
          retry: { retries: 0 },
        }).catch((e: unknown) => e);
        const quotaError = quotaErrorOf(error);
        expect(quotaError).toMatchObject({ tenantHost: host, quota: 0 });
        expect((quotaError!.cause as { status?: number }).status).toBe(answer);
      } finally {
        harness.onResponse = undefined;
        behaviour.importQuotaAnswer = 403;
      }
    },
    30_000,
  );
});
