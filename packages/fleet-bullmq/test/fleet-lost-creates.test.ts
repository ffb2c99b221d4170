// Lost tenant-create answers in a fleet of worker processes sharing ONE journal (PostgreSQL, then Redis): the store's
// coordination makes every process's reconciliation as exact as one process's, so every customer gets its own tenant.
import { randomUUID } from 'node:crypto';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import { describeWithServers } from '../../../test/servers.js';
import {
  closeWorkerRun,
  queueConnection,
  sampleCustomers,
  startWorkerChild,
  tenantsByAlias,
  workerConfig,
  type WorkerChild,
} from './worker-harness.js';

const TIME_SCALE = 200;
const WORKERS = 3;

describeWithServers(
  ['TEST_POSTGRES_URL', 'TEST_REDIS_URL'],
  'lost tenant creates across worker processes sharing one journal',
  (postgresUrl, redisUrl) => {
    for (const journalStore of ['postgres', 'redis'] as const)
      describe(`on ${journalStore}`, () => {
        let sim: Simulator;
        let queue: Queue;
        const workers: WorkerChild[] = [];
        const queueName = `lost-${randomUUID().slice(0, 8)}`;
        const customers = sampleCustomers(12, journalStore === 'postgres' ? 'lp' : 'lr');

        beforeAll(async () => {
          // Half of the tenant creates are made but their answer is lost (the connection drops, or a 500 replaces it).
          sim = await startSimulator({
            strict: true,
            latency: false,
            timeScale: TIME_SCALE,
            faults: { rate: 0.5, kinds: ['lost-reset', 'lost-500'], match: /^POST register\./, seed: 1717 },
          });
          queue = new Queue(queueName, { connection: queueConnection(redisUrl) });
          // One configuration, so one journal table (or key prefix) for every worker, as a production fleet has.
          const config = workerConfig({ sim, timeScale: TIME_SCALE, redisUrl, postgresUrl }, 'lost', {
            queueName,
            concurrency: 4,
            journalStore,
          });
          for (let i = 0; i < WORKERS; i++) workers.push(startWorkerChild(config));
          await Promise.all(workers.map((worker) => worker.ready));
        }, 60_000);
        afterAll(() => closeWorkerRun({ workers, queue, sim }, 'SIGTERM'));

        it('every customer ends with exactly its own tenant: none ambiguous, none twice, no orphan', async () => {
          const summary = await watchFleet(queue, await enqueueFleet(queue, customers));
          const failures = summary.customers
            .filter((customer) => customer.status !== 'provisioned')
            .map((customer) => `${customer.customerId}: ${customer.error?.name} ${customer.error?.message}`);
          expect(failures).toEqual([]);
          expect(summary.counts.provisioned).toBe(customers.length);
          // The answers were lost often enough for processes to reconcile at the same time as others create.
          const lost = sim.faults.filter((fault) => fault.request.startsWith('POST register.')).length;
          expect(lost).toBeGreaterThanOrEqual(customers.length / 3);
          // One tenant per alias, each customer's own, and no tenant left without an alias (an orphan of a lost create).
          expect([...tenantsByAlias(sim)].map(([alias, entry]) => [alias, entry.tenants]).sort()).toEqual(
            customers.map((customer) => [customer.alias, 1]).sort(),
          );
          const orphans = [...sim.state.tenants.values()].filter((tenant) => tenant.hostnames.length < 2);
          expect(
            orphans.map((tenant) => tenant.hostnames[0]).filter((host) => host !== 'source.eu.qlikcloud.com'),
          ).toEqual([]);
          const byCustomer = new Map(summary.customers.map((customer) => [customer.customerId, customer.tenantHost]));
          for (const customer of customers)
            expect(byCustomer.get(customer.customerId)).toBe(`${customer.alias}.eu.qlikcloud.com`);
          expect(sim.violations).toEqual([]);
        }, 240_000);
      });
  },
);
