import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, createTransport, QLIK_TIERS, type PacingKey, type RateLimitTier } from '../src/index.js';
import { createManualClock, flush, scriptedFetch, status } from './helpers.js';

const key = (tier: RateLimitTier, host = 'acme.eu.qlikcloud.com', credentialId = 'bot'): PacingKey => ({
  host,
  tier,
  credentialId,
});

describe('rate limiter', () => {
  it('never grants more than perMinute × windowMinutes in any window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }), // perMinute
        fc.integer({ min: 1, max: 3 }), // windowMinutes
        fc.array(fc.integer({ min: 0, max: 90_000 }), { minLength: 1, maxLength: 60 }), // gaps between arrivals
        async (perMinute, windowMinutes, gaps) => {
          const clock = createManualClock();
          const limiter = createRateLimiter({ clock });
          const tier = { name: 'test', perMinute, windowMinutes };
          const grants: number[] = [];
          let arrival = 0;
          const done = gaps.map((gap) => {
            arrival += gap;
            const at = arrival;
            return clock.sleep(at).then(() => limiter.acquire(key(tier)).then(() => grants.push(clock.now())));
          });
          await clock.runAll();
          await Promise.all(done);

          expect(grants).toHaveLength(gaps.length);
          const allowance = perMinute * windowMinutes;
          const windowMs = windowMinutes * 60_000;
          // Any allowance+1 consecutive grants must span at least one full window.
          for (let i = 0; i + allowance < grants.length; i++) {
            expect(grants[i + allowance]! - grants[i]!).toBeGreaterThanOrEqual(windowMs);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never lets the server count more than the allowance in a window, however late requests arrive (property)', async () => {
    // The server counts a request when it arrives, anywhere between the grant and the answer; the
    // transport settles each request when its answer comes.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }), // perMinute
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 30_000 }), // since the previous request was asked for
            toArrival: fc.integer({ min: 0, max: 20_000 }), // grant → the server counts it
            toAnswer: fc.integer({ min: 0, max: 5_000 }), // arrival → the answer
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (perMinute, requests) => {
          const clock = createManualClock();
          const limiter = createRateLimiter({ clock });
          const tier = { name: 'test', perMinute, windowMinutes: 1 };
          const arrivals: number[] = [];
          let askedAt = 0;
          const done = requests.map(({ gap, toArrival, toAnswer }) => {
            askedAt += gap;
            const at = askedAt;
            return clock
              .sleep(at)
              .then(() => limiter.acquire(key(tier)))
              .then(() => clock.sleep(toArrival))
              .then(() => arrivals.push(clock.now()))
              .then(() => clock.sleep(toAnswer))
              .then(() => limiter.settle!(key(tier)));
          });
          await clock.runAll();
          await Promise.all(done);

          expect(arrivals).toHaveLength(requests.length);
          arrivals.sort((a, b) => a - b);
          for (let i = 0; i + perMinute < arrivals.length; i++)
            expect(arrivals[i + perMinute]! - arrivals[i]!).toBeGreaterThanOrEqual(60_000);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("counts a request's place in the window from its answer", async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const tier = { name: 'one', perMinute: 1, windowMinutes: 1 };
    await limiter.acquire(key(tier));
    await clock.advance(3_000);
    await limiter.settle!(key(tier)); // Qlik may have counted it as late as now
    const next = limiter.acquire(key(tier)).then(() => clock.now());
    await clock.advance(59_999);
    await clock.advance(3_000);
    await expect(next).resolves.toBe(63_000);
  });

  it('allows a burst up to the allowance, then spaces requests by the window', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const tier = { name: 'small', perMinute: 2, windowMinutes: 5 };
    const granted: number[] = [];
    const all = Array.from({ length: 12 }, () => limiter.acquire(key(tier)).then(() => granted.push(clock.now())));
    await flush();
    expect(granted).toHaveLength(10); // 2/min × 5 min, all at once
    await clock.advance(299_999);
    expect(granted).toHaveLength(10);
    await clock.advance(1);
    await Promise.all(all);
    expect(granted.slice(10)).toEqual([300_000, 300_000]);
  });

  it('keeps buckets apart by host, tier and credential', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limits: { tier2: { perMinute: 1, windowMinutes: 1 } } });
    await limiter.acquire(key(QLIK_TIERS.tier2));
    const sameBucket = limiter.acquire(key(QLIK_TIERS.tier2));
    await expect(limiter.acquire(key(QLIK_TIERS.tier2, 'other.eu.qlikcloud.com'))).resolves.toBe(0);
    await expect(limiter.acquire(key(QLIK_TIERS.tier2, undefined, 'other-bot'))).resolves.toBe(0);
    await expect(limiter.acquire(key(QLIK_TIERS.tier1))).resolves.toBe(0);
    await clock.advance(60_000);
    await expect(sameBucket).resolves.toBe(60_000);
  });

  it('forgets idle buckets so a fleet does not grow memory forever', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const tier = { name: 't', perMinute: 10, windowMinutes: 1 };
    for (let i = 0; i < 50; i++) await limiter.acquire(key(tier, `tenant-${i}.eu.qlikcloud.com`));
    expect(limiter.bucketCount).toBe(50);
    await clock.advance(30_000);
    await limiter.acquire(key(tier, 'tenant-0.eu.qlikcloud.com'));
    expect(limiter.bucketCount).toBe(50); // still inside the window
    await clock.advance(55_000); // t = 85 s: the sweep runs
    await limiter.acquire(key(tier, 'tenant-1.eu.qlikcloud.com'));
    expect(limiter.bucketCount).toBe(2); // tenant-0's second grant is still in its window
  });

  it('a queued acquire can be aborted', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const tier = { name: 'one', perMinute: 1, windowMinutes: 1 };
    await limiter.acquire(key(tier));
    const controller = new AbortController();
    const queued = limiter.acquire(key(tier), controller.signal);
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    await flush();
    expect(clock.pendingTimers()).toBe(0); // the pump stopped sleeping once nobody waited
  });
});

