// Runs one fleet several times back to back in this process, against a simulator in the parent test
// process, and prints this process's heap after each run (after a full GC): what a long-lived broker or
// job keeps of a fleet once a run is over.
// Usage: TSX_TSCONFIG_PATH=<this dir>/tsconfig.json node --expose-gc --import tsx child.ts <config JSON>
import { createFileJournalStore, createProvisioningEnvironment, provisionFleet } from '../../src/index.js';
import { sampleCustomers, samplePartner } from '../../test/e2e/onboard-harness.js';
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

const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: SIM_REGIONAL_CLIENT,
  organization: SIM_ORG_CLIENT,
  fetch: parentSimulator(config.port).fetch,
  timeScale: config.timeScale,
});
// One environment and one journal store for every run, as a broker keeps them.
const journal = createFileJournalStore({ directory: config.journalDirectory });

async function settledHeap(): Promise<number> {
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
