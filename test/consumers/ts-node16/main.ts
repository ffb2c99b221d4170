// TypeScript (node16 resolution, ESM): the packages' `import` types resolve and are precise, not `any`.
import assert from 'node:assert/strict';
import { isQlikValidationError, type TokenProvider } from '@qlik-oem/core';
import { apiKey, createQlikCloud, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { checkExports } from '../shared/check-exports.mjs';
import { API_KEY, startSpacesEndpoint } from '../shared/spaces-endpoint.mjs';

await checkExports((name) => import(name), 'ts-node16 (esm)');

const auth: TokenProvider = apiKey(API_KEY);
assert.throws(() => createQlikCloud({ host: 'not a host', auth }), (error: unknown) => isQlikValidationError(error));

const endpoint = await startSpacesEndpoint();
try {
  const cloud: QlikCloud = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth, fetch: endpoint.fetch });
  const { data, error } = await cloud.spaces.GET('/api/v1/spaces');
  assert.equal(error, undefined);
  const names: string[] = (data?.data ?? []).map((space) => space.name);
  assert.deepEqual(names, ['Acme (managed)']);
  if (Date.now() < 0) {
    // Never runs: only here so the compiler proves the paths are typed (this line must be an error).
    // @ts-expect-error '/api/v1/not-a-path' is not a path of the spaces API
    await cloud.spaces.GET('/api/v1/not-a-path');
  }
  console.log('ts-node16 (esm): listed spaces through @qlik-oem/qlik-cloud');
} finally {
  await endpoint.close();
}
