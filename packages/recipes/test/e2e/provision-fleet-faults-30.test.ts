import { afterEach, describe, expect, it } from 'vitest';
import { LOST_ANSWER_KINDS, type FaultKind } from '@qlik-oem/simulator';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { contentOf, fleetHydrate, prepareTemplate, stateByAlias } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness, type OnboardHarness } from './onboard-harness.js';

/** The test's own reads meet the faults too. */
async function retrying<T>(read: () => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

// Every kind the simulator injects, before the handler and after it (the work done, the answer lost),
// on token requests too. The fault sequence follows the order requests arrive in, so with 8 customers in
// flight a seed names a fault mix rather than one exact sequence.
const ALL_KINDS: FaultKind[] = ['429', '500', '503', 'reset', 'slow', ...LOST_ANSWER_KINDS];
const SEEDS = (process.env.FLEET_FAULT_SEEDS ?? '7,30,101').split(',').map(Number);

describe('provisionFleet with 30% injected faults of every kind, lost answers included (strict simulator)', () => {
  let h: OnboardHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}: every customer provisioned in one run, exactly one of each resource, no orphan`, async () => {
      h = await startOnboardHarness({
        timeScale: 200,
        faults: { rate: 0.3, kinds: ALL_KINDS, seed, includeOAuth: true },
      });
      const templateAppId = await retrying(() => prepareTemplate(h!.env));
      const customers = sampleCustomers(8);
      const result = await provisionFleet(
        h.env,
        { partner: samplePartner(), customers, hydrate: fleetHydrate(templateAppId) },
        // The fleet's default attempts; only the step retries' pauses are shortened (they run on real time).
        { journal: createMemoryJournalStore(), concurrency: 8, retry: { baseDelayMs: 20, maxDelayMs: 200 } },
      );
      expect(
        result.customers
          .filter((c) => c.status !== 'provisioned')
          .map((c) => `${c.customerId} at ${c.failedStep}: ${String(c.error)}`),
      ).toEqual([]);
      expect(result.possibleOrphans).toEqual([]);
      // Every kind really happened, lost answers of writes among them.
      expect(new Set(h.sim.faults.map((f) => f.kind))).toEqual(new Set(ALL_KINDS));
      expect(h.sim.faults.some((f) => f.kind.startsWith('lost-') && f.request.startsWith('POST'))).toBe(true);

      const state = stateByAlias(h.sim);
      for (const customer of customers) {
        const entry = state.get(customer.alias)!;
        expect({ tenants: entry.tenants, idps: entry.idps, groups: entry.groups.length }).toEqual({
          tenants: 1,
          idps: 1,
          groups: 3,
        });
        expect(await retrying(() => contentOf(h!.env, entry.tenantHost))).toEqual({
          spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
          apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
        });
      }
      // No orphans: every tenant but the source one is a customer's.
      expect(h.sim.state.tenants.size).toBe(1 + customers.length);
      expect(h.sim.violations).toEqual([]);
    }, 180_000);
  }
});
