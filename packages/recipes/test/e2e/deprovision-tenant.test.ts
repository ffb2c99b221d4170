import { isQlikValidationError } from '@qlik-oem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  deprovisionTenant,
  onboardTenant,
  reactivateTenant,
  TenantDeactivatedError,
} from '../../src/index.js';
import { startOnboardHarness, sampleCustomers, samplePartner, type OnboardHarness } from './onboard-harness.js';

describe('deprovisionTenant / reactivateTenant against the simulator (strict)', () => {
  let h: OnboardHarness;
  beforeAll(async () => {
    h = await startOnboardHarness();
    return () => h.close();
  });

  it('deactivates once, reactivates once, and writes nothing when already there', async () => {
    const customer = sampleCustomers(1)[0]!;
    const journal = createMemoryJournalStore();
    const { tenant } = await onboardTenant(h.env, { customer, partner: samplePartner() }, { journal });
    const state = h.sim.state.tenantById(tenant.tenantId)!;

    const first = await deprovisionTenant(
      h.env,
      { customerId: customer.customerId, alias: customer.alias, purgeAfterDays: 14 },
      { journal },
    );
    expect(first.status).toBe('provisioned');
    expect(first.outputs.deactivate.tenantId).toBe(tenant.tenantId);
    expect(state.status).toBe('disabled');
    const deactivations = h.writes().filter((r) => r.path.endsWith('/actions/deactivate'));
    expect(deactivations).toEqual([
      {
        method: 'POST',
        host: 'register.eu.qlikcloud.com',
        path: `/api/v1/tenants/${tenant.tenantId}/actions/deactivate`,
        status: 200,
      },
    ]);

    const before = h.writes().length;
    // Again: from the journal's recorded id, and with the id given (a fresh journal).
    expect(
      (await deprovisionTenant(h.env, { customerId: customer.customerId, alias: customer.alias }, { journal })).status,
    ).toBe('unchanged');
    const byId = { customerId: customer.customerId, alias: customer.alias, tenantId: tenant.tenantId };
    expect((await deprovisionTenant(h.env, byId, { journal: createMemoryJournalStore() })).status).toBe('unchanged');
    expect(h.writes().length).toBe(before);

    // Onboarding does not silently reuse a deactivated tenant.
    const refused = await onboardTenant(
      h.env,
      { customer, partner: samplePartner() },
      { journal, retry: { retries: 0 } },
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'RecipeStepError', step: 'tenant' });
    expect((refused as Error).cause).toBeInstanceOf(TenantDeactivatedError);
    expect(h.writes().length).toBe(before);

    expect((await reactivateTenant(h.env, byId, { journal })).status).toBe('provisioned');
    expect(state.status).toBe('active');
    expect((await reactivateTenant(h.env, byId, { journal })).status).toBe('unchanged');
    expect((await onboardTenant(h.env, { customer, partner: samplePartner() }, { journal })).status).toBe('unchanged');
    expect(h.sim.violations).toEqual([]);
  });

  it('does nothing for an alias no tenant has', async () => {
    const result = await deprovisionTenant(
      h.env,
      { customerId: 'ghost', alias: 'no-such-customer' },
      { journal: createMemoryJournalStore() },
    );
    expect(result.status).toBe('unchanged');
    expect(result.outputs.deactivate.tenantId).toBeNull();
    expect(h.sim.violations).toEqual([]);
  });

  it('rejects a bad purgeAfterDays or alias before any request', async () => {
    const count = h.requests.length;
    const cases = [
      [{ customerId: 'c1', alias: 'acme', purgeAfterDays: 365 }, 'purgeAfterDays: must be at most 90'],
      [{ customerId: 'c1', alias: 'acme', purgeAfterDays: 5 }, 'purgeAfterDays: must be at least 10'],
      [{ customerId: 'c1', alias: 'https://acme' }, 'alias: must be a DNS label'],
    ] as const;
    for (const [input, message] of cases) {
      const error = await deprovisionTenant(h.env, input).catch((e: unknown) => e);
      expect(isQlikValidationError(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    expect(h.requests.length).toBe(count);
  });
});
