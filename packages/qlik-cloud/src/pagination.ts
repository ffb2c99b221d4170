import {
  paginate as paginatePages,
  type ApiClient,
  type ApiInit,
  type ApiRequiredKeys,
  type FetchResult,
} from '@qlik-oem/core';

// A paths type (openapi-fetch's constraint is `{}`; every generated `paths` interface is an object).
export type AnyPaths = object;

/** Paths that declare a GET operation (openapi-typescript writes `get?: never` for the others). */
export type GetPaths<Paths extends AnyPaths> = {
  [Path in keyof Paths]: Paths[Path] extends { get: object } ? Path : never;
}[keyof Paths];

/** The JSON body of a GET's 200 response. */
export type ListResponse<Paths extends AnyPaths, Path extends keyof Paths> = Paths[Path] extends {
  get: infer Operation;
}
  ? Operation extends { responses: { 200: { content: { 'application/json': infer Body } } } }
    ? Body
    : never
  : never;

/** The element type of a list response's `data` array. */
export type ListItem<Paths extends AnyPaths, Path extends keyof Paths> =
  NonNullable<ListResponse<Paths, Path>> extends { data?: ReadonlyArray<infer Item> | null } ? Item : never;

/** GET paths whose 200 response is a `{ data: [...] }` list, i.e. the ones `paginate` accepts. */
export type ListPath<Paths extends AnyPaths> = {
  [Path in GetPaths<Paths>]: [ListItem<Paths, Path>] extends [never] ? never : Path;
}[GetPaths<Paths>];

export interface PaginateOptions {
  /** Stop with QlikPageLimitError after this many pages (default 1000). */
  maxPages?: number;
  signal?: AbortSignal;
}

/** `init` is required exactly when the list operation has required parameters (e.g. `appId` of reloads). */
export type PaginateArgs<Init> = [ApiRequiredKeys<Init>] extends [never]
  ? [init?: Init, options?: PaginateOptions]
  : [init: Init, options?: PaginateOptions];

/** The request options of the list operation (query parameters, headers, signal). */
export type ListInit<Paths extends AnyPaths, Path extends keyof Paths> = Paths[Path] extends { get: infer Operation }
  ? ApiInit<Operation>
  : never;

/**
 * Iterates every item of a Qlik Cloud list endpoint, following `links.next.href` (the `next` cursor of most
 * APIs, the `page` cursor of data-connections) through the same client, so auth, pacing and retries apply.
 * Only the path and query of `next.href` are used: the request stays on the client's host.
 *
 * ```ts
 * for await (const space of paginate(qc.spaces, '/api/v1/spaces', { params: { query: { type: 'managed' } } })) { … }
 * ```
 */
export function paginate<Paths extends AnyPaths, Path extends ListPath<Paths>>(
  client: ApiClient<Paths>,
  path: Path,
  ...[init, options = {}]: PaginateArgs<ListInit<Paths, Path>>
): AsyncIterableIterator<ListItem<Paths, Path>> {
  type Item = ListItem<Paths, Path>;
  const get = client.GET as unknown as (path: string, init?: Record<string, unknown>) => Promise<FetchResult<Item>>;
  const signal = options.signal ?? (init as { signal?: AbortSignal } | undefined)?.signal;
  return paginatePages<Item>({
    first: ({ signal: pageSignal }) =>
      get(path as string, { ...(init as object), ...(pageSignal ? { signal: pageSignal } : {}) }),
    next: (href, { signal: pageSignal }) => {
      const url = new URL(href);
      const search = url.search.startsWith('?') ? url.search.slice(1) : url.search;
      // The cursor URL is already serialised: send its query verbatim instead of re-encoding it.
      return get(url.pathname, { querySerializer: () => search, ...(pageSignal ? { signal: pageSignal } : {}) });
    },
    // Only path and query of a next link are used, so a relative href needs no real base.
    baseUrl: 'https://next-page.invalid',
    ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
    ...(signal ? { signal } : {}),
  });
}

export { collectAll } from '@qlik-oem/core';
