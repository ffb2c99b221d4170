// CommonJS consumer: require() the packed packages (their CJS build), one real SDK call.
const assert = require('node:assert/strict');
const { isQlikValidationError } = require('@qlik-oem/core');
const { apiKey, createQlikCloud } = require('@qlik-oem/qlik-cloud');

async function main() {
  // The shared helpers are ESM; the packages under test are still loaded with require().
  const { checkExports } = await import('../shared/check-exports.mjs');
  const { API_KEY, startSpacesEndpoint } = await import('../shared/spaces-endpoint.mjs');

  await checkExports((name) => require(name), 'cjs');

  assert.throws(() => createQlikCloud({ host: 'not a host', auth: apiKey(API_KEY) }), (error) => isQlikValidationError(error));

  const endpoint = await startSpacesEndpoint();
  try {
    const cloud = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth: apiKey(API_KEY), fetch: endpoint.fetch });
    const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
    assert.equal(error, undefined);
    assert.deepEqual(data.data.map((space) => space.name), ['Acme (managed)']);
    console.log('cjs: listed spaces through @qlik-oem/qlik-cloud');
  } finally {
    await endpoint.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
