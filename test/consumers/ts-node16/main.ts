// TypeScript (node16 resolution, ESM): the packages' `import` types resolve and are precise, not `any`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isQlikValidationError, type TokenProvider } from '@qlik-oem/core';
import { createQlikCloud, oauthClientCredentials, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { createQlikCloudConnection } from '@qlik-oem/qlik-cloud/base';
import { createSpacesClient, type SpacesClient, type components } from '@qlik-oem/qlik-cloud/spaces';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { checkExports } from '../shared/check-exports.mjs';

interface Scenario {
  host: string;
  clientId: string;
  clientSecret: string;
  expectedSpace: string;
}
const scenario = JSON.parse(
  readFileSync(new URL('../shared/simulator-scenario.json', import.meta.url), 'utf8'),
) as Scenario;

await checkExports((name) => import(name), 'ts-node16 (esm)');

assert.throws(
  () => oauthClientCredentials({ host: scenario.host, clientId: '', clientSecret: 'x' }),
  (error: unknown) => isQlikValidationError(error),
);

const sim: Simulator = await startSimulator({ strict: true });
try {
  const { host, clientId, clientSecret } = scenario;
  const auth: TokenProvider = oauthClientCredentials({
    host,
    clientId,
    clientSecret,
    scope: 'admin_classic',
    fetch: sim.nodeFetch,
  });
  const cloud: QlikCloud = createQlikCloud({ host, auth, fetch: sim.nodeFetch });
  const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
  assert.equal(error, undefined);
  const names: string[] = (data?.data ?? []).map((space) => space.name);
  assert.ok(names.includes(scenario.expectedSpace), `space ${scenario.expectedSpace} listed`);
  assert.deepEqual(sim.violations, []);
  if (Date.now() < 0) {
    // Never runs: only here so the compiler proves the paths are typed (this line must be an error).
    // @ts-expect-error '/api/v1/not-a-path' is not a path of the spaces API
    await cloud.spaces.GET('/api/v1/not-a-path');
  }
  // The spaces API's own entry point: the facade's client, its types, and the same answer.
  const spaces: SpacesClient = createSpacesClient(createQlikCloudConnection({ host, auth, fetch: sim.nodeFetch }));
  const listed: components['schemas']['Space'][] = (await spaces.GET('/api/v1/spaces')).data?.data ?? [];
  assert.deepEqual(
    listed.map((space) => space.name),
    names,
  );
  console.log(`ts-node16 (esm): OAuth token and ${names.length} space(s) from the simulator`);
} finally {
  await sim.close();
}
