// Id-cursor paging, as the web-integrations, brands and api-keys lists do it: `startingAfter=<id>` or
// `endingBefore=<id>`, and links.self/next/prev that carry the id of the page's last or first item.
// Content lists check `limit` first (content/pagination.ts); api-keys takes it as given.

export interface IdCursorPage<T> {
  items: T[];
  links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
}

/** The `limit` items of `all` after `url`'s `startingAfter` (or before its `endingBefore`), with the links. */
export function idCursorPage<T extends { id: string }>(all: readonly T[], url: URL, limit: number): IdCursorPage<T> {
  const after = url.searchParams.get('startingAfter');
  const before = url.searchParams.get('endingBefore');
  let start = 0;
  if (after) start = all.findIndex((x) => x.id === after) + 1;
  let end = start + limit;
  if (before && !after) {
    end = Math.max(
      0,
      all.findIndex((x) => x.id === before),
    );
    start = Math.max(0, end - limit);
  }
  const items = all.slice(start, end);
  const link = (param: 'startingAfter' | 'endingBefore', id: string): { href: string } => {
    const u = new URL(url.href);
    u.searchParams.delete('startingAfter');
    u.searchParams.delete('endingBefore');
    u.searchParams.set(param, id);
    return { href: u.href };
  };
  const links: IdCursorPage<T>['links'] = { self: { href: url.href } };
  const last = items[items.length - 1];
  const first = items[0];
  if (last && end < all.length) links.next = link('startingAfter', last.id);
  if (first && start > 0) links.prev = link('endingBefore', first.id);
  return { items, links };
}
