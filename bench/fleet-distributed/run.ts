/**
 * provisionFleet across BullMQ worker processes vs in one process, on the same simulator in the same
 * run: each one's wall time in simulated time divided by the rate-limit lower bound from the
 * simulator's bucket counters. Needs Redis and PostgreSQL (TEST_REDIS_URL, TEST_POSTGRES_URL). See README.md.
 *
 *   npm run build && npx tsx bench/fleet-distributed/run.ts [--customers 1000] [--workers 4] [--time-scale 2] [--concurrency 250]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import { createMemoryJournalStore, createProvisioningEnvironment, provisionFleet } from '@qlik-oem/recipes';
import { rateLimitLowerBoundMs, startSimulator, type Simulator } from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import { partner, sampleCustomers, startWorkerChild } from '../../packages/fleet-bullmq/test/worker-harness.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '4' },
    'time-scale': { type: 'string', default: '2' },
    // Per worker: 4 x 250 puts every customer of the fleet in flight, as bench/fleet's in-process run does, so
    // the second window's tenant creates are all waiting when it opens (at 64 per worker the fleet ran in waves).
    concurrency: { type: 'string', default: '250' },
    target: { type: 'string', default: '1.10' },
    // Only the workers (e.g. a second fleet size); the comparison needs both.
    'workers-only': { type: 'boolean', default: false },
  },
});
const count = Number(values.customers);
const workerCount = Number(values.workers);
const timeScale = Number(values['time-scale']);
const concurrency = Number(values.concurrency);
const target = Number(values.target);
const redisUrl = process.env.TEST_REDIS_URL;
const postgresUrl = process.env.TEST_POSTGRES_URL;
if (!redisUrl || !postgresUrl)
  throw new Error('set TEST_REDIS_URL and TEST_POSTGRES_URL (scripts/test-servers.sh start DIR)');
const log = (line: string) => process.stdout.write(`${line}\n`);
const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;

function measure(sim: Simulator, simStart: number) {
  const wallMs = sim.clock.now() - simStart;
  const boundMs = rateLimitLowerBoundMs(sim.counters);
  const rejected = sim.counters.reduce((sum, c) => sum + c.rejected, 0);
  // The buckets nearest their limit, busiest first: the first sets the bound, the next may set the pace.
  const busiest = [...sim.counters]
    .sort((a, b) => b.count / (b.perMinute * b.windowMinutes) - a.count / (a.perMinute * a.windowMinutes))
    .slice(0, 3);
  const bucket =
    busiest
      .map(
        (c) =>
          `${c.host} ${c.tier} (${c.perMinute}/min): ${c.count} requests, ${(c.count / (c.perMinute * c.windowMinutes)).toFixed(2)} windows`,
      )
      .join('; ') || 'none';
  return { wallMs, boundMs, ratio: wallMs / boundMs, rejected, bucket };
}

/** The first few failure reasons, counted (what keeps a run from every customer). */
function failureReasons(customers: ReadonlyArray<{ status: string; failedStep?: string; error?: unknown }>) {
  const reasons = new Map<string, number>();
  for (const customer of customers) {
    if (customer.status !== 'failed') continue;
    const message = String((customer.error as { message?: unknown } | undefined)?.message ?? customer.error);
    const key = `${customer.failedStep ?? '?'}: ${message.replace(/[0-9a-f]{8,}|\d+/gi, '#').slice(0, 160)}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  return [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5);
}

// ---- in one process ---------------------------------------------------------------------------------
let one: ReturnType<typeof measure> | undefined;
if (!values['workers-only']) {
  const local = await startSimulator({ strict: false, timeScale, seed: 1 });
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: 'source.eu.qlikcloud.com',
    oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' },
    // A create whose answer is late (a loaded machine) is reconciled, not reported as a possible orphan.
    organization: { clientId: 'sim-org', clientSecret: 'sim-org-secret' },
    fetch: local.fetch,
    timeScale,
  });
  const localStart = local.clock.now();
  const inProcess = await provisionFleet(
    env,
    { partner, customers: sampleCustomers(count, 'p') },
    { journal: createMemoryJournalStore(), concurrency: concurrency * workerCount },
  );
  one = measure(local, localStart);
  await local.close();
  log(`in-process provisionFleet: ${count} customers, concurrency ${concurrency * workerCount}, ${timeScale}x`);
  log(`  ${inProcess.counts.provisioned} provisioned, ${inProcess.counts.failed} failed; 429s: ${one.rejected}`);
  log(`  wall ${minutes(one.wallMs)} / bound ${minutes(one.boundMs)} = ${one.ratio.toFixed(3)}; busiest ${one.bucket}`);
  for (const [reason, n] of failureReasons(inProcess.customers)) log(`  failed x${n}: ${reason}`);
}

// ---- across worker processes ------------------------------------------------------------------------
const sim = await startSimulator({ strict: false, timeScale, seed: 1 });
const redis = new URL(redisUrl);
const queue = new Queue(`bench-${randomUUID().slice(0, 8)}`, {
  connection: { host: redis.hostname, port: Number(redis.port), maxRetriesPerRequest: null },
});
const workers = Array.from({ length: workerCount }, () =>
  startWorkerChild({
    port: sim.port,
    timeScale,
    redisUrl,
    postgresUrl,
    table: `bench_${randomUUID().slice(0, 8)}`,
    queueName: queue.name,
    fleet: { partner },
    concurrency,
    timing: 'bench',
  }),
);
await Promise.all(workers.map((worker) => worker.ready));
const simStart = sim.clock.now();
const summary = await watchFleet(queue, await enqueueFleet(queue, sampleCustomers(count, 'd')));
const many = measure(sim, simStart);
for (const worker of workers) worker.process.kill('SIGTERM');
await Promise.all(workers.map((worker) => worker.exited));
await queue.obliterate({ force: true });
await queue.close();
await sim.close();
log(`\n${workerCount} BullMQ workers x concurrency ${concurrency}: ${count} customers, ${timeScale}x`);
log(`  ${summary.counts.provisioned} provisioned, ${summary.counts.failed} failed; 429s: ${many.rejected}`);
log(
  `  wall ${minutes(many.wallMs)} / bound ${minutes(many.boundMs)} = ${many.ratio.toFixed(3)}   (target <= ${target}); busiest ${many.bucket}`,
);
for (const [reason, n] of failureReasons(summary.customers)) log(`  failed x${n}: ${reason}`);
if (one) log(`  distributed / in-process wall = ${(many.wallMs / one.wallMs).toFixed(3)}`);

if (summary.counts.provisioned !== count || !(many.ratio <= target)) {
  log(`\nFAIL: ${count - summary.counts.provisioned} not provisioned, ratio ${many.ratio.toFixed(3)}`);
  process.exitCode = 1;
}
