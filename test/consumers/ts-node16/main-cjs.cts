// TypeScript (node16 resolution, CJS): the packages' `require` types (.d.cts) resolve and work with require().
import assert = require('node:assert/strict');
import core = require('@qlik-oem/core');
import qlikCloud = require('@qlik-oem/qlik-cloud');
import simulator = require('@qlik-oem/simulator');

interface Scenario {
  host: string;
  clientId: string;
  clientSecret: string;
  expectedSpace: string;
}
const scenario = require('../shared/simulator-scenario.json') as Scenario;

async function main(): Promise<void> {
  const { checkExports } = await import('../shared/check-exports.mjs');
  await checkExports((name) => require(name) as Record<string, unknown>, 'ts-node16 (cjs)');

  assert.throws(
    () => qlikCloud.oauthClientCredentials({ host: scenario.host, clientId: '', clientSecret: 'x' }),
    (error: unknown) => core.isQlikValidationError(error),
  );

  const sim: simulator.Simulator = await simulator.startSimulator({ strict: true });
  try {
    const { host, clientId, clientSecret } = scenario;
    const auth: core.TokenProvider = qlikCloud.oauthClientCredentials({
      host,
      clientId,
      clientSecret,
      scope: 'admin_classic',
      fetch: sim.nodeFetch,
    });
    const cloud: qlikCloud.QlikCloud = qlikCloud.createQlikCloud({ host, auth, fetch: sim.nodeFetch });
    const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
    assert.equal(error, undefined);
    const names: string[] = (data?.data ?? []).map((space) => space.name);
    assert.ok(names.includes(scenario.expectedSpace), `space ${scenario.expectedSpace} listed`);
    assert.deepEqual(sim.violations, []);
    console.log(`ts-node16 (cjs): OAuth token and ${names.length} space(s) from the simulator`);
  } finally {
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
