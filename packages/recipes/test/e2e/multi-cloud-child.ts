// Runs setupMultiCloud for the customers in <workDir>/customers.json against a simulator started by the parent test
// (on 127.0.0.1:<port>), with a file journal in <workDir>/journal. The parent SIGKILLs this process at chosen moments.
// Usage: TSX_TSCONFIG_PATH=<this dir>/multi-cloud-child.tsconfig.json node --import tsx multi-cloud-child.ts <workDir> <port> <timeScale> [hangAfterWrites]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createScaledClock } from '@qlik-oem/core';
import { createFileJournalStore, createProvisioningEnvironment, setupMultiCloudFleet } from '../../src/index.js';
import { RESTART_LEASE } from '../helpers/restart-lease.js';
import { parentSimulator } from '../helpers/sim-access.js';

const [workDir, portArg, scaleArg, hangArg = '0'] = process.argv.slice(2);
if (!workDir || !portArg || !scaleArg)
  throw new Error('usage: multi-cloud-child.ts <workDir> <port> <timeScale> [hangAfterWrites]');
const config = JSON.parse(await readFile(join(workDir, 'world.json'), 'utf8')) as {
  qseowHost: string;
  signingKey: string;
  oauth: { clientId: string; clientSecret: string };
  customers: Array<{ customerId: string; tenantHost: string; appIds: string[]; managedSpace: string }>;
};
const timeScale = Number(scaleArg);
const hangAfterWrites = Number(hangArg);
const simFetch = parentSimulator(Number(portArg), (host) => host === config.qseowHost).fetch;

// Tell the parent about every write that reached the simulator; when told to, hang right after one, so that the
// kill lands between the write and its journal entry.
let writes = 0;
const reportingFetch = (async (input: Request | string | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const response = await simFetch(request);
  if (request.method !== 'GET' && new URL(request.url).pathname !== '/oauth/token') {
    writes++;
    process.stdout.write('write\n');
    if (writes === hangAfterWrites) await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  return response;
}) as typeof fetch;

const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: config.oauth,
  fetch: reportingFetch,
  timeScale,
});
const site = {
  host: config.qseowHost,
  virtualProxyPrefix: 'jwt',
  jwt: { signingKey: config.signingKey, userId: 'provisioner', userDirectory: 'PARTNER' },
  fetch: reportingFetch,
  clock: createScaledClock(timeScale),
  pollIntervalMs: 1_000,
  distributionTimeoutMs: 120_000,
};
const result = await setupMultiCloudFleet(env, site, config.customers, {
  journal: createFileJournalStore({ directory: join(workDir, 'journal'), ...RESTART_LEASE }),
  concurrency: 2,
});
process.stdout.write(
  `${JSON.stringify({ counts: result.counts, writes, errors: result.customers.filter((c) => c.error).map((c) => String(c.error)) })}\n`,
);
