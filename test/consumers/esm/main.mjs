// Plain ESM consumer: named imports from the packed packages; an OAuth token and a space list from the simulator.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createTransport, isQlikNetworkError, isQlikValidationError } from '@qlik-oem/core';
import { createQlikCloud, oauthClientCredentials } from '@qlik-oem/qlik-cloud';
import { createQlikCloudConnection } from '@qlik-oem/qlik-cloud/base';
import { createSpacesClient } from '@qlik-oem/qlik-cloud/spaces';
import { createQrsClient, undiciBridgeFetch } from '@qlik-oem/qrs';
import { createMemoryJournalStore, createProvisioningEnvironment, onboardTenant } from '@qlik-oem/recipes';
import { createCertificateAuthority, startSimulator } from '@qlik-oem/simulator';
import { checkExports } from '../shared/check-exports.mjs';
import { checkQrsTls } from '../shared/qrs-tls.mjs';

const scenario = JSON.parse(readFileSync(new URL('../shared/simulator-scenario.json', import.meta.url), 'utf8'));

await checkExports((name) => import(name), 'esm');

// Bad input fails before any network call, with core's error kind (one copy of core across packages).
assert.throws(
  () => oauthClientCredentials({ host: scenario.host, clientId: '', clientSecret: 'x' }),
  (error) => isQlikValidationError(error),
);

await checkQrsTls({ createQrsClient, createCertificateAuthority, isQlikNetworkError }, 'esm');

const sim = await startSimulator({ strict: true });
// Deno's fetch ignores an undici dispatcher: there undici's own fetch (qrs's bridge) carries the same dispatcher.
// Bun's fetch and its stand-in for undici ignore dispatchers altogether: there the simulator's node:http fetch.
const simFetch = globalThis.Deno
  ? (input, init) => undiciBridgeFetch(new Request(input, init), { ...init, dispatcher: sim.dispatcher })
  : globalThis.Bun
    ? sim.fetch
    : sim.nodeFetch;
try {
  // Where the runtime's fetch would drop a dispatcher (Bun; Deno's global fetch), the transport refuses it up front.
  const dropsDispatcher = globalThis.Bun !== undefined || globalThis.Deno !== undefined;
  const refusal = (() => {
    try {
      createTransport({ dispatcher: sim.dispatcher });
    } catch (error) {
      return error;
    }
  })();
  assert.equal(isQlikValidationError(refusal), dropsDispatcher, `dispatcher refused: ${refusal}`);

  const { host, clientId, clientSecret } = scenario;
  const auth = oauthClientCredentials({ host, clientId, clientSecret, scope: 'admin_classic', fetch: simFetch });
  const cloud = createQlikCloud({ host, auth, fetch: simFetch });
  const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
  assert.equal(error, undefined);
  assert.ok(
    data?.data.some((space) => space.name === scenario.expectedSpace),
    `space ${scenario.expectedSpace} listed`,
  );
  assert.deepEqual(sim.violations, []);
  console.log(`esm: OAuth token and ${data.data.length} space(s) from the simulator`);

  // The same list through the spaces API's own entry point, on a connection.
  const spaces = createSpacesClient(createQlikCloudConnection({ host, auth, fetch: simFetch }));
  const viaEntry = await spaces.GET('/api/v1/spaces');
  assert.deepEqual(viaEntry.data, data);
  console.log('esm: @qlik-oem/qlik-cloud/spaces lists the same spaces');

  // The recipes package, with everything it pulls in, onboards a tenant and converges on a second run.
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: host,
    oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret', scope: 'admin_classic' },
    fetch: simFetch,
    createSocket: sim.createSocket,
  });
  const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  const input = {
    customer: { customerId: 'consumer-esm', name: 'Consumer ESM', alias: 'consumer-esm' },
    partner: { jwt: { issuer: 'https://broker.example', keyId: 'k1', publicKeyPem } },
  };
  const journal = createMemoryJournalStore();
  const first = await onboardTenant(env, input, { journal });
  assert.equal(first.status, 'provisioned');
  assert.equal(first.tenant.tenantHost, 'consumer-esm.eu.qlikcloud.com');
  assert.equal((await onboardTenant(env, input, { journal })).status, 'unchanged');
  assert.deepEqual(sim.violations, []);
  console.log(`esm: onboardTenant created ${first.tenant.tenantHost} and converged on a second run`);
} finally {
  await sim.close();
}
