/**
 * Compile-time tests of `ApiClient`'s type safety, checked by `tsc -p packages/core` (never executed: every
 * call sits in a function nobody invokes). Each `@ts-expect-error` fails the type-check if its line ever
 * compiles, each `expectTypeOf` if the type drifts: a cheaper formulation of the client's types must keep them.
 */
import { expectTypeOf } from 'vitest';
import type { ApiClient, ApiInit, ApiInitRequired } from '../src/index.js';

// The shape openapi-typescript (compacted) emits for qlik-cloud and qrs: operations by name, paths by template.
type Json<T> = { content: { 'application/json': T } };
interface Item {
  id: string;
  name: string;
  kind: 'a' | 'b';
}
interface ItemCreate {
  name: string;
  kind?: 'a' | 'b';
}
interface Problem {
  title: string;
}
interface Conflict {
  conflicting: string;
}
interface operations {
  listItems: {
    parameters: { query?: { limit?: number; name?: string } };
    responses: { 200: Json<{ data: Item[] }>; 400: Json<Problem>; 401: Json<Problem> };
  };
  createItem: {
    requestBody: Json<ItemCreate>;
    responses: { 201: Json<Item>; 409: Json<Conflict>; 500: Json<Problem> };
  };
  getItem: {
    parameters: { path: { itemId: string } };
    responses: { 200: Json<Item>; 404: Json<Problem> };
  };
  deleteItem: {
    parameters: { path: { itemId: string } };
    responses: { 204: { content?: never }; 404: Json<Problem> };
  };
  touchItem: {
    parameters: { path: { itemId: string } };
    requestBody?: Json<{ note?: string }>;
    responses: { 200: Json<Item> | Json<Conflict> };
  };
  getTypes: { responses: { 200: Json<string[]> } };
}
interface paths {
  '/items': { get: operations['listItems']; post: operations['createItem'] };
  '/items/{itemId}': { get: operations['getItem']; delete: operations['deleteItem']; patch: operations['touchItem'] };
  '/types': { get: operations['getTypes'] };
}

