// A fleet worker process for the tests: the simulator over real sockets, the Redis limiter, the PostgreSQL (or Redis)
// journal, startFleetWorker.
import { createRedisRateLimiter, startFleetWorker } from '@qlik-oem/fleet-bullmq';
import { createPostgresJournalStore, createRedisJournalStore } from '@qlik-oem/journal-stores';
import { createProvisioningEnvironment, type FleetConfig } from '@qlik-oem/recipes';
import { Redis } from 'ioredis';
import pg from 'pg';
import { fleetHydrate } from '../../recipes/test/e2e/fleet-fixtures.js';
import {
  parentSimulator,
  SIM_ORG_CLIENT,
  SIM_REGIONAL_CLIENT,
  SIM_SOURCE_TENANT,
} from '../../recipes/test/helpers/sim-access.js';
import { queueConnection } from './worker-harness.js';

export interface WorkerChildConfig {
  port: number;
  timeScale: number;
  redisUrl: string;
  postgresUrl: string;
  /** The journal's PostgreSQL table (or Redis key prefix): every worker given the same one shares one journal. */
  table: string;
  /** Where the journal is: PostgreSQL (default) or Redis. */
  journalStore?: 'postgres' | 'redis';
  queueName: string;
  fleet: FleetConfig;
  /** Hydrate every tenant from this template app (its script connects to 'Customer Data'). */
  templateAppId?: string;
  concurrency: number;
  /**
   * Real-time leases (BullMQ job lock, journal lease): short in the chaos test, so killed workers' jobs
   * come back quickly; long in the benchmark, so a loaded machine's event-loop stalls are no deaths.
   */
  timing?: 'chaos' | 'bench';
}

const config = JSON.parse(process.argv[2]!) as WorkerChildConfig;
// Node's fetch (undici) to the parent's simulator: the HTTP stack a broker runs on in production.
const parent = parentSimulator(config.port);
// Auto-pipelining: the commands of one turn of the event loop (250 customers' limiter scripts) share a socket write.
const redis = new Redis(config.redisUrl, { enableAutoPipelining: true });
const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: SIM_SOURCE_TENANT,
  oauth: SIM_REGIONAL_CLIENT,
  // As a production fleet has it: a create whose answer was lost (a SIGKILLed worker, a late answer) is
  // reconciled through the Organization API, not left as a possible orphan.
  organization: SIM_ORG_CLIENT,
  fetch: parent.fetch,
  createSocket: parent.createSocket,
  limiter: createRedisRateLimiter({ client: redis, timeScale: config.timeScale }),
});
const bench = config.timing === 'bench';
const pool = new pg.Pool({ connectionString: config.postgresUrl, max: bench ? 16 : 4 });
// Chaos: a killed worker's leases run out in 3 s; the worker that takes its job over waits for them.
const leases = { leaseMs: bench ? 30_000 : 3_000, waitMs: bench ? 40_000 : 4_000 };
const journal =
  config.journalStore === 'redis'
    ? createRedisJournalStore({ client: redis, prefix: `${config.table}:`, ...leases })
    : await createPostgresJournalStore({ client: pool, table: config.table, ...leases });
const { worker } = startFleetWorker(env, {
  connection: queueConnection(config.redisUrl),
  queueName: config.queueName,
  fleet: config.templateAppId ? { ...config.fleet, hydrate: fleetHydrate(config.templateAppId) } : config.fleet,
  journal,
  concurrency: config.concurrency,
  provision: { retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 200 } },
  lockDurationMs: bench ? 30_000 : 3_000,
  stalledIntervalMs: bench ? 15_000 : 1_000,
  shutdownGraceMs: 2_000,
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