describe('pacing in the transport', () => {
  const tenant = 'https://acme.eu.qlikcloud.com';

  it('after one 429 the whole bucket pauses until retry-after', async () => {
    const clock = createManualClock();
    const calls: Array<{ path: string; at: number }> = [];
    let first = true;
    const fetch = scriptedFetch((request) => {
      calls.push({ path: new URL(request.url).pathname, at: clock.now() });
      if (first) {
        first = false;
        return new Response(null, { status: 429, headers: { 'retry-after': '5' } });
      }
      return new Response('ok');
    });
    const transport = createTransport({ fetch, clock, retry: { random: () => 0 } });

    const a = transport(`${tenant}/api/v1/spaces`, { method: 'POST', body: '{}' });
    await flush();
    expect(calls).toHaveLength(1); // a got its 429

    const b = transport(`${tenant}/api/v1/groups`, { method: 'POST', body: '{}' }); // same tier-2 bucket
    const otherTenant = transport('https://other.eu.qlikcloud.com/api/v1/groups', { method: 'POST', body: '{}' });
    await clock.advance(4_999);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/spaces', '/api/v1/groups']); // only the other tenant went
    expect(calls[1]!.at).toBe(0);

    await clock.advance(1);
    await Promise.all([a, b, otherTenant]);
    expect(calls.slice(2).map((c) => c.at)).toEqual([5_000, 5_000]);
    expect(
      calls
        .slice(2)
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/api/v1/groups', '/api/v1/spaces']);
  });

  it("counts each request's place in its bucket from when the answer came, so a slow answer delays the next window", async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limits: { tier2: { perMinute: 1, windowMinutes: 1 } } });
    const sentAt: number[] = [];
    const fetch = scriptedFetch(async () => {
      sentAt.push(clock.now());
      await clock.sleep(3_000); // the server takes 3 s: it may have counted the request at any moment of them
      return new Response('{}', { status: 201 });
    });
    const transport = createTransport({ fetch, clock, pacing: { limiter } });
    const first = transport(`${tenant}/api/v1/spaces`, { method: 'POST', body: '{}' });
    const second = transport(`${tenant}/api/v1/spaces`, { method: 'POST', body: '{}' });
    await clock.advance(3_000);
    await first;
    await clock.advance(59_999);
    expect(sentAt).toEqual([0]);
    await clock.advance(1);
    expect(sentAt).toEqual([0, 63_000]);
    await clock.advance(3_000);
    await second;
  });

  it('uses tierOf, falls back to tier 2, and can share a limiter across transports', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({
      clock,
      limits: { tier1: { perMinute: 3, windowMinutes: 1 }, tier2: { perMinute: 1, windowMinutes: 1 } },
    });
    const fetchA = scriptedFetch(status(200));
    const fetchB = scriptedFetch(status(200));
    const tierOf = (method: string) => (method === 'GET' ? QLIK_TIERS.tier1 : undefined);
    const transportA = createTransport({ fetch: fetchA, pacing: { limiter, tierOf } });
    const transportB = createTransport({ fetch: fetchB, pacing: { limiter, tierOf } });

    await Promise.all([
      transportA(`${tenant}/api/v1/items`),
      transportB(`${tenant}/api/v1/items`),
      transportA(`${tenant}/api/v1/items`),
    ]);
    const fourth = transportB(`${tenant}/api/v1/items`); // tier1 allowance of 3 is used up by both transports together
    await transportA(`${tenant}/api/v1/spaces`, { method: 'DELETE' }); // unknown → tier2, own bucket
    await flush();
    expect(fetchB.requests).toHaveLength(1);
    await clock.advance(60_000);
    await fourth;
    expect(fetchB.requests).toHaveLength(2);
  });

  it('with({ tier }) paces a call in another bucket, and aborting a paced wait rejects at once', async () => {
    const clock = createManualClock();
    const fetch = scriptedFetch(status(200));
    const one = { name: 'one-per-minute', perMinute: 1, windowMinutes: 1 };
    const transport = createTransport({ fetch, clock, pacing: { defaultTier: one } });
    await transport(`${tenant}/api/v1/a`);
    const special = { name: 'special', perMinute: 50 };
    await transport.with({ tier: special })(`${tenant}/api/v1/b`); // not held by the full default bucket
    expect(fetch.requests).toHaveLength(2);

    const controller = new AbortController();
    const waiting = transport.with({ signal: controller.signal })(`${tenant}/api/v1/c`);
    await flush();
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    expect(fetch.requests).toHaveLength(2);
  });
});
