// Two broker instances on one PostgreSQL database, asked to onboard the same customer at the same moment: one works, the other answers 409.
import { randomUUID } from 'node:crypto';
import { createPostgresJournalStore } from '@qlik-oem/journal-stores';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { buildBroker } from '../src/server.js';
import { describeWithServers } from '../../../test/servers.js';
import { postCustomer, readLines, startBrokerHarness, type BrokerHarness } from './helpers.js';

describeWithServers(['TEST_POSTGRES_URL'], 'examples/broker: two instances on one PostgreSQL journal', (url) => {
  let h: BrokerHarness | undefined;
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const pool of pools.splice(0)) await pool.end();
  });

  it('one instance onboards the customer, the other reports it in progress; nothing is duplicated', async () => {
    const table = `broker_${randomUUID().slice(0, 8)}`;
    const openStore = async () => {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      pools.push(pool);
      return createPostgresJournalStore({ client: pool, table });
    };
    h = await startBrokerHarness({ journal: await openStore() });
    const second = buildBroker({ ...h.world, journal: await openStore(), retry: { retries: 0 } });
    const secondUrl = await second.listen({ host: '127.0.0.1', port: 0 });
    try {
      const customer = { customerId: 'initech', name: 'Initech', alias: 'initech' };
      const responses = await Promise.all([postCustomer(h.url, customer), postCustomer(secondUrl, customer)]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const busy = responses.find((response) => response.status === 409)!;
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('customer-busy');
      const { lines } = await readLines(responses.find((response) => response.status === 200)!);
      expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'provisioned' });

      const tenants = [...h.world.sim.state.tenants.values()].filter((tenant) =>
        tenant.hostnames.includes('initech.eu.qlikcloud.com'),
      );
      expect(tenants).toHaveLength(1);
      expect(tenants[0]!.identityProviders.size).toBe(1);
      expect(h.world.sim.violations).toEqual([]);
    } finally {
      await second.close();
    }
  }, 60_000);
});
