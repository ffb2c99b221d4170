/**
 * Compile-time tests, checked by `tsc --noEmit -p packages/qlik-cloud` (never executed: every call sits in a
 * function nobody invokes). Each `@ts-expect-error` fails the type-check if the line ever compiles.
 */
import type { ApiClient } from '@qlik-oem/core';
import { expectTypeOf } from 'vitest';
import {
  apiKey,
  collectAll,
  createQlikCloud,
  importApp,
  paginate,
  unwrap,
  type SpacesApi,
  type UsersApi,
  type TenantsApi,
  type DataConnectionsApi,
} from '../src/index.js';
import { createQlikCloudConnection } from '../src/base.js';
import { createSpacesClient, type SpacesClient, type components } from '../src/generated/entries/spaces.js';

type Space = SpacesApi.components['schemas']['Space'];

export async function typeChecks() {
  const qc = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth: apiKey('k') });

  // A valid body compiles; defaults are not required (generated with defaultNonNullable: false).
  await qc.spaces.POST('/api/v1/spaces', { body: { name: 'Prod', type: 'managed' } });
  await qc.apps.POST('/api/v1/apps/{appId}/publish', { params: { path: { appId: 'a' } }, body: { spaceId: 's' } });

  await qc.apps.POST('/api/v1/apps/{appId}/publish', {
    params: { path: { appId: 'a' } },
    body: { spaceId: 's', data: 'source' },
  });
  await qc.apps.POST('/api/v1/apps/{appId}/publish', {
    params: { path: { appId: 'a' } },
    // @ts-expect-error: publish data is "source" or "target"
    body: { spaceId: 's', data: 'both' },
  });

  // @ts-expect-error: not a space type
  await qc.spaces.POST('/api/v1/spaces', { body: { name: 'Prod', type: 'bogus' } });
  // @ts-expect-error: `name` is required
  await qc.spaces.POST('/api/v1/spaces', { body: { type: 'managed' } });
  // @ts-expect-error: the path parameter is missing
  await qc.spaces.GET('/api/v1/spaces/{spaceId}');
  // @ts-expect-error: the path parameter has the wrong name
  await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { id: 's' } } });
  // @ts-expect-error: no such path in the spaces API
  await qc.spaces.GET('/api/v1/apps');
  // @ts-expect-error: no such API on the facade
  void qc.nonexistent;

  // The Authorization header parameters of reloads/audits are stripped: the transport sends auth.
  await qc.reloads.POST('/api/v1/reloads', { body: { appId: 'a' } });
  await qc.reloads.GET('/api/v1/reloads/{reloadId}', { params: { path: { reloadId: 'r' } } });
  await qc.audits.GET('/api/v1/audits');
  // @ts-expect-error: appId is required to reload
  await qc.reloads.POST('/api/v1/reloads', { body: { partial: true } });

  // The path parameter the apps spec forgot to declare is required like any other.
  await qc.apps.GET('/api/v1/apps/{appId}/reloads/metadata/{reloadId}', {
    params: { path: { appId: 'a', reloadId: 'r' } },
  });
  // @ts-expect-error: reloadId is missing
  await qc.apps.GET('/api/v1/apps/{appId}/reloads/metadata/{reloadId}', { params: { path: { appId: 'a' } } });

  // Identity providers: the discriminator maps protocol values, not schema names.
  await qc.identityProviders.POST('/api/v1/identity-providers', {
    body: { protocol: 'jwtAuth', provider: 'external', options: { issuer: 'i', staticKeys: [{ kid: 'k', pem: 'p' }] } },
  });
  await qc.identityProviders.POST('/api/v1/identity-providers', {
    body: {
      // @ts-expect-error: the schema name is not a protocol
      protocol: 'CreateJWTAuthPayload',
      provider: 'external',
      options: { issuer: 'i', staticKeys: [{ kid: 'k', pem: 'p' }] },
    },
  });

  // /users/me and /tenants/me return the followed JSON.
  const me = await qc.users.GET('/api/v1/users/me');
  expectTypeOf(me.data).toEqualTypeOf<UsersApi.components['schemas']['User'] | undefined>();
  const tenant = await qc.tenants.GET('/api/v1/tenants/me');
  expectTypeOf(tenant.data).toEqualTypeOf<TenantsApi.components['schemas']['Tenant'] | undefined>();

  // unwrap gives the success type; paginate yields the list's item type.
  const space = unwrap(await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } } }));
  expectTypeOf(space).toEqualTypeOf<Space>();
  // A call's `error` is its non-2xx bodies; unwrap of a 204 is undefined, of `parseAs: 'text'` a string, and of
  // a success-only result whose `data` is optional (a hand-written fetch) that `data`.
  const got = await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } } });
  expectTypeOf(got.error).toEqualTypeOf<SpacesApi.components['schemas']['Errors'] | undefined>();
  expectTypeOf(
    unwrap(await qc.spaces.DELETE('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } } })),
  ).toEqualTypeOf<undefined>();
  expectTypeOf(
    unwrap(await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } }, parseAs: 'text' })),
  ).toEqualTypeOf<string>();
  expectTypeOf(unwrap({} as { data?: Space; error?: never; response: Response })).toEqualTypeOf<Space>();
  // @ts-expect-error: not a result
  unwrap({ data: space });
  for await (const item of paginate(qc.spaces, '/api/v1/spaces', { params: { query: { type: 'managed' } } })) {
    expectTypeOf(item).toEqualTypeOf<Space>();
  }
  const connections = await collectAll(paginate(qc.dataConnections, '/api/v1/data-connections'), { limit: 100 });
  expectTypeOf(connections).toEqualTypeOf<DataConnectionsApi.components['schemas']['ConnectionGet'][]>();
  paginate(qc.reloads, '/api/v1/reloads', { params: { query: { appId: 'a' } } });
  // @ts-expect-error: the reloads list requires appId
  paginate(qc.reloads, '/api/v1/reloads');
  // @ts-expect-error: not a list endpoint
  paginate(qc.spaces, '/api/v1/spaces/{spaceId}');
  // @ts-expect-error: wrong query parameter for the list
  paginate(qc.spaces, '/api/v1/spaces', { params: { query: { nope: 1 } } });

  // importApp takes bytes or a stream, not both.
  // @ts-expect-error: both sources
  await importApp(qc, { bytes: new Uint8Array(1), stream: new ReadableStream<Uint8Array>() });

  // A per-API entry point's client is the facade's client of that API: one signature per path before the generic
  // one, an ApiClient of the API's paths, and its types are the API's.
  const spaces = createSpacesClient(createQlikCloudConnection({ host: 'acme.eu.qlikcloud.com', auth: apiKey('k') }));
  expectTypeOf(spaces).toEqualTypeOf<SpacesClient>();
  expectTypeOf(qc.spaces).toEqualTypeOf<SpacesClient>();
  expectTypeOf<SpacesClient>().toMatchTypeOf<ApiClient<SpacesApi.paths>>();
  expectTypeOf<components['schemas']['Space']>().toEqualTypeOf<Space>();
  const byPath = await spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } } });
  expectTypeOf(byPath).toEqualTypeOf<typeof got>();
  expectTypeOf(
    unwrap(await spaces.POST('/api/v1/spaces', { body: { name: 'Prod', type: 'managed' } })),
  ).toEqualTypeOf<Space>();
  expectTypeOf(unwrap(await spaces.GET('/api/v1/spaces'))).toEqualTypeOf<SpacesApi.components['schemas']['Spaces']>();
  // Another `parseAs`, and a path typed as a union, take the generic signature.
  expectTypeOf(
    unwrap(await spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's' } }, parseAs: 'text' })),
  ).toEqualTypeOf<string>();
  const eitherPath = '/api/v1/spaces' as '/api/v1/spaces' | '/api/v1/spaces/types';
  expectTypeOf(unwrap(await spaces.GET(eitherPath))).toEqualTypeOf<
    SpacesApi.components['schemas']['Spaces'] | SpacesApi.components['schemas']['SpaceTypes']
  >();
  // @ts-expect-error: the path parameter is missing
  await spaces.GET('/api/v1/spaces/{spaceId}');
  // @ts-expect-error: the body is required
  await spaces.POST('/api/v1/spaces');
  // @ts-expect-error: not a space type
  await spaces.POST('/api/v1/spaces', { body: { name: 'Prod', type: 'bogus' } });
  // @ts-expect-error: the path parameter has the wrong name
  await spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { id: 's' } } });
  // @ts-expect-error: no such path in the spaces API
  await spaces.GET('/api/v1/apps');
  // @ts-expect-error: no PATCH on the spaces list
  await spaces.PATCH('/api/v1/spaces', { body: [] });
  // @ts-expect-error: a per-API client takes a connection, not the facade's options
  createSpacesClient({ host: 'acme.eu.qlikcloud.com', auth: apiKey('k') });
}
