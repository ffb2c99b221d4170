/**
 * provisionFleet across BullMQ worker processes vs in one process, on the same simulator in the same
 * run: each one's wall time in simulated time divided by the rate-limit lower bound from the
 * simulator's bucket counters. Needs Redis and PostgreSQL (TEST_REDIS_URL, TEST_POSTGRES_URL). See README.md.
 *
 *   npm run build && npx tsx bench/fleet-distributed/run.ts [--customers 1000] [--workers 4] [--time-scale 2] [--concurrency 250]
 *     [--token-bucket client,none]
 *
 * Which rate-limit bucket Qlik counts a token request in is unknown (the simulator's `tokenRequestBucket`,
 * registry entry http-rate-limit-token-request-bucket), so both runs are made under each value asked for.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import { createMemoryJournalStore, createProvisioningEnvironment, provisionFleet } from '@qlik-oem/recipes';
import {
  rateLimitLowerBoundMs,
  startSimulator,
  TOKEN_REQUEST_BUCKETS,
  type Simulator,
  type TokenRequestBucket,
} from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import {
  SIM_ORG_CLIENT,
  SIM_REGIONAL_CLIENT,
  SIM_SOURCE_TENANT,
} from '../../packages/recipes/test/helpers/sim-access.js';
import {
  closeWorkerRun,
  partner,
  queueConnection,
  sampleCustomers,
  startWorkerChild,
  workerConfig,
} from '../../packages/fleet-bullmq/test/worker-harness.js';

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
    // The simulator's tokenRequestBucket values to run under, in turn: `client` counts each process's token
    // request among the registration host's tenant creates (1,000 customers need three windows), `none` (and
    // `anonymous`, the same here) does not (two windows).
    'token-bucket': { type: 'string', default: 'client,none' },
    // A directory for the workers' CPU profiles (run the script itself with node --cpu-prof for the simulator's).
    'cpu-prof': { type: 'string' },
    // The share of tenant creates whose answer the simulator loses (the tenant is made, the connection drops or a
    // 500 replaces the answer), so the fleet reconciles them: default 0.
    'lost-creates': { type: 'string', default: '0' },
  },
});
const count = Number(values.customers);
const lostCreates = Number(values['lost-creates']);
const faults =
  lostCreates > 0
    ? { faults: { rate: lostCreates, kinds: ['lost-reset' as const, 'lost-500' as const], match: /^POST register\./ } }
    : {};
const workerCount = Number(values.workers);
const timeScale = Number(values['time-scale']);
const concurrency = Number(values.concurrency);
const target = Number(values.target);
const tokenBuckets = values['token-bucket'].split(',').map((b) => b.trim()) as TokenRequestBucket[];
for (const b of tokenBuckets)
  if (!TOKEN_REQUEST_BUCKETS.includes(b))
    throw new Error(`--token-bucket: ${b} is none of ${TOKEN_REQUEST_BUCKETS.join(', ')}`);
const servers = { redis: process.env.TEST_REDIS_URL, postgres: process.env.TEST_POSTGRES_URL };
if (!servers.redis || !servers.postgres)
  throw new Error('set TEST_REDIS_URL and TEST_POSTGRES_URL (scripts/test-servers.sh start DIR)');
const redisUrl: string = servers.redis;
const postgresUrl: string = servers.postgres;
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
  // When the tenant creates were served (simulated time from the start): the bound is set by them, and what
  // follows the last one is its customer's chain, the part of the wall time the bound leaves out.
  const creates = [...sim.state.tenants.values()]
    .map((t) => Date.parse(t.created) - simStart)
    .filter((ms) => ms >= 0)
    .sort((a, b) => a - b);
  const at = (i: number) => (creates[i] === undefined ? '-' : minutes(creates[i]));
  const lastCreate = creates.at(-1) ?? 0;
  const timeline = `creates ${creates.length}: first at ${at(0)}, 500th at ${at(499)}, 501st at ${at(500)}, last at ${at(creates.length - 1)}; after the last ${minutes(wallMs - lastCreate)}`;
  return { wallMs, boundMs, ratio: wallMs / boundMs, rejected, bucket, timeline };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
function procCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU used during the fleet: this process (the simulator and watchFleet) and each worker. */
function cpuSeconds(pids: number[], since: { start: NodeJS.CpuUsage; workers: number[] }): string {
  const main = process.cpuUsage(since.start);
  const workers = pids.map((pid, i) => procCpuSeconds(pid) - since.workers[i]!);
  return `CPU during the fleet: simulator process ${((main.user + main.system) / 1e6).toFixed(1)} s, workers ${workers.map((s) => s.toFixed(1)).join(' + ')} s`;
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

async function runUnder(tokenRequestBucket: TokenRequestBucket) {
  // ---- in one process ---------------------------------------------------------------------------------
  let one: ReturnType<typeof measure> | undefined;
  if (!values['workers-only']) {
    const local = await startSimulator({ strict: false, timeScale, seed: 1, tokenRequestBucket, ...faults });
    const env = createProvisioningEnvironment({
      region: 'eu',
      sourceTenantHost: SIM_SOURCE_TENANT,
      oauth: SIM_REGIONAL_CLIENT,
      // A create whose answer is late (a loaded machine) is reconciled, not reported as a possible orphan.
      organization: SIM_ORG_CLIENT,
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
    log(
      `\n[tokenRequestBucket ${tokenRequestBucket}] in-process provisionFleet: ${count} customers, concurrency ${concurrency * workerCount}, ${timeScale}x`,
    );
    log(`  ${inProcess.counts.provisioned} provisioned, ${inProcess.counts.failed} failed; 429s: ${one.rejected}`);
    log(
      `  wall ${minutes(one.wallMs)} / bound ${minutes(one.boundMs)} = ${one.ratio.toFixed(3)}; busiest ${one.bucket}`,
    );
    log(`  ${one.timeline}`);
    for (const [reason, n] of failureReasons(inProcess.customers)) log(`  failed x${n}: ${reason}`);
  }

  // ---- across worker processes ------------------------------------------------------------------------
  const sim = await startSimulator({ strict: false, timeScale, seed: 1, tokenRequestBucket, ...faults });
  const queue = new Queue(`bench-${randomUUID().slice(0, 8)}`, { connection: queueConnection(redisUrl) });
  // ONE journal table for every worker, as a production fleet has: the store's coordination is what keeps a lost
  // tenant create's reconciliation exact across workers (a table per worker hid that, README.md).
  const config = workerConfig({ sim, timeScale, redisUrl, postgresUrl }, 'bench', {
    queueName: queue.name,
    concurrency,
    timing: 'bench',
  });
  const workers = Array.from({ length: workerCount }, () =>
    startWorkerChild(config, values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []),
  );
  await Promise.all(workers.map((worker) => worker.ready));
  const mainCpu = { start: process.cpuUsage(), workers: workers.map((w) => procCpuSeconds(w.process.pid!)) };
  const simStart = sim.clock.now();
  const summary = await watchFleet(queue, await enqueueFleet(queue, sampleCustomers(count, 'd')));
  const many = measure(sim, simStart);
  const cpu = cpuSeconds(
    workers.map((w) => w.process.pid!),
    mainCpu,
  );
  await closeWorkerRun({ workers, queue, sim }, 'SIGTERM');
  log(
    `\n[tokenRequestBucket ${tokenRequestBucket}] ${workerCount} BullMQ workers x concurrency ${concurrency}: ${count} customers, ${timeScale}x`,
  );
  log(`  ${summary.counts.provisioned} provisioned, ${summary.counts.failed} failed; 429s: ${many.rejected}`);
  log(
    `  wall ${minutes(many.wallMs)} / bound ${minutes(many.boundMs)} = ${many.ratio.toFixed(3)}   (target <= ${target}); busiest ${many.bucket}`,
  );
  log(`  ${many.timeline}`);
  log(`  ${cpu}`);
  if (lostCreates > 0) log(`  create answers lost: ${sim.faults.length} (rate ${lostCreates})`);
  for (const [reason, n] of failureReasons(summary.customers)) log(`  failed x${n}: ${reason}`);
  if (one) log(`  distributed / in-process wall = ${(many.wallMs / one.wallMs).toFixed(3)}`);
  return { tokenRequestBucket, one, many, provisioned: summary.counts.provisioned };
}

const results = [];
for (const bucket of tokenBuckets) results.push(await runUnder(bucket));
log('\nsummary (wall / bound; target <= ' + target + ' across workers, every customer provisioned):');
for (const r of results)
  log(
    `  tokenRequestBucket ${r.tokenRequestBucket}: ${r.one ? `in-process ${r.one.ratio.toFixed(3)}, ` : ''}workers ${r.provisioned}/${count} provisioned, ${minutes(r.many.wallMs)} / ${minutes(r.many.boundMs)} = ${r.many.ratio.toFixed(3)}`,
  );
const failed = results.filter((r) => r.provisioned !== count || !(r.many.ratio <= target));
if (failed.length > 0) {
  for (const r of failed)
    log(`FAIL [${r.tokenRequestBucket}]: ${count - r.provisioned} not provisioned, ratio ${r.many.ratio.toFixed(3)}`);
  process.exitCode = 1;
}
