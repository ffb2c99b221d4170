import { describe, expect, it } from 'vitest';
import { createTransport } from '../src/index.js';
import { createFakeTokenProvider, createManualClock, flush, scriptedFetch, status } from './helpers.js';

const URL_ME = 'https://acme.eu.qlikcloud.com/api/v1/users/me';
const bearer = (r: { headers: Headers }) => r.headers.get('authorization');

describe('auth', () => {
  it('adds the bearer token and reuses it while valid', async () => {
    const auth = createFakeTokenProvider();
    const fetch = scriptedFetch(status(200));
    const transport = createTransport({ fetch, auth, pacing: false });
    await transport(URL_ME);
    await transport(URL_ME);
    expect(fetch.requests.map(bearer)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    expect(auth.calls).toHaveLength(1);
  });

  it('refreshes a token shortly before it expires (configurable skew)', async () => {
    const clock = createManualClock(1_000_000);
    const auth = createFakeTokenProvider({ lifetimeMs: 60_000, clock });
    const fetch = scriptedFetch(status(200));
    const transport = createTransport({ fetch, auth, clock, pacing: false, tokenRefreshSkewMs: 10_000 });
    await transport(URL_ME);
    await clock.advance(49_999);
    await transport(URL_ME);
    await clock.advance(1); // now within 10 s of expiry
    await transport(URL_ME);
    expect(fetch.requests.map(bearer)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('forces a refresh when the provider hands out a token that is about to expire', async () => {
    const clock = createManualClock(0);
    const auth = createFakeTokenProvider({ lifetimeMs: 5_000, clock }); // shorter than the default 30 s skew
    const fetch = scriptedFetch(status(200));
    const transport = createTransport({ fetch, auth, clock, pacing: false });
    await transport(URL_ME);
    expect(auth.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    // A token shorter-lived than the skew is kept for half its lifetime, not refreshed per request.
    await transport(URL_ME);
    expect(auth.calls).toHaveLength(2);
    await clock.advance(2_500);
    await transport(URL_ME);
    expect(auth.calls.slice(2)).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(fetch.requests.map(bearer)).toEqual(['Bearer tok-2', 'Bearer tok-2', 'Bearer tok-3']);
  });

  it('after a 401 invalidates, refreshes once and retries once', async () => {
    const auth = createFakeTokenProvider();
    const fetch = scriptedFetch(
      (r) => new Response(null, { status: r.headers.get('authorization') === 'Bearer tok-1' ? 401 : 200 }),
    );
    const transport = createTransport({ fetch, auth, pacing: false });
    const response = await transport(URL_ME, { method: 'POST', body: 'x' }); // even a POST: a 401 was not processed
    expect(response.status).toBe(200);
    expect(auth.invalidated).toEqual(['tok-1']);
    expect(fetch.requests.map(bearer)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(fetch.requests.map((r) => r.body)).toEqual(['x', 'x']);
  });

  it("does not put the token on the caller's own Request object", async () => {
    const fetch = scriptedFetch(status(200));
    const mine = new Request(URL_ME);
    await createTransport({ fetch, auth: createFakeTokenProvider(), pacing: false, headers: { 'user-agent': 'sdk' } })(
      mine,
    );
    expect(fetch.requests[0]!.headers.get('authorization')).toBe('Bearer tok-1');
    expect(fetch.requests[0]!.headers.get('user-agent')).toBe('sdk');
    expect(mine.headers.has('authorization')).toBe(false);
  });

  it('never refreshes twice: a second 401 is returned', async () => {
    const auth = createFakeTokenProvider();
    const fetch = scriptedFetch(status(401));
    const transport = createTransport({ fetch, auth, pacing: false, retry: { maxAttempts: 5 } });
    const response = await transport(URL_ME);
    expect(response.status).toBe(401);
    expect(fetch.requests).toHaveLength(2);
    expect(auth.invalidated).toEqual(['tok-1']);
    expect(auth.calls.filter((c) => c.forceRefresh)).toHaveLength(1);
  });

  it('concurrent 401s with the same token cause one refresh', async () => {
    const auth = createFakeTokenProvider();
    const fetch = scriptedFetch(
      (r) => new Response(null, { status: r.headers.get('authorization') === 'Bearer tok-1' ? 401 : 200 }),
    );
    const transport = createTransport({ fetch, auth, pacing: false });
    const results = await Promise.all([transport(URL_ME), transport(URL_ME), transport(URL_ME)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(fetch.requests.map(bearer).sort()).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
      'Bearer tok-2',
      'Bearer tok-2',
    ]);
    expect(auth.invalidated).toEqual(['tok-1']);
    expect(auth.calls.filter((c) => c.forceRefresh)).toHaveLength(1);
  });

  it('never re-sends the rejected token, even when a refresh was already under way', async () => {
    const clock = createManualClock(0);
    let releaseProvider!: () => void;
    const providerGate = new Promise<void>((resolve) => (releaseProvider = resolve));
    let forced = 0;
    const auth = {
      id: 'racy',
      async getToken(options?: { forceRefresh?: boolean }) {
        if (options?.forceRefresh) {
          forced++;
          return { token: `t${forced + 1}`, expiresAt: 1_000_000 };
        }
        if (clock.now() < 100) return { token: 't1', expiresAt: 100 };
        await providerGate; // a slow, unforced refresh that returns t1 again (the provider still trusts it)
        return { token: 't1', expiresAt: 10_000 };
      },
      invalidate() {},
    };
    let releaseA!: () => void;
    const gateA = new Promise<void>((resolve) => (releaseA = resolve));
    const fetch = scriptedFetch(async (r) => {
      const token = r.headers.get('authorization');
      if (token === 'Bearer t1' && r.url.endsWith('/a')) await gateA;
      return new Response(null, { status: token === 'Bearer t1' ? 401 : 200 });
    });
    const transport = createTransport({ fetch, auth, clock, pacing: false, tokenRefreshSkewMs: 0 });

    const a = transport('https://acme.eu.qlikcloud.com/a'); // sends t1, answer held back
    await flush();
    await clock.advance(100); // t1 is now due for refresh
    const b = transport('https://acme.eu.qlikcloud.com/b'); // starts the slow unforced refresh
    await flush();
    releaseA(); // a gets its 401 while b's refresh is still running
    await flush();
    releaseProvider();
    const results = await Promise.all([a, b]);

    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const sentByA = fetch.requests.filter((r) => r.request.url.endsWith('/a')).map(bearer);
    expect(sentByA).toEqual(['Bearer t1', 'Bearer t2']);
    expect(forced).toBe(1);
  });
});
