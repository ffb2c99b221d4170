import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, rateLimitLowerBoundMs, type Simulator } from '../src/index.js';
import { SimRateLimiter as RateLimiter } from '../src/advanced.js';
import { call, SOURCE, startStrict, tokenFor } from './helpers.js';

const TIER = { name: 'tier-test', perMinute: 3, windowMinutes: 5 };
const WINDOW = 5 * 60_000;

describe('RateLimiter (fake clock)', () => {
  it('never serves more than perMinute × windowMinutes in any window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const clock = createManualClock(0);
        const limiter = new RateLimiter(clock);
        const served: number[] = [];
        for (const gap of gaps) {
          clock.advance(gap);
          if (limiter.take('h', TIER, 'u').ok) served.push(clock.now());
        }
        const allowance = TIER.perMinute * TIER.windowMinutes;
        for (let i = 0; i < served.length; i++) {
          const start = served[i] ?? 0;
          expect(served.filter((t) => t >= start && t < start + WINDOW).length).toBeLessThanOrEqual(allowance);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('serves a burst up to the window allowance, then blocks the whole bucket until the oldest leaves', () => {
    const clock = createManualClock(0);
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 15; i++) expect(limiter.take('h', TIER, 'u').ok).toBe(true);
    const blocked = limiter.take('h', TIER, 'u');
    expect(blocked).toEqual({ ok: false, retryAfterSimMs: WINDOW });
    clock.advance(WINDOW - 1);
    expect(limiter.take('h', TIER, 'u').ok).toBe(false);
    clock.advance(1);
    expect(limiter.take('h', TIER, 'u').ok).toBe(true);
    // Other users and hosts have their own buckets.
    expect(limiter.take('h', TIER, 'other-user').ok).toBe(true);
    expect(limiter.take('other-host', TIER, 'u').ok).toBe(true);
  });

  it('computes the rate-limit lower bound of a run from its counters', () => {
    const counters = [
      { tier: 'tier2', count: 501, perMinute: 100, windowMinutes: 5 },
      { tier: 'tier1', count: 10, perMinute: 1000, windowMinutes: 5 },
    ];
    expect(rateLimitLowerBoundMs(counters)).toBe(WINDOW);
    expect(rateLimitLowerBoundMs([{ tier: 'tier2', count: 500, perMinute: 100, windowMinutes: 5 }])).toBe(0);
    expect(rateLimitLowerBoundMs([{ tier: 'x', count: 31 }], { x: { perMinute: 3, windowMinutes: 5 } })).toBe(
      2 * WINDOW,
    );
  });
});

describe('rate limits through the server', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('answers 429 exactly as Qlik does once a tier-2 burst is used up, and blocks the whole tier', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    sim = await startStrict({ clock });
    const token = await tokenFor(sim, SOURCE); // 1 tier-2 request (per client on /oauth/token)
    const put = (): Promise<{ status: number; body: any; headers: Headers }> =>
      call(sim as Simulator, token, 'PUT', `https://${SOURCE}/api/v1/licenses/settings`, { autoAssignAnalyzer: true });
    for (let i = 0; i < 500; i++) {
      const r = await put();
      if (r.status !== 200) throw new Error(`request ${i} got ${r.status}`);
    }
    clock.advance(60_000);
    const limited = await put();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('240');
    expect(limited.body).toEqual({
      errors: [
        {
          code: 'HTTP-429',
          title: 'API rate limit reached.',
          detail: 'You need to wait 240 seconds until limit is lifted.',
        },
      ],
    });
    // Another tier-2 operation of the same user and tenant is blocked too; tier 1 is not.
    expect((await call(sim, token, 'POST', `https://${SOURCE}/api/v1/groups`, { name: 'Blocked' })).status).toBe(429);
    expect((await call(sim, token, 'GET', `https://${SOURCE}/api/v1/licenses/settings`)).status).toBe(200);
    clock.advance(240_000);
    expect((await put()).status).toBe(200);
    const bot = sim.state.tenantByHost(SOURCE)?.findUserBy((u) => u.clientId === 'sim-eu-regional');
    const bucket = sim.counters.find((c) => c.host === SOURCE && c.tier === 'tier2' && c.user === bot?.id);
    expect(bucket).toMatchObject({ count: 501, rejected: 2, perMinute: 100, windowMinutes: 5 });
    expect(sim.violations).toEqual([]);
  });

  // Registry: http-rate-limit-token-request-bucket (which bucket Qlik counts a token request in is unknown).
  it.each([
    ['client', 'the client’s own bucket, shared with what its token sends', ['sim-eu-regional']],
    ['anonymous', 'the bucket every unauthenticated request of the host shares', ['anonymous']],
    ['none', 'no bucket', []],
  ] as const)('tokenRequestBucket %s counts a token request in %s', async (tokenRequestBucket, _, users) => {
    sim = await startStrict({ clock: createManualClock(Date.UTC(2026, 0, 1)), tokenRequestBucket });
    expect(sim.state.behaviour.tokenRequestBucket).toBe(tokenRequestBucket);
    await tokenFor(sim, SOURCE);
    await tokenFor(sim, SOURCE);
    const buckets = sim.counters.filter((c) => c.host === SOURCE && c.tier === 'tier2');
    expect(buckets.map((c) => [c.user, c.count])).toEqual(users.map((user) => [user, 2]));
    expect(sim.violations).toEqual([]);
  });

  it('refuses a tokenRequestBucket it does not know', async () => {
    await expect(startStrict({ tokenRequestBucket: 'per-ip' as never })).rejects.toThrow(
      /tokenRequestBucket must be one of client, anonymous, none/,
    );
  });
});
