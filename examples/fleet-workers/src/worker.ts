// One fleet worker process: takes customers from the queue and provisions them (start as many as you like, on as many machines).
import { createRedisRateLimiter, startFleetWorker } from '@qlik-oem/fleet-bullmq';
import { createPostgresJournalStore, createRedisJournalStore } from '@qlik-oem/journal-stores';
import { createProvisioningEnvironment, type JournalStore, type PartnerConfigInput } from '@qlik-oem/recipes';
import { createSimDispatcher, createSimSocket, type SimTarget } from '@qlik-oem/simulator';
import { Redis } from 'ioredis';
import pg from 'pg';
import { QUEUE_NAME, redisConnection } from './queue.js';

/** Node's fetch (undici) to the parent's simulator: the HTTP stack a broker runs on in production. */
const undiciFetch = (target: SimTarget): typeof fetch => {
  const dispatcher = createSimDispatcher(target);
  return (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit);
};

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const timeScale = Number(process.env.SIM_TIME_SCALE ?? 60);
// The simulator main.ts started; a real worker would use its Qlik Cloud OAuth client here instead.
const target: SimTarget = {
  port: Number(process.env.SIM_PORT),
  protocol: 'http',
  caPem: undefined,
  serves: (host) => host.endsWith('.qlikcloud.com'),
};
const redis = new Redis(redisUrl);
const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' },
  fetch: undiciFetch(target),
  createSocket: (url, init) => createSimSocket(target, url, init),
  // One budget for every worker: Qlik counts per tenant, tier and user, not per process.
  limiter: createRedisRateLimiter({ client: redis, timeScale }),
});

// PostgreSQL when DATABASE_URL is set, else Redis: a journal every worker shares, with per-customer leases.
let journal: JournalStore;
if (process.env.DATABASE_URL) {
  journal = await createPostgresJournalStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
} else {
  journal = createRedisJournalStore({ client: redis });
}

const partner = JSON.parse(process.env.FLEET_PARTNER!) as PartnerConfigInput;
const { worker } = startFleetWorker(env, {
  connection: redisConnection(redisUrl),
  queueName: QUEUE_NAME,
  fleet: { partner },
  journal,
  // A customer waiting for a rate-limit slot holds a job slot and nothing else: all the workers together should
  // hold at least a window's tenant creates (500 per 5 minutes), or the fleet runs in waves (bench/fleet-distributed).
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 250),
  // Leases and BullMQ locks on the simulator's pace: a killed worker's customers move on within seconds.
  lockDurationMs: 5_000,
  stalledIntervalMs: 2_000,
});
await worker.waitUntilReady();
process.stdout.write(`worker ${process.pid} ready\n`);
