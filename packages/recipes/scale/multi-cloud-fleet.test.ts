// A multi-cloud fleet's first run at scale: 150 customers at concurrency 16 all onboard and get their QSEoW
// app, with the shared site entities (routing custom property, distribution policy) made once and every
// customer's value on the one shared app kept. `npm run test:scale`, a bounded CI step of its own.
import { QRS_RULE_ACTIONS, dataOrThrow, getApp } from '@qlik-oem/qrs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../src/index.js';
import { startMultiCloudWorld, type MultiCloudWorld } from '../test/e2e/multi-cloud-harness.js';
import { sampleCustomers, samplePartner } from '../test/e2e/onboard-harness.js';

const CUSTOMERS = Number(process.env['MULTI_CLOUD_SCALE_CUSTOMERS'] ?? 150);
const CONCURRENCY = 16;

describe(`provisionFleet with multi-cloud: ${CUSTOMERS} customers at concurrency ${CONCURRENCY} (strict simulator)`, () => {
  let w: MultiCloudWorld;
  beforeAll(async () => {
    w = await startMultiCloudWorld([]);
    return () => w.close();
  });

  it('provisions every customer on the first run, with one deployment and IdP each and the shared entities once', async () => {
    const shared = await w.publishedApp('Partner Analytics');
    const customers = sampleCustomers(CUSTOMERS);
    const journal = createMemoryJournalStore();
    const result = await provisionFleet(
      w.env,
      { partner: samplePartner(), customers, multiCloud: { site: await w.site(), appIds: [shared] } },
      { journal, concurrency: CONCURRENCY },
    );
    const failed = result.customers.filter((c) => c.status !== 'provisioned');
    expect(failed.map((c) => `${c.customerId} at ${c.failedStep}: ${String(c.error)}`)).toEqual([]);
    expect(result.counts.provisioned).toBe(CUSTOMERS);

    const deployments = await w.deploymentsInQmc();
    expect(new Set(deployments.map((d) => d.name)).size).toBe(CUSTOMERS);
    expect(deployments).toHaveLength(CUSTOMERS);
    for (const tenant of w.sim.state.tenants.values()) {
      if (tenant.hostnames[0] === 'source.eu.qlikcloud.com') continue;
      const multiCloud = [...tenant.identityProviders.values()].filter(
        (idp) => idp.protocol === 'qsefw-local-bearer-token',
      );
      expect(multiCloud, tenant.hostnames.join(',')).toHaveLength(1);
    }
    const definitions = dataOrThrow(await w.admin.api.GET('/custompropertydefinition/full', {}), 'GET').filter(
      (d) => d.name === 'deployments',
    );
    expect(definitions).toHaveLength(1);
    expect(new Set(definitions[0]!.choiceValues).size).toBe(CUSTOMERS);
    const policies = dataOrThrow(await w.admin.api.GET('/systemrule/full', {}), 'GET').filter(
      (rule) => ((rule.actions ?? 0) & QRS_RULE_ACTIONS.distribute) !== 0,
    );
    expect(policies).toHaveLength(1);
    const app = await getApp(w.admin, shared);
    expect(app.customProperties?.filter((c) => c.definition?.name === 'deployments')).toHaveLength(CUSTOMERS);
    expect(w.sim.violations).toEqual([]);
  }, 900_000);
});
