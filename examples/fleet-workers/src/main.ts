// The example end to end: the simulator, WORKERS worker processes, the customers enqueued and watched until every one is settled.
import { fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { enqueueFleet, watchFleet } from '@qlik-oem/fleet-bullmq';
import { startSimulator } from '@qlik-oem/simulator';
import { Queue } from 'bullmq';
import { QUEUE_NAME, redisConnection } from './queue.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const timeScale = Number(process.env.SIM_TIME_SCALE ?? 60);
const workerCount = Number(process.env.WORKERS ?? 2);
const customerCount = Number(process.env.CUSTOMERS ?? 10);

const sim = await startSimulator({ timeScale, latency: false });
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const partner = {
  jwt: {
    issuer: 'https://broker.partner.example',
    keyId: 'partner-key-1',
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  },
  groups: { consumers: 'Analytics Consumers', contributors: 'Analytics Contributors' },
  spaces: { shared: '{name} (development)', managed: '{name}' },
};
const workers = Array.from({ length: workerCount }, () =>
  fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      SIM_PORT: String(sim.port),
      SIM_TIME_SCALE: String(timeScale),
      FLEET_PARTNER: JSON.stringify(partner),
    },
  }),
);

const queue = new Queue(QUEUE_NAME, { connection: redisConnection(redisUrl) });
try {
  // The embedded simulator starts empty every run, so do its jobs (against Qlik Cloud you would keep them).
  await queue.obliterate({ force: true });
  const customers = Array.from({ length: customerCount }, (_, i) => ({
    customerId: `c${i + 1}`,
    name: `Customer ${i + 1}`,
    alias: `customer-${i + 1}`,
  }));
  const fleet = await enqueueFleet(queue, customers);
  const summary = await watchFleet(queue, fleet, {
    onEvent: (event) => {
      if (event.type === 'customer:done') console.log(`${event.customerId}: ${event.status} in ${event.durationMs} ms`);
    },
  });
  console.table(summary.customers.map(({ customerId, status, tenantHost }) => ({ customerId, status, tenantHost })));
  console.log(JSON.stringify(summary.counts));
} finally {
  // SIGTERM: each worker finishes (or releases) what it runs, then exits.
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve).kill('SIGTERM'))));
  await queue.close();
  await sim.close();
}
