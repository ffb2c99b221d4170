import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { contentOf, fleetHydrate, prepareTemplate, retrying, stateByAlias } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness, type OnboardHarness } from './onboard-harness.js';

describe('provisionFleet with 10% injected faults (strict simulator)', () => {
  let h: OnboardHarness;
  beforeAll(async () => {
    const seed = Number(process.env.FLEET_FAULT_SEED ?? 11);
    h = await startOnboardHarness({ timeScale: 200, faults: { rate: 0.1, seed } });
    return () => h.close();
  });

  it('provisions every customer, with exactly one of each resource', async () => {
    const templateAppId = await retrying(() => prepareTemplate(h.env), 8);
    const customers = sampleCustomers(8);
    const result = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers, hydrate: fleetHydrate(templateAppId) },
      { journal: createMemoryJournalStore(), concurrency: 8, retry: { retries: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    );
    expect(
      result.customers.filter((c) => c.status !== 'provisioned').map((c) => `${c.customerId}: ${String(c.error)}`),
    ).toEqual([]);
    // The faults really happened, on writes too.
    expect(h.sim.faults.length).toBeGreaterThan(20);
    expect(h.sim.faults.some((f) => f.request.startsWith('POST') && ['500', 'reset'].includes(f.kind))).toBe(true);

    const state = stateByAlias(h.sim);
    for (const customer of customers) {
      const entry = state.get(customer.alias)!;
      expect({ tenants: entry.tenants, idps: entry.idps, groups: entry.groups.length }).toEqual({
        tenants: 1,
        idps: 1,
        groups: 3,
      });
      expect(await retrying(() => contentOf(h.env, entry.tenantHost), 8)).toEqual({
        spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
        apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
      });
    }
    expect(h.sim.state.tenants.size).toBe(1 + customers.length);
    expect(h.sim.violations).toEqual([]);
  }, 60_000);
});

describe('a customer that fails after its tenant was created (strict simulator)', () => {
  it('still names its tenant in the result: the tenant is in its journal, not an orphan', async () => {
    // Every read of the group settings fails: the customer stops at groupSettings, after its tenant exists.
    const h = await startOnboardHarness({
      timeScale: 200,
      faults: { rate: 1, kinds: ['500'], match: /^GET customer-001\.eu\.qlikcloud\.com\/api\/v1\/groups\/settings$/ },
    });
    try {
      const journal = createMemoryJournalStore();
      const input = { partner: samplePartner(), customers: sampleCustomers(1) };
      const options = { journal, retry: { baseDelayMs: 20, maxDelayMs: 200 } };
      const first = await provisionFleet(h.env, input, options);
      const tenant = [...h.sim.state.tenants.values()].find((t) =>
        t.hostnames.includes('customer-001.eu.qlikcloud.com'),
      );
      expect(tenant).toBeDefined();
      expect(first.customers[0]).toMatchObject({
        status: 'failed',
        failedStep: 'groupSettings',
        tenantId: tenant!.id,
        tenantHost: 'customer-001.eu.qlikcloud.com',
      });
      expect(first.possibleOrphans).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
