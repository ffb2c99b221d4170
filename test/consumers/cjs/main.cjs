// CommonJS consumer: require() the packed packages (their CJS builds); an OAuth token and a space list from the simulator.
const assert = require('node:assert/strict');
const { isQlikNetworkError, isQlikValidationError } = require('@qlik-oem/core');
const { createQlikCloud, oauthClientCredentials } = require('@qlik-oem/qlik-cloud');
const { createQlikCloudConnection } = require('@qlik-oem/qlik-cloud/base');
const { createSpacesClient } = require('@qlik-oem/qlik-cloud/spaces');
const { createQrsClient, undiciBridgeFetch } = require('@qlik-oem/qrs');
const { createCertificateAuthority, startSimulator } = require('@qlik-oem/simulator');
const scenario = require('../shared/simulator-scenario.json');

async function main() {
  // The shared export check is ESM; the packages under test are still loaded with require().
  const { checkExports } = await import('../shared/check-exports.mjs');
  await checkExports((name) => require(name), 'cjs');

  assert.throws(
    () => oauthClientCredentials({ host: scenario.host, clientId: '', clientSecret: 'x' }),
    (error) => isQlikValidationError(error),
  );

  const { checkQrsTls } = await import('../shared/qrs-tls.mjs');
  await checkQrsTls({ createQrsClient, createCertificateAuthority, isQlikNetworkError }, 'cjs');

  const sim = await startSimulator({ strict: true });
  // Deno's fetch ignores an undici dispatcher: there undici's own fetch (qrs's bridge) carries the same dispatcher.
  // Bun's fetch and its stand-in for undici ignore dispatchers altogether: there the simulator's node:http fetch.
  const simFetch = globalThis.Deno
    ? (input, init) => undiciBridgeFetch(new Request(input, init), { ...init, dispatcher: sim.dispatcher })
    : globalThis.Bun
      ? sim.fetch
      : sim.nodeFetch;
  try {
    const { host, clientId, clientSecret } = scenario;
    const auth = oauthClientCredentials({ host, clientId, clientSecret, scope: 'admin_classic', fetch: simFetch });
    const cloud = createQlikCloud({ host, auth, fetch: simFetch });
    const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
    assert.equal(error, undefined);
    assert.ok(
      data.data.some((space) => space.name === scenario.expectedSpace),
      `space ${scenario.expectedSpace} listed`,
    );
    assert.deepEqual(sim.violations, []);
    console.log(`cjs: OAuth token and ${data.data.length} space(s) from the simulator`);

    const spaces = createSpacesClient(createQlikCloudConnection({ host, auth, fetch: simFetch }));
    assert.deepEqual((await spaces.GET('/api/v1/spaces')).data, data);
    console.log('cjs: @qlik-oem/qlik-cloud/spaces lists the same spaces');
  } finally {
    await sim.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
