// Runs provisionFleet in its own process against a simulator that lives in the parent test process
// (the simulator is in memory, so it must outlive this process). The parent kills this process with
// SIGKILL at chosen moments (or stops it with SIGINT/SIGTERM) and then runs it again with the same file
// journal.
// Usage: TSX_TSCONFIG_PATH=<this dir>/tsconfig.json node --import tsx child.ts <config.json>
import { readFileSync } from 'node:fs';
import {
  createFileJournalStore,
  createProvisioningEnvironment,
  provisionFleet,
  type CustomerInput,
  type PartnerConfigInput,
} from '../../../src/index.js';
import { fleetHydrate } from '../fleet-fixtures.js';
import { RESTART_LEASE } from '../../helpers/restart-lease.js';
import { parentSimulator, SIM_ORG_CLIENT, SIM_REGIONAL_CLIENT } from '../../helpers/sim-access.js';

interface ChildConfig {
  port: number;
  timeScale: number;
  journalDirectory: string;
  templateAppId: string;
  partner: PartnerConfigInput;
  customers: CustomerInput[];
  /** Stop forever right after the first tenant create answered (before the runner can journal it). */
  hangAfterTenantCreate?: boolean;
  /** Stop forever once the answer of this process's Nth request arrived (before the SDK sees it). */
  hangAfterRequests?: number;
  /** Stop like the fleet job does on SIGINT/SIGTERM: abort the fleet, let tenant creates finish. */
  stopOnSignals?: boolean;
}

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: child.ts <config.json>');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as ChildConfig;
process.stdout.write(`pid ${process.pid}\n`);

const simulator = parentSimulator(config.port);
let hung = false;
let requests = 0;
const hang = (line: string) => {
  process.stdout.write(`${line}\n`);
  return new Promise<never>(() => undefined); // the parent's SIGKILL lands here
};
const fetchWithHang: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const isCreate =
    request.method === 'POST' && url.hostname.startsWith('register.') && url.pathname === '/api/v1/tenants';
  if (isCreate) process.stdout.write('create-sent\n');
  const response = await simulator.fetch(request);
  if (++requests === config.hangAfterRequests) await hang(`kill-point ${requests}`);
  if (config.hangAfterTenantCreate && !hung && isCreate) {
    hung = true;
    await hang('tenant-created');
  }
  return response;
};
const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: SIM_REGIONAL_CLIENT,
  organization: SIM_ORG_CLIENT,
  fetch: fetchWithHang,
  createSocket: simulator.createSocket,
  timeScale: config.timeScale,
});

const controller = new AbortController();
if (config.stopOnSignals) {
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`stopping ${signal}\n`);
    controller.abort(new Error(`interrupted (${signal})`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const result = await provisionFleet(
  env,
  { partner: config.partner, customers: config.customers, hydrate: fleetHydrate(config.templateAppId) },
  {
    journal: createFileJournalStore({ directory: config.journalDirectory, ...RESTART_LEASE }),
    concurrency: 4,
    retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 200 },
    signal: controller.signal,
  },
);
// Why each customer's tenant step acted (or not), e.g. the reconcile reason after a kill in the create window.
const tenantReasons = Object.fromEntries(
  result.customers.map((c) => [c.customerId, c.steps.find((step) => step.step === 'tenant')?.reason ?? '']),
);
const failed = result.customers
  .filter((c) => c.status !== 'provisioned' && c.status !== 'unchanged')
  .map((c) => String(c.error));
process.stdout.write(
  `${JSON.stringify({ counts: result.counts, failed, tenantReasons, possibleOrphans: result.possibleOrphans, requests })}\n`,
);
process.exit(0);
