import { isQlikValidationError } from '@qlik-oem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { spaceOf, startMultiCloudWorld, type MultiCloudWorld } from './multi-cloud-harness.js';
import { sampleCustomers, samplePartner } from './onboard-harness.js';

describe('provisionFleet with multi-cloud distribution from a QSEoW site (strict simulator)', () => {
  let w: MultiCloudWorld;
  beforeAll(async () => {
    w = await startMultiCloudWorld([]);
    return () => w.close();
  });

  it('onboards each tenant, then distributes its QSEoW app into the managed space; a rerun writes nothing', async () => {
    const shared = await w.publishedApp('Partner Analytics');
    const customers = sampleCustomers(2);
    const site = await w.site();
    const input = {
      partner: samplePartner(),
      customers,
      // The second customer has no multi-cloud: its multi-cloud steps do nothing.
      multiCloud: { site, appIds: (c: { customerId: string }) => (c.customerId === 'c001' ? [shared] : undefined) },
    };
    const journal = createMemoryJournalStore();
    const first = await provisionFleet(w.env, input, { journal });
    expect(first.customers.map((c) => [c.customerId, c.status, (c.error as Error | undefined)?.message ?? ''])).toEqual(
      [
        ['c001', 'provisioned', ''],
        ['c002', 'provisioned', ''],
      ],
    );
    expect(await spaceOf(w, 'customer-001', shared)).toBe('Customer 001');
    const tenant2 = w.env.tenant('customer-002.eu.qlikcloud.com');
    const apps2 = (await tenant2.items.GET('/api/v1/items', { params: { query: { resourceType: 'app' } } })).data!.data;
    expect(apps2).toEqual([]);

    const before = w.writes().length;
    const second = await provisionFleet(w.env, input, { journal });
    expect(second.counts.unchanged).toBe(2);
    expect(
      w
        .writes()
        .slice(before)
        .map((r) => `${r.method} ${r.host}${r.path}`),
    ).toEqual([]);
    expect(w.sim.violations).toEqual([]);
  });

  it('rejects a bad QSEoW app id before any request, naming the customer', async () => {
    const count = w.requests.length;
    const error = await provisionFleet(w.env, {
      partner: samplePartner(),
      customers: sampleCustomers(2),
      multiCloud: { site: await w.site(), appIds: ['not-a-guid'] },
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(error)).toBe(true);
    expect((error as Error).message).toContain('customers[0].multiCloud.appIds[0]: must be a QSEoW app GUID');
    expect(w.requests.length).toBe(count);
  });
});
