/**
 * provisionFleet at fleet scale on the simulator's scaled clock: the run's wall time in simulated
 * time divided by the rate-limit lower bound computed from the simulator's bucket counters, next to a
 * naive one-customer-at-a-time loop measured on a sample and extrapolated. See README.md.
 *
 *   npm run build && npx tsx bench/fleet/run.ts [--customers 1000] [--time-scale 2] [--concurrency 1000]
 *                                                [--naive-sample 20] [--naive-time-scale 20] [--no-hydrate]
 */
import { generateKeyPairSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CreateSocket } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import {
  createMemoryJournalStore,
  createProvisioningEnvironment,
  hydrateFromTemplate,
  onboardTenant,
  provisionFleet,
  type CustomerInput,
  type FleetHydrateConfig,
  type PartnerConfigInput,
  type ProvisioningEnvironment,
} from '@qlik-oem/recipes';
import { rateLimitLowerBoundMs, startSimulator, type Simulator } from '@qlik-oem/simulator';
import { SIM_REGIONAL_CLIENT, SIM_SOURCE_TENANT } from '../../packages/recipes/test/helpers/sim-access.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000' },
    'time-scale': { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '1000' },
    'naive-sample': { type: 'string', default: '20' },
    'naive-time-scale': { type: 'string', default: '20' },
    'no-hydrate': { type: 'boolean', default: false },
    target: { type: 'string', default: '1.15' },
  },
});
const count = Number(values.customers);
const timeScale = Number(values['time-scale']);
const concurrency = Number(values.concurrency);
const naiveSample = Number(values['naive-sample']);
const naiveTimeScale = Number(values['naive-time-scale']);
const target = Number(values.target);
const withHydrate = !values['no-hydrate'];
for (const [name, value] of Object.entries({ count, timeScale, concurrency, naiveSample, naiveTimeScale, target })) {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number`);
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;
const log = (line: string) => process.stdout.write(`${line}\n`);

const partner: PartnerConfigInput = {
  jwt: {
    issuer: 'https://broker.partner.example',
    keyId: 'bench',
    publicKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString(),
  },
  groups: { consumers: 'Analytics Consumers', contributors: 'Analytics Contributors', additional: [] },
};

function customers(n: number, prefix: string): CustomerInput[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(4, '0');
    return {
      customerId: `${prefix}${id}`,
      name: `Customer ${prefix}${id}`,
      alias: `${prefix}-${id}`,
      allowContributors: i % 3 === 0,
    };
  });
}

async function setUp(
  scale: number,
): Promise<{ sim: Simulator; env: ProvisioningEnvironment; hydrate: FleetHydrateConfig | undefined }> {
  // Strict validation is off here (it is on in the tests): it costs CPU that would show up as
  // simulated time at fleet scale. Latencies and rate limits are on.
  const sim = await startSimulator({ strict: false, timeScale: scale, seed: 1 });
  const createSocket: CreateSocket = (url, init) => sim.createSocket(url, init);
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: SIM_SOURCE_TENANT,
    oauth: SIM_REGIONAL_CLIENT,
    fetch: sim.nodeFetch,
    createSocket,
    timeScale: scale,
  });
  if (!withHydrate) return { sim, env, hydrate: undefined };
  const items = unwrap(await env.source().items.GET('/api/v1/items', { params: { query: { resourceType: 'app' } } }));
  const appId = items.data.find((item) => item.name === 'Customer Analytics Template')!.resourceId!;
  const hydrate: FleetHydrateConfig = {
    template: { appId, appName: 'Sales Analytics' },
    dataConnection: (c) => ({
      name: 'Customer Data',
      datasourceId: 'postgres',
      connectionString: `host=${c.alias}-db;database=sales`,
    }),
    scriptConnection: { from: 'Customer Data' },
  };
  return { sim, env, hydrate };
}

// ---- provisionFleet --------------------------------------------------------------------------------
log(
  `provisionFleet: ${count} customers${withHydrate ? ' (onboard + hydrate)' : ' (onboard only)'}, concurrency ${concurrency}, time scale ${timeScale}x`,
);
const fleet = await setUp(timeScale);
let done = 0;
const realStart = Date.now();
const simStart = fleet.sim.clock.now();
const result = await provisionFleet(
  fleet.env,
  { partner, customers: customers(count, 'b'), ...(fleet.hydrate ? { hydrate: fleet.hydrate } : {}) },
  {
    journal: createMemoryJournalStore(),
    concurrency,
    onEvent: (event) => {
      if (event.type !== 'customer:done') return;
      done++;
      if (done % Math.max(1, Math.floor(count / 10)) === 0) {
        process.stderr.write(`  ${done}/${count} done at ${minutes(fleet.sim.clock.now() - simStart)} simulated\n`);
      }
    },
  },
);
const wallMs = fleet.sim.clock.now() - simStart;
const realMs = Date.now() - realStart;
const counters = fleet.sim.counters;
const boundMs = rateLimitLowerBoundMs(counters);
const busiest = [...counters].sort((a, b) => b.count - a.count)[0];
const rejected = counters.reduce((sum, c) => sum + c.rejected, 0);
const served = counters.reduce((sum, c) => sum + c.count, 0);
await fleet.sim.close();

const ratio = boundMs > 0 ? wallMs / boundMs : Number.NaN;
log(
  `  customers: ${result.counts.provisioned} provisioned, ${result.counts.failed} failed, ${result.counts.aborted} aborted; template exported ${result.templateExports}x`,
);
log(
  `  requests served ${served}, answered 429: ${rejected}; busiest bucket ${busiest?.host} ${busiest?.tier} (${busiest?.count} requests)`,
);
log(`  wall time (simulated): ${minutes(wallMs)}   real: ${(realMs / 1000).toFixed(1)} s`);
log(`  rate-limit lower bound: ${minutes(boundMs)}`);
log(`  provisionFleet wall / bound = ${ratio.toFixed(3)}   (target <= ${target})`);

// ---- naive loop -------------------------------------------------------------------------------------
log(
  `\nnaive loop: one customer at a time (onboardTenant then hydrateFromTemplate), measured on ${naiveSample} customers at ${naiveTimeScale}x, extrapolated to ${count}`,
);
const naive = await setUp(naiveTimeScale);
const naiveStart = naive.sim.clock.now();
for (const customer of customers(naiveSample, 'n')) {
  const journal = createMemoryJournalStore();
  const { tenant } = await onboardTenant(naive.env, { customer, partner }, { journal });
  if (naive.hydrate) {
    const { template, dataConnection, scriptConnection } = naive.hydrate;
    const connection =
      typeof dataConnection === 'function' ? dataConnection({ ...customer, allowContributors: false }) : dataConnection;
    await hydrateFromTemplate(
      naive.env,
      {
        customerId: customer.customerId,
        tenantHost: tenant.tenantHost,
        sharedSpaceId: tenant.sharedSpaceId,
        managedSpaceId: tenant.managedSpaceId,
        template,
        dataConnection: connection,
        ...(scriptConnection ? { scriptConnection } : {}),
      },
      { journal },
    );
  }
}
const naivePerCustomerMs = (naive.sim.clock.now() - naiveStart) / naiveSample;
await naive.sim.close();
const naiveExtrapolatedMs = naivePerCustomerMs * count;
log(`  measured: ${(naivePerCustomerMs / 1000).toFixed(1)} s simulated per customer`);
log(`  extrapolated to ${count} customers: ${minutes(naiveExtrapolatedMs)}`);
log(`  naive wall / bound = ${(naiveExtrapolatedMs / boundMs).toFixed(2)} (extrapolated)`);

const failed = result.counts.failed + result.counts.aborted;
if (failed > 0 || !(ratio <= target)) {
  log(`\nFAIL: ${failed > 0 ? `${failed} customer(s) not provisioned` : `ratio ${ratio.toFixed(3)} above ${target}`}`);
  process.exitCode = 1;
}
