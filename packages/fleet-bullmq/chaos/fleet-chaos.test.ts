// Chaos: a hydrated fleet over worker processes of which some are SIGKILLed at random moments and restarted; every customer ends provisioned, nothing twice, no 429.
import { randomUUID } from 'node:crypto';
import { createProvisioningEnvironment } from '@qlik-oem/recipes';
import { seededRandom, startSimulator, type Simulator } from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import { describeWithServers } from '../../../test/servers.js';
import { SIM_REGIONAL_CLIENT, SIM_SOURCE_TENANT } from '../../recipes/test/helpers/sim-access.js';
import {
  closeWorkerRun,
  contentOf,
  prepareTemplate,
  queueConnection,
  sampleCustomers,
  startWorkerChild,
  tenantsByAlias,
  workerConfig,
  type WorkerChild,
} from '../test/worker-harness.js';

// Not in `npm test`: `npm run test:chaos` (a CI step of its own) runs it at the size, 200 customers, 4 workers, 3 kills.
const CUSTOMERS = Number(process.env.FLEET_CHAOS_CUSTOMERS ?? 24);
const WORKERS = Number(process.env.FLEET_CHAOS_WORKERS ?? 3);
const KILLS = Number(process.env.FLEET_CHAOS_KILLS ?? 2);
const TIME_SCALE = 200;

describeWithServers(['TEST_POSTGRES_URL', 'TEST_REDIS_URL'], 'fleet workers under SIGKILL', (postgresUrl, redisUrl) => {
  let sim: Simulator;
  let queue: Queue;
  const workers: WorkerChild[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ strict: true, latency: false, timeScale: TIME_SCALE });
    queue = new Queue(`chaos-${randomUUID().slice(0, 8)}`, { connection: queueConnection(redisUrl) });
  });
  afterAll(() => closeWorkerRun({ workers, queue, sim }, 'SIGKILL'));

  it(`provisions ${CUSTOMERS} customers over ${WORKERS} workers with ${KILLS} of them SIGKILLed`, async () => {
    const seed = Number(process.env.FLEET_CHAOS_SEED ?? 31030);
    const random = seededRandom(seed);
    const env = createProvisioningEnvironment({
      region: 'eu',
      sourceTenantHost: SIM_SOURCE_TENANT,
      oauth: SIM_REGIONAL_CLIENT,
      fetch: sim.nodeFetch,
      createSocket: (url, init) => sim.createSocket(url, init),
      timeScale: TIME_SCALE,
    });
    const config = workerConfig({ sim, timeScale: TIME_SCALE, redisUrl, postgresUrl }, 'chaos', {
      queueName: queue.name,
      templateAppId: await prepareTemplate(env),
      concurrency: 8,
    });
    for (let i = 0; i < WORKERS; i++) workers.push(startWorkerChild(config));
    await Promise.all(workers.map((worker) => worker.ready));

    const customers = sampleCustomers(CUSTOMERS, 'k');
    const fleet = await enqueueFleet(queue, customers, { backoffMs: 200 });
    const watching = watchFleet(queue, fleet);
    let done = false;
    void watching.finally(() => (done = true));

    // Kill a random worker at a random moment while the fleet runs, and start a new one in its place.
    let kills = 0;
    for (let k = 0; k < KILLS && !done; k++) {
      await new Promise((resolve) => setTimeout(resolve, 500 + random() * 2_500));
      if (done) break;
      const index = Math.floor(random() * workers.length);
      const victim = workers[index]!;
      victim.process.kill('SIGKILL');
      await victim.exited;
      kills++;
      workers[index] = startWorkerChild(config);
    }
    const summary = await watching;
    const context = `seed ${seed}, ${kills} kills`;
    expect(kills, context).toBeGreaterThan(0);
    expect(
      summary.customers.filter((c) => c.status !== 'provisioned').map((c) => [c.customerId, c.status, c.error]),
      context,
    ).toEqual([]);

    const tenants = tenantsByAlias(sim);
    expect(tenants.size, context).toBe(CUSTOMERS);
    for (const customer of customers) {
      const entry = tenants.get(customer.alias);
      expect({ tenants: entry?.tenants, idps: entry?.idps }, `${context}: ${customer.alias}`).toEqual({
        tenants: 1,
        idps: 1,
      });
      expect(await contentOf(env, entry!.host), `${context}: ${customer.alias}`).toEqual({
        spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
        apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
      });
    }
    // One budget across every worker: Qlik's limiter never had to say no.
    expect(
      sim.counters.reduce((sum, bucket) => sum + bucket.rejected, 0),
      context,
    ).toBe(0);
    expect(sim.violations, context).toEqual([]);
  }, 600_000);
});
