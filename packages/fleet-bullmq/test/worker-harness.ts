// What the BullMQ worker tests share: the partner, worker child processes and their teardown, the simulator's tenants per alias, a template to hydrate from.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '@qlik-oem/simulator';
import type { Queue } from 'bullmq';
import type { WorkerChildConfig } from './worker-child.js';

// The recipes' own fleet fixtures: a tenant's spaces and apps, and a template to hydrate from.
export { contentOf, prepareTemplate } from '../../recipes/test/e2e/fleet-fixtures.js';

const childScript = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

export const partner = {
  jwt: {
    issuer: 'https://broker.partner.example',
    keyId: 'partner-key-1',
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  },
  groups: { consumers: 'Analytics Consumers', contributors: 'Analytics Contributors', additional: ['Partner Support'] },
  spaces: { shared: '{name} (development)', managed: '{name}' },
};

export function sampleCustomers(count: number, prefix = 'w') {
  return Array.from({ length: count }, (_, i) => ({
    customerId: `${prefix}${i + 1}`,
    name: `Customer ${prefix.toUpperCase()}${i + 1}`,
    alias: `${prefix}-customer-${i + 1}`,
  }));
}

export interface WorkerChild {
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `nodeArgs`: more Node options for the child (the benchmark's `--cpu-prof`). */
export function startWorkerChild(config: WorkerChildConfig, nodeArgs: string[] = []): WorkerChild {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', childScript, JSON.stringify(config)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(({ code }) => reject(new Error(`worker exited (${code}) before ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { process: child, ready, exited };
}

/** BullMQ's connection options for the Redis at `redisUrl` (its blocking commands need `maxRetriesPerRequest: null`). */
export function queueConnection(redisUrl: string) {
  const redis = new URL(redisUrl);
  return { host: redis.hostname, port: Number(redis.port), maxRetriesPerRequest: null };
}

/** The servers a worker child uses: the simulator's port and time scale, Redis, PostgreSQL. */
export interface WorkerServers {
  sim: Simulator;
  timeScale: number;
  redisUrl: string;
  postgresUrl: string;
}

/**
 * A worker child's configuration for one run: the partner's fleet, and a journal table named `<tablePrefix>_<random>`
 * (every worker started with the same configuration shares it, as a production fleet shares its journal).
 */
export function workerConfig(
  servers: WorkerServers,
  tablePrefix: string,
  options: Pick<WorkerChildConfig, 'queueName' | 'concurrency' | 'templateAppId' | 'timing' | 'journalStore'>,
): WorkerChildConfig {
  return {
    port: servers.sim.port,
    timeScale: servers.timeScale,
    redisUrl: servers.redisUrl,
    postgresUrl: servers.postgresUrl,
    table: `${tablePrefix}_${randomUUID().slice(0, 8)}`,
    fleet: { partner },
    ...options,
  };
}

/** Ends a run: stops the workers with `signal` and waits until they exit, then removes and closes the queue and closes the simulator. */
export async function closeWorkerRun(
  run: { workers: readonly WorkerChild[]; queue: Queue | undefined; sim: Simulator | undefined },
  signal: NodeJS.Signals,
): Promise<void> {
  for (const worker of run.workers) worker.process.kill(signal);
  await Promise.all(run.workers.map((worker) => worker.exited));
  await run.queue?.obliterate({ force: true }).catch(() => undefined);
  await run.queue?.close();
  await run.sim?.close();
}

/** Tenants per alias in the simulator (the source tenant left out), with their IdPs. */
export function tenantsByAlias(sim: Simulator): Map<string, { tenants: number; idps: number; host: string }> {
  const byAlias = new Map<string, { tenants: number; idps: number; host: string }>();
  for (const tenant of sim.state.tenants.values()) {
    const host = tenant.hostnames[1];
    if (!host || tenant.hostnames[0] === 'source.eu.qlikcloud.com') continue;
    const alias = host.split('.')[0]!;
    const entry = byAlias.get(alias) ?? { tenants: 0, idps: 0, host };
    entry.tenants += 1;
    entry.idps += tenant.identityProviders.size;
    byAlias.set(alias, entry);
  }
  return byAlias;
}
