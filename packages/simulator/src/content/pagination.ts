/**
 * Cursor pagination the way Qlik lists do it: an opaque cursor in a query parameter (`next`/`prev`
 * for most APIs, `page` for data-connections and data-files), and `links.self/next/prev.href`.
 * The cursor encodes an offset; it is opaque to clients, as on Qlik. Lists are sorted with the
 * (stable) Array sort over Map insertion order, so equal keys keep creation order across pages.
 * Web-integrations and brands page by id instead (`idCursorPage`, whose limits are checked here).
 */
import { idCursorPage as idCursorWindow, type IdCursorPage } from '../http/id-cursor.js';
import { badRequestError } from './errors.js';

export interface PageOptions {
  /** Query parameter names carrying the cursor. */
  nextParam: string;
  prevParam: string;
  defaultLimit: number | undefined;
  maxLimit: number;
}

export interface Page<T> {
  items: T[];
  links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
  total: number;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const offset = (parsed as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw badRequestError('invalid page cursor');
}

/** Reads `limit` from the query: undefined when absent and the API has no default (returns all). */
export function readLimit(query: URLSearchParams, options: PageOptions): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '') return options.defaultLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > options.maxLimit) {
    throw badRequestError(`limit must be an integer from 1 to ${options.maxLimit}`);
  }
  return limit;
}

/** Cuts one page out of `all` (already filtered and sorted) for the request `url`. */
export function paginate<T>(all: readonly T[], url: URL, options: PageOptions): Page<T> {
  const limit = readLimit(url.searchParams, options);
  const nextCursor = url.searchParams.get(options.nextParam);
  const prevCursor = url.searchParams.get(options.prevParam);
  let offset = 0;
  if (nextCursor) offset = decodeCursor(nextCursor);
  else if (prevCursor) offset = decodeCursor(prevCursor);
  const size = limit ?? all.length;
  const items = all.slice(offset, offset + size);
  const link = (cursorParam: string | undefined, at: number): { href: string } => {
    const u = new URL(url.href);
    u.searchParams.delete(options.nextParam);
    u.searchParams.delete(options.prevParam);
    if (cursorParam) u.searchParams.set(cursorParam, encodeCursor(at));
    return { href: u.href };
  };
  const links: Page<T>['links'] = { self: { href: url.href } };
  if (offset + size < all.length && size > 0) links.next = link(options.nextParam, offset + size);
  if (offset > 0) links.prev = link(options.prevParam, Math.max(0, offset - size));
  return { items, links, total: all.length };
}

export const CURSOR_PAGING = (defaultLimit: number, maxLimit = 100): PageOptions => ({
  nextParam: 'next',
  prevParam: 'prev',
  defaultLimit,
  maxLimit,
});

/** A page of `all` by id cursor (web-integrations, brands), its `limit` checked against the list's bounds (400 outside them). */
export function idCursorPage<T extends { id: string }>(
  all: readonly T[],
  url: URL,
  options: { defaultLimit: number; maxLimit: number; minLimit?: number },
): IdCursorPage<T> {
  const raw = url.searchParams.get('limit');
  const limit = raw === null ? options.defaultLimit : Number(raw);
  if (!Number.isInteger(limit) || limit < (options.minLimit ?? 1) || limit > options.maxLimit) {
    throw badRequestError(`limit must be an integer from ${options.minLimit ?? 1} to ${options.maxLimit}`);
  }
  return idCursorWindow(all, url, limit);
}
