// Runs one fleet several times back to back in this process, against a simulator in the parent test
// process, and prints this process's heap after each run (after a full GC): what a long-lived broker or
// job keeps of a fleet once a run is over.
// Usage: TSX_TSCONFIG_PATH=<this dir>/tsconfig.json node --expose-gc --import tsx child.ts <config JSON>
import { waitUntil } from '@qlik-oem/core';
import { createFileJournalStore, createProvisioningEnvironment, provisionFleet } from '../../src/index.js';
import { sampleCustomers, samplePartner } from '../../test/e2e/sample-inputs.js';
import { parentSimulator, SIM_ORG_CLIENT, SIM_REGIONAL_CLIENT } from '../../test/helpers/sim-access.js';

interface ChildConfig {
  port: number;
  timeScale: number;
  journalDirectory: string;
  /** The fleet: `sampleCustomers(customers)`. */
  customers: number;
  runs: number;
  concurrency: number;
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const sim = parentSimulator(config.port);
const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: SIM_REGIONAL_CLIENT,
  organization: SIM_ORG_CLIENT,
  fetch: sim.fetch,
  timeScale: config.timeScale,
});
// One environment and one journal store for every run, as a broker keeps them.
const journal = createFileJournalStore({ directory: config.journalDirectory });

// createSimDispatcher's dispatcher is undici's Agent: `stats` has one entry per origin it still holds a pool
// for. A pool (16 KB of request queue, its sockets and parsers) lives until its keep-alive connections close,
// about 3 s after the last request here; measured before that, the heap depends on how many tenants were
// called in the run's last seconds (0.3 to 4 MB at 1,200 customers), which is the connection pool's, not
// what the fleet keeps.
const agent = sim.dispatcher as unknown as { stats: Record<string, unknown> };

async function settledHeap(): Promise<number> {
  await waitUntil(async () => (Object.keys(agent.stats).length === 0 ? true : undefined), {
    timeoutMs: 60_000,
    pollIntervalMs: 100,
    onTimeout: () => new Error(`keep-alive pools still open after 60 s: ${Object.keys(agent.stats).join(', ')}`),
  });
  // Two collections with a turn of the event loop between: finalizers and weak references settle.
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const input = { partner: samplePartner(), customers: sampleCustomers(config.customers) };
for (let run = 1; run <= config.runs; run++) {
  const result = await provisionFleet(env, input, {
    journal,
    concurrency: config.concurrency,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  const line = { run, counts: result.counts, heapUsed: 0 };
  line.heapUsed = await settledHeap();
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
process.exit(0);
