import { describe, expect, it } from 'vitest';
import { LOST_ANSWER_KINDS } from '@qlik-oem/simulator';
import { unwrap } from '@qlik-oem/qlik-cloud';
import {
  createCustomerProvisioner,
  createMemoryJournalStore,
  onboardTenant,
  provisionFleet,
  type ProvisionedCustomer,
} from '../../src/index.js';
import { sampleCustomers, samplePartner, startOnboardHarnessForTest } from './onboard-harness.js';

const RETRY = { retries: 4, baseDelayMs: 10, maxDelayMs: 50 };
const failures = (customers: ProvisionedCustomer[]) =>
  customers.filter((c) => c.status !== 'provisioned').map((c) => `${c.customerId}: ${String(c.error)}`);

describe('the tenant-create window (strict simulator)', () => {
  for (const kind of LOST_ANSWER_KINDS) {
    it(`every create whose answer is lost (${kind}) is adopted through the Organization API: one tenant per customer`, async () => {
      const h = await startOnboardHarnessForTest({
        timeScale: 200,
        faults: { rate: 1, kinds: [kind], match: /^POST register\./, slowMs: 600_000 },
        // 600 simulated seconds are 3 real seconds: past this timeout, so a lost-slow create times out.
        timeoutMs: 1_000,
      });
      const before = h.sim.state.tenants.size;
      const customers = sampleCustomers(4);
      const result = await provisionFleet(
        h.env,
        { partner: samplePartner(), customers },
        { journal: createMemoryJournalStore(), concurrency: 4, retry: RETRY },
      );
      expect(failures(result.customers)).toEqual([]);
      expect(result.possibleOrphans).toEqual([]);
      // Every create was lost, none was repeated: exactly one tenant per customer, each with its alias.
      expect(h.sim.faults.length).toBeGreaterThanOrEqual(4);
      expect(h.sim.state.tenants.size).toBe(before + customers.length);
      const hosts = new Set(result.customers.map((c) => c.tenantHost));
      expect(hosts.size).toBe(customers.length);
      for (const customer of customers)
        expect(h.sim.state.tenantByHost(`${customer.alias}.eu.qlikcloud.com`)).toBeDefined();
    });
  }

  it("provisioners with ledgers of their own (a queue worker's each) over one journal store reconcile each other's lost creates", async () => {
    const h = await startOnboardHarnessForTest({
      timeScale: 200,
      faults: { rate: 1, kinds: ['lost-500'], match: /^POST register\./ },
    });
    const before = h.sim.state.tenants.size;
    const journal = createMemoryJournalStore();
    const provisioners = Array.from({ length: 3 }, () =>
      createCustomerProvisioner(h.env, { partner: samplePartner() }, { journal, retry: RETRY }),
    );
    const customers = sampleCustomers(6);
    const results = await Promise.all(customers.map((customer, i) => provisioners[i % 3]!.provision(customer)));
    expect(failures(results)).toEqual([]);
    // Every create was lost and reconciled by one of three ledgers: one tenant per customer, none made twice.
    expect(h.sim.faults.length).toBeGreaterThanOrEqual(customers.length);
    expect(h.sim.state.tenants.size).toBe(before + customers.length);
    for (const [i, customer] of customers.entries())
      expect(results[i]!.tenantHost).toBe(`${customer.alias}.eu.qlikcloud.com`);
  });

  it("onboardTenant calls over one journal store (a broker's requests, its instances) reconcile each other's lost creates", async () => {
    const h = await startOnboardHarnessForTest({
      timeScale: 200,
      faults: { rate: 1, kinds: ['lost-500'], match: /^POST register\./ },
    });
    const before = h.sim.state.tenants.size;
    const journal = createMemoryJournalStore();
    const customers = sampleCustomers(4);
    const results = await Promise.allSettled(
      customers.map((customer) =>
        onboardTenant(h.env, { customer, partner: samplePartner() }, { journal, retry: RETRY }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    // Every create was lost and reconciled, each knowing the others' creates: one tenant per customer, none twice.
    expect(h.sim.faults.length).toBeGreaterThanOrEqual(customers.length);
    expect(h.sim.state.tenants.size).toBe(before + customers.length);
    for (const customer of customers)
      expect(h.sim.state.tenantByHost(`${customer.alias}.eu.qlikcloud.com`)).toBeDefined();
  });

  it('without an organization client a lost create stops that customer, names it as a possible orphan, and is never repeated', async () => {
    const h = await startOnboardHarnessForTest({
      timeScale: 200,
      organization: false,
      faults: { rate: 1, kinds: ['lost-500'], match: /^POST register\./ },
    });
    const before = h.sim.state.tenants.size;
    const journal = createMemoryJournalStore();
    const customers = sampleCustomers(2);
    const run = () =>
      provisionFleet(h.env, { partner: samplePartner(), customers }, { journal, concurrency: 2, retry: RETRY });
    const first = await run();
    expect(first.possibleOrphans.sort()).toEqual(customers.map((c) => c.customerId).sort());
    expect(first.customers.map((c) => (c.error as { cause?: Error } | undefined)?.cause?.name)).toEqual([
      'TenantCreateUncertainError',
      'TenantCreateUncertainError',
    ]);
    expect(h.sim.state.tenants.size).toBe(before + 2);
    // A second run still refuses to create again.
    const second = await run();
    expect(second.possibleOrphans.sort()).toEqual(customers.map((c) => c.customerId).sort());
    expect(h.sim.state.tenants.size).toBe(before + 2);
  });
});

describe('ownership before adoption (strict simulator)', () => {
  it("a new customer with an existing customer's alias is refused before any write to that tenant", async () => {
    const h = await startOnboardHarnessForTest({ timeScale: 200 });
    const [first] = sampleCustomers(1);
    const done = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers: [first!] },
      { journal: createMemoryJournalStore(), retry: RETRY },
    );
    expect(failures(done.customers)).toEqual([]);
    const takenHost = `${first!.alias}.eu.qlikcloud.com`;
    const tenant = h.sim.state.tenantByHost(takenHost)!;
    const seen = h.requests.length;

    const intruder = { customerId: 'intruder', name: 'Intruder Inc', alias: first!.alias };
    // The fleet's check before its first write finds it...
    const refused = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers: [intruder] },
      { journal: createMemoryJournalStore(), retry: RETRY },
    ).catch((e: unknown) => e as Error & { issues?: Array<{ path: unknown[] }> });
    expect((refused as Error).name).toBe('QlikValidationError');
    expect((refused as { issues: Array<{ path: unknown[] }> }).issues[0]!.path).toEqual(['customers', 0, 'alias']);
    // ...and the tenant step itself refuses it too (a tenant given the alias after that check).
    const error = (await onboardTenant(
      h.env,
      { customer: intruder, partner: samplePartner() },
      { journal: createMemoryJournalStore() },
    ).catch((e: unknown) => e)) as { cause?: Error & { tenantId?: string } };
    expect(error.cause?.name).toBe('TenantOwnershipError');
    expect(error.cause?.tenantId).toBe(tenant.id);
    const after = h.requests.slice(seen);
    const tenantHosts = new Set(tenant.hostnames);
    expect(after.filter((r) => tenantHosts.has(r.host) && r.method !== 'GET' && r.path !== '/oauth/token')).toEqual([]);
    expect(after.filter((r) => r.host.startsWith('register.') && r.method === 'POST')).toEqual([]);
  });

  it('a tenant already marked for another customer is never marked for a second one (whatever recorded it)', async () => {
    const h = await startOnboardHarnessForTest({ timeScale: 200 });
    const [customer] = sampleCustomers(1);
    const input = { customer: customer!, partner: samplePartner() };
    const journal = createMemoryJournalStore();
    const first = await onboardTenant(h.env, input, { journal });
    // Its journal now names a tenant whose mark says another customer's, as when a process reconciling a lost
    // create took a tenant another process had just created (and marked) for its own customer.
    const host = first.outputs.tenant.primaryHost;
    const tenant = h.env.tenant(host);
    const marks = unwrap(
      await tenant.groups.GET('/api/v1/groups', { params: { query: { filter: 'name sw "qlik-oem-owner:"' } } }),
    ).data!;
    expect(marks.map((group) => group.name)).toEqual([expect.stringMatching(new RegExp(`:${customer!.customerId}$`))]);
    const mark = marks[0]!;
    expect(
      (await tenant.groups.DELETE('/api/v1/groups/{groupId}', { params: { path: { groupId: mark.id } } })).response
        .status,
    ).toBe(204);
    const otherMark = mark.name.replace(/[^:]+$/, 'another-customer');
    unwrap(await tenant.groups.POST('/api/v1/groups', { body: { name: otherMark, providerType: 'idp' } }));
    const seen = h.requests.length;

    const error = (await onboardTenant(h.env, input, { journal }).catch((e: unknown) => e)) as {
      step?: string;
      cause?: Error & { tenantId?: string };
    };
    expect(error.step).toBe('tenantOwner');
    expect(error.cause?.name).toBe('TenantOwnershipError');
    expect(error.cause?.tenantId).toBe(first.outputs.tenant.tenantId);
    expect(error.cause?.message).toContain(otherMark);
    const writes = h.requests.slice(seen).filter((r) => r.method !== 'GET' && r.path !== '/oauth/token');
    expect(writes).toEqual([]);
  });

  it("a customer with the source tenant's alias is refused before any write to the source tenant", async () => {
    const h = await startOnboardHarnessForTest({ timeScale: 200 });
    const error = await onboardTenant(
      h.env,
      { customer: { customerId: 'sneaky', name: 'Sneaky', alias: 'source' }, partner: samplePartner() },
      { journal: createMemoryJournalStore() },
    ).catch((e: unknown) => e as Error & { cause?: Error });
    expect(String((error as Error & { cause?: Error }).cause?.name ?? (error as Error).name)).toBe(
      'TenantOwnershipError',
    );
    expect(h.writes()).toEqual([]);
  });
});
