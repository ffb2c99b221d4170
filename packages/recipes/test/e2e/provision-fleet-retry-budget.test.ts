import { createRetryBudget, silentLogger, type Logger } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { fleetHydrate, prepareTemplate } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness } from './onboard-harness.js';

/** Counts the transport's retries as it logs them. */
function retryCounter(): Logger & { retries: number } {
  const logger = {
    ...silentLogger,
    retries: 0,
    warn(_fields: Record<string, unknown>, msg?: string) {
      if (msg === 'qlik request retry') logger.retries++;
    },
  };
  return logger;
}

describe('a fleet under 30% injected 503s (strict simulator)', () => {
  it('spends no more than its shared retry budget, and stops retrying once it is spent', async () => {
    const budget = createRetryBudget({ capacity: 10, retryCost: 5 });
    const logger = retryCounter();
    const h = await startOnboardHarness({
      timeScale: 200,
      faults: { rate: 0.3, kinds: ['503'], seed: 7 },
      environment: { retryBudget: budget, logger },
    });
    try {
      let templateAppId: string | undefined;
      for (let i = 0; i < 20 && templateAppId === undefined; i++) {
        templateAppId = await prepareTemplate(h.env).catch(() => undefined);
      }
      const customers = sampleCustomers(4);
      const result = await provisionFleet(
        h.env,
        { partner: samplePartner(), customers, hydrate: fleetHydrate(templateAppId!) },
        {
          journal: createMemoryJournalStore(),
          concurrency: 4,
          retry: { retries: 6, baseDelayMs: 20, maxDelayMs: 200 },
        },
      );
      const stats = budget.stats();
      // Every retry the transports made was paid for, and the budget was never overdrawn.
      expect(logger.retries).toBe(stats.retries);
      expect(stats.spent).toBe(stats.retries * 5);
      expect(stats.spent).toBeLessThanOrEqual(stats.capacity + stats.refilled);
      // Two retries in flight empty this budget: the storm was refused retries instead of multiplying them.
      expect(stats.denied).toBeGreaterThan(0);
      expect(h.sim.faults.length).toBeGreaterThan(stats.retries);
      expect(result.customers).toHaveLength(customers.length);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('one logical call against a permanent 503 (strict simulator)', () => {
  it("makes the environment's configured attempts (16) and no more: the step does not multiply them", async () => {
    const h = await startOnboardHarness({
      timeScale: 200,
      faults: { rate: 1, kinds: ['503'], match: /^GET source\.eu\.qlikcloud\.com\/api\/v1\/licenses\/overview/ },
    });
    try {
      const result = await provisionFleet(
        h.env,
        { partner: samplePartner(), customers: sampleCustomers(1) },
        { journal: createMemoryJournalStore(), retry: { retries: 6, baseDelayMs: 20, maxDelayMs: 200 } },
      );
      expect(result.customers[0]).toMatchObject({ status: 'failed', failedStep: 'licenseKey' });
      // Two logical calls, 16 attempts each: the preflight's read (a 503 is no finding, so the fleet goes on)
      // and the licenseKey step's; the step's 6 retries multiply neither.
      expect(h.requests.filter((r) => r.path === '/api/v1/licenses/overview').map((r) => r.status)).toEqual(
        Array(32).fill(503),
      );
      expect(h.writes()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