export async function typeChecks(api: ApiClient<paths>) {
  // Path templates of the call's method only.
  await api.GET('/types');
  // @ts-expect-error: no POST on /types
  await api.POST('/types');
  // @ts-expect-error: no such path
  await api.GET('/nope');
  // @ts-expect-error: no PUT operation at all
  await api.PUT('/items/{itemId}', { params: { path: { itemId: 'i' } } });

  // Required parameters are required; optional ones make `init` optional.
  await api.GET('/items');
  await api.GET('/items', { params: { query: { limit: 10 } } });
  await api.GET('/items/{itemId}', { params: { path: { itemId: 'i' } } });
  // @ts-expect-error: the path parameter is missing
  await api.GET('/items/{itemId}');
  // @ts-expect-error: `params` is missing
  await api.GET('/items/{itemId}', {});
  // @ts-expect-error: the path parameter has the wrong name
  await api.GET('/items/{itemId}', { params: { path: { id: 'i' } } });
  // @ts-expect-error: a query parameter of the wrong type
  await api.GET('/items', { params: { query: { limit: 'ten' } } });
  // @ts-expect-error: an undeclared query parameter
  await api.GET('/items', { params: { query: { nope: 1 } } });

  // A required body is required and checked; an optional one is optional; bodiless operations take none.
  await api.POST('/items', { body: { name: 'n' } });
  // @ts-expect-error: the body is required
  await api.POST('/items');
  // @ts-expect-error: the body is required
  await api.POST('/items', {});
  // @ts-expect-error: `name` is required
  await api.POST('/items', { body: { kind: 'a' } });
  // @ts-expect-error: not a kind
  await api.POST('/items', { body: { name: 'n', kind: 'c' } });
  // @ts-expect-error: an undeclared body property
  await api.POST('/items', { body: { name: 'n', colour: 'red' } });
  // @ts-expect-error: GET takes no body
  await api.GET('/items', { body: { name: 'n' } });
  await api.PATCH('/items/{itemId}', { params: { path: { itemId: 'i' } } });
  await api.PATCH('/items/{itemId}', { params: { path: { itemId: 'i' } }, body: { note: 'x' } });
  // @ts-expect-error: the optional body is still checked
  await api.PATCH('/items/{itemId}', { params: { path: { itemId: 'i' } }, body: { note: 1 } });

  // Request options and openapi-fetch's other options pass through.
  await api.GET('/items', { signal: AbortSignal.timeout(1000), headers: { 'x-trace': 'abc', 'x-n': 1 } });
  await api.GET('/items', { baseUrl: 'https://other.example', middleware: [] });
  // @ts-expect-error: headers are strings, numbers or booleans
  await api.GET('/items', { headers: { 'x-trace': {} } });
  // A Headers too, and fetch's other options pass through; `[name, value]` pairs openapi-fetch would not read.
  await api.GET('/items', { headers: new Headers({ 'x-trace': 'abc' }), cache: 'no-store', keepalive: true });
  // @ts-expect-error: openapi-fetch merges a record or a Headers, not pairs
  await api.GET('/items', { headers: [['x-trace', 'abc']] });

  // `data` is the 2xx bodies, `error` every other declared status's; they exclude each other.
  const list = await api.GET('/items');
  expectTypeOf(list.data).toEqualTypeOf<{ data: Item[] } | undefined>();
  expectTypeOf(list.error).toEqualTypeOf<Problem | undefined>();
  expectTypeOf(list.response).toEqualTypeOf<Response>();
  if (list.error === undefined) expectTypeOf(list.data).toEqualTypeOf<{ data: Item[] }>();
  else expectTypeOf(list.data).toEqualTypeOf<undefined>();
  const created = await api.POST('/items', { body: { name: 'n' } });
  expectTypeOf(created.data).toEqualTypeOf<Item | undefined>();
  expectTypeOf(created.error).toEqualTypeOf<Conflict | Problem | undefined>();
  const deleted = await api.DELETE('/items/{itemId}', { params: { path: { itemId: 'i' } } });
  expectTypeOf(deleted.data).toEqualTypeOf<undefined>();
  const touched = await api.PATCH('/items/{itemId}', { params: { path: { itemId: 'i' } } });
  expectTypeOf(touched.data).toEqualTypeOf<Item | Conflict | undefined>();
  expectTypeOf(touched.error).toEqualTypeOf<undefined>();

  // `parseAs` picks `data`'s type; only openapi-fetch's parsers are accepted.
  const text = await api.GET('/items/{itemId}', { params: { path: { itemId: 'i' } }, parseAs: 'text' });
  expectTypeOf(text.data).toEqualTypeOf<string | undefined>();
  expectTypeOf(text.error).toEqualTypeOf<Problem | undefined>();
  expectTypeOf((await api.GET('/items', { parseAs: 'blob' })).data).toEqualTypeOf<Blob | undefined>();
  expectTypeOf((await api.GET('/items', { parseAs: 'arrayBuffer' })).data).toEqualTypeOf<ArrayBuffer | undefined>();
  expectTypeOf((await api.GET('/items', { parseAs: 'stream' })).data).toEqualTypeOf<Response['body'] | undefined>();
  expectTypeOf((await api.GET('/items', { parseAs: 'json' })).data).toEqualTypeOf<{ data: Item[] } | undefined>();
  // @ts-expect-error: not a parser
  await api.GET('/items', { parseAs: 'xml' });
  // @ts-expect-error: parseAs does not lift the required parameters
  await api.GET('/items/{itemId}', { parseAs: 'text' });

  // The helpers behind them: `init` is required exactly when a parameter or the body is.
  expectTypeOf<ApiInitRequired<operations['listItems']>>().toEqualTypeOf<false>();
  expectTypeOf<ApiInitRequired<operations['getTypes']>>().toEqualTypeOf<false>();
  expectTypeOf<ApiInitRequired<operations['getItem']>>().toEqualTypeOf<true>();
  expectTypeOf<ApiInitRequired<operations['createItem']>>().toEqualTypeOf<true>();
  expectTypeOf<ApiInitRequired<operations['touchItem']>>().toEqualTypeOf<true>();
  expectTypeOf<ApiInit<operations['getItem']>['params']>().toEqualTypeOf<{ path: { itemId: string } }>();
  expectTypeOf<ApiInit<operations['listItems']>['params']>().toEqualTypeOf<
    { query?: { limit?: number; name?: string } } | undefined
  >();
}
