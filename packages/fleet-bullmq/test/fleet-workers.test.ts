// Fleets across worker processes: enqueueFleet, two startFleetWorker processes on PostgreSQL + Redis, watchFleet's events and summary, deterministic job ids.
import { randomUUID } from 'node:crypto';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import type { RecipeEvent } from '@qlik-oem/recipes';
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
const customers = sampleCustomers(6);

describeWithServers(
  ['TEST_POSTGRES_URL', 'TEST_REDIS_URL'],
  'provisionFleet on BullMQ workers',
  (postgresUrl, redisUrl) => {
    let sim: Simulator;
    let queue: Queue;
    const workers: WorkerChild[] = [];
    const queueName = `fleet-${randomUUID().slice(0, 8)}`;
    // Built lazily (queueConnection in the hooks and tests): when the servers are missing the suite is skipped,
    // but this body still runs (with '').

    beforeAll(async () => {
      sim = await startSimulator({ strict: true, latency: false, timeScale: TIME_SCALE });
      queue = new Queue(queueName, { connection: queueConnection(redisUrl) });
      const config = workerConfig({ sim, timeScale: TIME_SCALE, redisUrl, postgresUrl }, 'fleet', {
        queueName,
        concurrency: 3,
      });
      workers.push(startWorkerChild(config), startWorkerChild(config));
      await Promise.all(workers.map((worker) => worker.ready));
    }, 60_000);
    afterAll(() => closeWorkerRun({ workers, queue, sim }, 'SIGTERM'));

    it('provisions every customer once across two workers, streaming the same events as the in-process fleet', async () => {
      const fleet = await enqueueFleet(queue, customers);
      const events: RecipeEvent[] = [];
      const summary = await watchFleet(queue, fleet, { onEvent: (event) => events.push(event) });
      expect(summary.counts).toEqual({ provisioned: 6, unchanged: 0, failed: 0, aborted: 0 });
      expect(summary.customers.map((customer) => customer.customerId)).toEqual(customers.map((c) => c.customerId));
      for (const customer of summary.customers) {
        expect(customer.tenantHost).toMatch(/\.eu\.qlikcloud\.com$/);
        expect(customer.steps.length).toBeGreaterThan(5);
      }
      expect(
        events
          .filter((event) => event.type === 'customer:done')
          .map((event) => event.customerId)
          .sort(),
      ).toEqual(customers.map((c) => c.customerId).sort());
      expect(events.some((event) => event.type === 'step:done')).toBe(true);
      // The workers send each job's events in batches: every customer's arrive whole and in order, one step
      // event (done or skip) per step of its result, between its start and its done.
      for (const customer of summary.customers) {
        const own = events.filter((event) => event.customerId === customer.customerId);
        expect(own[0]?.type).toBe('customer:start');
        expect(own.at(-1)?.type).toBe('customer:done');
        expect(own.filter((event) => event.type === 'step:done' || event.type === 'step:skip')).toHaveLength(
          customer.steps.length,
        );
      }
      expect([...tenantsByAlias(sim)].map(([alias, entry]) => [alias, entry.tenants, entry.idps]).sort()).toEqual(
        customers.map((c) => [c.alias, 1, 1]).sort(),
      );
      expect(sim.violations).toEqual([]);

      // The same customers again: the same job ids, whose completed results are the answer; nothing runs again.
      const again = await enqueueFleet(queue, customers);
      expect(again.jobs).toEqual(fleet.jobs);
      expect((await watchFleet(queue, again)).counts.provisioned).toBe(6);
      // A changed input is new work.
      const changed = [{ ...customers[0]!, name: 'Worker Customer One' }];
      const next = await enqueueFleet(queue, changed);
      expect(next.jobs[0]!.jobId).not.toBe(again.jobs[0]!.jobId);
      const rerun = await watchFleet(queue, next);
      expect(rerun.customers[0]).toMatchObject({ customerId: 'w1', status: 'provisioned' });
      expect(tenantsByAlias(sim).get('w-customer-1')?.tenants).toBe(1);
    }, 180_000);

    it('refuses customers without ids or with duplicate ids before sending anything', async () => {
      const empty = new Queue(`fleet-${randomUUID().slice(0, 8)}`, { connection: queueConnection(redisUrl) });
      try {
        await expect(enqueueFleet(empty, [customers[0]!, customers[0]!])).rejects.toMatchObject({
          name: 'QlikValidationError',
          message: expect.stringContaining('customers[1].customerId'),
        });
        await expect(enqueueFleet(empty, [{ ...customers[0]!, customerId: '' }])).rejects.toMatchObject({
          name: 'QlikValidationError',
        });
        expect(await empty.getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed')).toBe(0);
      } finally {
        await empty.close();
      }
    });
  },
);
