import { describe, expect, it } from 'vitest';
import {
  collectAll,
  isQlikHttpError,
  isQlikPageLimitError,
  isQlikValidationError,
  paginate,
  type Page,
} from '../src/index.js';

const HOST = 'https://acme.eu.qlikcloud.com';

/** Three pages: the first links on with a relative href, the second with an absolute one. */
function threePages() {
  const pages: Record<string, Page<number>> = {
    [`${HOST}/api/v1/items?limit=2`]: {
      data: [1, 2],
      links: { self: { href: `${HOST}/api/v1/items?limit=2` }, next: { href: '/api/v1/items?limit=2&next=c2' } },
    },
    [`${HOST}/api/v1/items?limit=2&next=c2`]: {
      data: [3, 4],
      links: { next: { href: `${HOST}/api/v1/items?limit=2&next=c3` } },
    },
    [`${HOST}/api/v1/items?limit=2&next=c3`]: { data: [5], links: { next: null } },
  };
  const fetched: string[] = [];
  const get = async (href: string) => {
    fetched.push(href);
    const page = pages[href];
    if (!page) throw new Error(`no page at ${href}`);
    return page;
  };
  return { fetched, first: () => get(`${HOST}/api/v1/items?limit=2`), next: (href: string) => get(href) };
}

describe('paginate', () => {
  it('follows relative and absolute next links', async () => {
    const source = threePages();
    const items = await collectAll(paginate(source), { limit: 100 });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(source.fetched).toEqual([
      `${HOST}/api/v1/items?limit=2`,
      `${HOST}/api/v1/items?limit=2&next=c2`,
      `${HOST}/api/v1/items?limit=2&next=c3`,
    ]);
  });

  it('resolves a relative href against baseUrl when no page URL is known', async () => {
    const seen: string[] = [];
    const items = paginate<string>({
      first: async () => ({ data: ['a'], links: { next: { href: 'items?next=2' } } }),
      next: async (href) => (seen.push(href), { data: ['b'] }),
      baseUrl: `${HOST}/api/v1/`,
    });
    expect(await collectAll(items, { limit: 10 })).toEqual(['a', 'b']);
    expect(seen).toEqual([`${HOST}/api/v1/items?next=2`]);
  });

  it('throws QlikPageLimitError at the cap after yielding the allowed pages, or stops when asked', async () => {
    const got: number[] = [];
    const error = await (async () => {
      for await (const item of paginate({ ...threePages(), maxPages: 2 })) got.push(item);
    })().catch((e: unknown) => e);
    expect(isQlikPageLimitError(error)).toBe(true);
    expect(got).toEqual([1, 2, 3, 4]);

    const source = threePages();
    expect(await collectAll(paginate({ ...source, maxPages: 2, onMaxPages: 'stop' }), { limit: 100 })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(source.fetched).toHaveLength(2);
  });

  it('stops when the server repeats a cursor', async () => {
    let calls = 0;
    const page = { data: [1], links: { self: { href: `${HOST}/x?next=a` }, next: { href: `${HOST}/x?next=a` } } };
    const items = await collectAll(paginate({ first: async () => page, next: async () => (calls++, page) }), {
      limit: 100,
    });
    expect(items).toEqual([1]);
    expect(calls).toBe(0);
  });

  it('collectAll needs a positive limit and stops fetching once it has it', async () => {
    const source = threePages();
    expect(await collectAll(paginate(source), { limit: 3 })).toEqual([1, 2, 3]);
    expect(source.fetched).toHaveLength(2);
    await expect(collectAll(paginate(threePages()), undefined as never)).rejects.toSatisfy(isQlikValidationError);
    await expect(collectAll(paginate(threePages()), { limit: 0 })).rejects.toSatisfy(isQlikValidationError);
  });

  it('accepts openapi-fetch results and throws their errors as QlikHttpError', async () => {
    const ok = { data: { data: [1], links: { next: { href: `${HOST}/next` } } }, response: new Response('{}') };
    const failed = {
      error: { errors: [{ code: 'FORBIDDEN', title: 'Forbidden' }] },
      response: new Response('{}', { status: 403 }),
    };
    const result = await (async () => {
      const got: number[] = [];
      for await (const item of paginate<number>({ first: async () => ok, next: async () => failed })) got.push(item);
      return got;
    })().catch((e: unknown) => e);
    expect(isQlikHttpError(result)).toBe(true);
    expect(result).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('honours an aborted signal between pages', async () => {
    const controller = new AbortController();
    const source = threePages();
    const got: number[] = [];
    const error = await (async () => {
      for await (const item of paginate({ ...source, signal: controller.signal })) {
        got.push(item);
        controller.abort(new Error('enough'));
      }
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe('enough');
    expect(source.fetched).toHaveLength(1);
  });
});
