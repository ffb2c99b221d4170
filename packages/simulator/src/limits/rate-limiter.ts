import type { SimClock } from '../clock.js';
import type { RateLimitTier } from '../spec/tiers.js';

/** What one bucket (host, tier, user) has seen. Times are simulated epoch ms. */
export interface BucketCounter {
  host: string;
  tier: string;
  user: string;
  perMinute: number;
  windowMinutes: number;
  /** Requests served (not rejected) from this bucket. */
  count: number;
  /** Requests answered 429. */
  rejected: number;
  firstAt: number;
  lastAt: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSimMs: number };

interface Bucket {
  counter: BucketCounter;
  /** Served request times inside the current window, oldest first. */
  served: number[];
  blockedUntil: number;
}

/**
 * Qlik's rate limits: per tier, per user, per tenant host; `perMinute × windowMinutes` requests per
 * sliding window, so bursts up to the window allowance are served. Once a bucket is exhausted, every
 * operation of that tier is blocked for that user and host until the oldest request leaves the window.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: SimClock) {}

  take(host: string, tier: RateLimitTier, user: string): TakeResult {
    const now = this.clock.now();
    const key = `${host}\n${tier.name}\n${user}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        counter: {
          host,
          tier: tier.name,
          user,
          perMinute: tier.perMinute,
          windowMinutes: tier.windowMinutes,
          count: 0,
          rejected: 0,
          firstAt: now,
          lastAt: now,
        },
        served: [],
        blockedUntil: 0,
      };
      this.buckets.set(key, bucket);
    }
    const windowMs = tier.windowMinutes * 60_000;
    const allowance = tier.perMinute * tier.windowMinutes;
    bucket.counter.lastAt = now;
    while (bucket.served.length > 0 && (bucket.served[0] ?? 0) <= now - windowMs) bucket.served.shift();
    if (bucket.blockedUntil <= now && bucket.served.length >= allowance)
      bucket.blockedUntil = (bucket.served[0] ?? now) + windowMs;
    if (bucket.blockedUntil > now) {
      bucket.counter.rejected++;
      return { ok: false, retryAfterSimMs: bucket.blockedUntil - now };
    }
    bucket.served.push(now);
    bucket.counter.count++;
    return { ok: true };
  }

  /** A snapshot of every bucket's counters. */
  counters(): BucketCounter[] {
    return [...this.buckets.values()].map((b) => ({ ...b.counter }));
  }
}

/**
 * The least time a run needs under the rate limits, from its counters: a bucket that served `n`
 * requests with allowance `A = perMinute × windowMinutes` per window `W` needs at least
 * `floor((n - 1) / A) × W`; the run's bound is the largest over its buckets. `tiers` overrides a
 * bucket's own limit by tier name (e.g. @qlik-oem/qlik-cloud's generated tier table).
 */
export function rateLimitLowerBoundMs(
  counters: Iterable<
    Pick<BucketCounter, 'tier' | 'count'> & Partial<Pick<BucketCounter, 'perMinute' | 'windowMinutes'>>
  >,
  tiers: Record<string, { perMinute: number; windowMinutes?: number }> = {},
): number {
  let bound = 0;
  for (const c of counters) {
    const tier = tiers[c.tier];
    const perMinute = tier?.perMinute ?? c.perMinute;
    const windowMinutes = tier?.windowMinutes ?? c.windowMinutes ?? 5;
    if (perMinute === undefined || c.count <= 0) continue;
    const allowance = perMinute * windowMinutes;
    bound = Math.max(bound, Math.floor((c.count - 1) / allowance) * windowMinutes * 60_000);
  }
  return bound;
}
