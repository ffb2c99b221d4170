// Plain ESM consumer: named imports from the packed packages, one real SDK call.
import assert from 'node:assert/strict';
import { isQlikValidationError } from '@qlik-oem/core';
import { apiKey, createQlikCloud } from '@qlik-oem/qlik-cloud';
import { checkExports } from '../shared/check-exports.mjs';
import { API_KEY, startSpacesEndpoint } from '../shared/spaces-endpoint.mjs';

await checkExports((name) => import(name), 'esm');

// Bad input fails before any network call, with core's error kind (one copy of core across packages).
assert.throws(() => createQlikCloud({ host: 'not a host', auth: apiKey(API_KEY) }), (error) => isQlikValidationError(error));

const endpoint = await startSpacesEndpoint();
try {
  const cloud = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth: apiKey(API_KEY), fetch: endpoint.fetch });
  const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
  assert.equal(error, undefined);
  assert.deepEqual(data?.data.map((space) => space.name), ['Acme (managed)']);
  assert.equal(endpoint.requests[0]?.host, 'acme.eu.qlikcloud.com');
  console.log('esm: listed spaces through @qlik-oem/qlik-cloud');
} finally {
  await endpoint.close();
}
