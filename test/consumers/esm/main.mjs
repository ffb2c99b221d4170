// Plain ESM consumer: named imports from the packed packages; an OAuth token and a space list from the simulator.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isQlikValidationError } from '@qlik-oem/core';
import { createQlikCloud, oauthClientCredentials } from '@qlik-oem/qlik-cloud';
import { startSimulator } from '@qlik-oem/simulator';
import { checkExports } from '../shared/check-exports.mjs';

const scenario = JSON.parse(readFileSync(new URL('../shared/simulator-scenario.json', import.meta.url), 'utf8'));

await checkExports((name) => import(name), 'esm');

// Bad input fails before any network call, with core's error kind (one copy of core across packages).
assert.throws(() => oauthClientCredentials({ host: scenario.host, clientId: '', clientSecret: 'x' }), (error) => isQlikValidationError(error));

const sim = await startSimulator({ strict: true });
try {
  const { host, clientId, clientSecret } = scenario;
  const auth = oauthClientCredentials({ host, clientId, clientSecret, scope: 'admin_classic', fetch: sim.fetch });
  const cloud = createQlikCloud({ host, auth, fetch: sim.fetch });
  const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
  assert.equal(error, undefined);
  assert.ok(data?.data.some((space) => space.name === scenario.expectedSpace), `space ${scenario.expectedSpace} listed`);
  assert.deepEqual(sim.violations, []);
  console.log(`esm: OAuth token and ${data.data.length} space(s) from the simulator`);
} finally {
  await sim.close();
}
