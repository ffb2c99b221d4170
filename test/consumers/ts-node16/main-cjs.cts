// TypeScript (node16 resolution, CJS): the packages' `require` types (.d.cts) resolve and work with require().
import assert = require('node:assert/strict');
import core = require('@qlik-oem/core');
import qlikCloud = require('@qlik-oem/qlik-cloud');

async function main(): Promise<void> {
  const { checkExports } = await import('../shared/check-exports.mjs');
  const { API_KEY, startSpacesEndpoint } = await import('../shared/spaces-endpoint.mjs');
  await checkExports((name) => require(name) as Record<string, unknown>, 'ts-node16 (cjs)');

  const auth: core.TokenProvider = qlikCloud.apiKey(API_KEY);
  assert.throws(() => qlikCloud.createQlikCloud({ host: 'not a host', auth }), (error: unknown) => core.isQlikValidationError(error));

  const endpoint = await startSpacesEndpoint();
  try {
    const cloud: qlikCloud.QlikCloud = qlikCloud.createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth, fetch: endpoint.fetch });
    const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
    assert.equal(error, undefined);
    const names: string[] = (data?.data ?? []).map((space) => space.name);
    assert.deepEqual(names, ['Acme (managed)']);
    console.log('ts-node16 (cjs): listed spaces through @qlik-oem/qlik-cloud');
  } finally {
    await endpoint.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
