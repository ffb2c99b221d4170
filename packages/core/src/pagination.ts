import { QlikHttpError, QlikPageLimitError, QlikValidationError } from './errors.js';

/** A Qlik list response: `{ data: [...], links: { self, next?, prev? } }`. */
export interface Page<T> {
  data?: T[] | null;
  links?: {
    self?: { href?: string } | null;
    next?: { href?: string } | null;
    prev?: { href?: string } | null;
  } | null;
}

/** What openapi-fetch returns: `{ data, error, response }`. */
export interface FetchResult<T> {
  data?: Page<T>;
  error?: unknown;
  response: Response;
}

/** Fetches one page: a `Page` or an openapi-fetch result (an `error` there is thrown as `QlikHttpError`). */
export type PageFetcher<T> = (options: { signal?: AbortSignal }) => Promise<Page<T> | FetchResult<T>>;

export interface PaginateOptions<T> {
  first: PageFetcher<T>;
  /** Fetches the page at an absolute URL (relative `links.next.href` values are resolved first). */
  next: (href: string, options: { signal?: AbortSignal }) => Promise<Page<T> | FetchResult<T>>;
  /**
   * At most this many pages (default 1000). If the last allowed page still has a `next` link,
   * the iterator throws `QlikPageLimitError` after yielding that page's items, or just stops when
   * `onMaxPages` is `'stop'`.
   */
  maxPages?: number;
  onMaxPages?: 'throw' | 'stop';
  /** Base for relative hrefs when a page's own URL is unknown. */
  baseUrl?: string | URL;
  /** Stop (rather than loop) when the server returns a `next` href that was already visited. Default true. */
  stopOnSameToken?: boolean;
  signal?: AbortSignal;
}

// Duck-typed so Responses from other fetch implementations (e.g. the npm undici package) count too.
function isFetchResult<T>(value: Page<T> | FetchResult<T>): value is FetchResult<T> {
  if (typeof value !== 'object' || value === null || !('response' in value)) return false;
  const response = value.response as Partial<Response> | null;
  return (
    typeof response === 'object' &&
    response !== null &&
    typeof response.status === 'number' &&
    typeof response.headers?.get === 'function'
  );
}

function unwrap<T>(value: Page<T> | FetchResult<T>): { page: Page<T>; url: string | undefined } {
  if (isFetchResult(value)) {
    if (value.error !== undefined || !value.response.ok) throw QlikHttpError.fromResponse(value.response, value.error);
    return { page: value.data ?? {}, url: value.response.url || undefined };
  }
  return { page: value ?? {}, url: undefined };
}

function absoluteOrUndefined(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href).href;
  } catch {
    return undefined;
  }
}

/**
 * Iterates every item of a Qlik list, following `links.next.href`. Relative hrefs are resolved
 * against the previous page's URL (the response URL, else its absolute `links.self.href`, else
 * `baseUrl`).
 */
export async function* paginate<T>(options: PaginateOptions<T>): AsyncIterableIterator<T> {
  const maxPages = options.maxPages ?? 1000;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new QlikValidationError('Invalid pagination options', [
      { path: ['maxPages'], message: 'must be a positive integer' },
    ]);
  }
  const signal = options.signal;
  const callOptions = signal ? { signal } : {};
  const stopOnSameToken = options.stopOnSameToken ?? true;
  const visited = new Set<string>();
  let base = options.baseUrl === undefined ? undefined : String(options.baseUrl);

  signal?.throwIfAborted();
  let { page, url } = unwrap(await options.first(callOptions));
  for (let pageNumber = 1; ; pageNumber++) {
    base = url ?? absoluteOrUndefined(page.links?.self?.href ?? undefined) ?? base;
    if (base) visited.add(base);
    for (const item of page.data ?? []) yield item;

    const href = page.links?.next?.href;
    if (!href) return;
    let nextUrl: string;
    try {
      nextUrl = new URL(href, base).href;
    } catch {
      throw new QlikValidationError('Cannot follow links.next.href', [
        { path: ['links', 'next', 'href'], message: 'is relative and no page URL or baseUrl is known to resolve it' },
      ]);
    }
    if (stopOnSameToken && visited.has(nextUrl)) return;
    if (pageNumber >= maxPages) {
      if (options.onMaxPages === 'stop') return;
      throw new QlikPageLimitError(maxPages);
    }
    visited.add(nextUrl);
    signal?.throwIfAborted();
    ({ page, url } = unwrap(await options.next(nextUrl, callOptions)));
    url ??= nextUrl;
  }
}

/**
 * Collects at most `limit` items (required, so "all" is always bounded) and stops fetching
 * pages once it has them.
 */
export async function collectAll<T>(items: AsyncIterable<T>, options: { limit: number }): Promise<T[]> {
  const limit = options?.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new QlikValidationError('collectAll needs a limit', [
      { path: ['limit'], message: 'must be a positive integer' },
    ]);
  }
  const out: T[] = [];
  if (out.length >= limit) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
