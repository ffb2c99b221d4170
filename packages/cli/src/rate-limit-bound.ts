// The least time the rest of an apply can take under Qlik's rate limits. Every customer draws on a few
// buckets they all share (the registration host, the source tenant, the Organization API): at the pace
// of requests seen so far per started customer, those buckets still have to admit so many requests, and
// a bucket admits its tier's allowance per 5-minute window, however fast the rest goes.
import { QLIK_TIERS, type RateLimitTier } from '@qlik-oem/core';
import { bucketWindow } from '@qlik-oem/core/advanced';

export interface RateLimitBound {
  /** One request the transport answered (its log record): `url` and the tier it was paced on. */
  record(url: string, tierName: string | undefined, at: number): void;
  /** Real ms the remaining customers need at least, or undefined before any shared request. */
  remainingMs(started: number, total: number, now: number): number | undefined;
}

interface SharedBucket {
  first: number;
  count: number;
  allowance: number;
  windowMs: number;
}

const TIERS: Record<string, RateLimitTier> = QLIK_TIERS;

/** `timeScale`: the target's clock runs this many times faster than real time (the simulator's). */
export function createRateLimitBound(sharedHosts: readonly string[], timeScale = 1): RateLimitBound {
  const shared = new Set(sharedHosts.map((h) => h.toLowerCase()));
  const buckets = new Map<string, SharedBucket>();
  return {
    record(url, tierName, at) {
      const tier = tierName ? TIERS[tierName] : undefined;
      if (!tier) return;
      let host: string;
      try {
        host = new URL(url).hostname.toLowerCase();
      } catch {
        return;
      }
      if (!shared.has(host)) return;
      const key = `${host} ${tier.name}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.count += 1;
      else {
        const { allowance, windowMs } = bucketWindow(tier);
        buckets.set(key, { first: at, count: 1, allowance, windowMs: windowMs / timeScale });
      }
    },
    remainingMs(started, total, now) {
      if (buckets.size === 0 || started === 0) return undefined;
      let longest = 0;
      for (const b of buckets.values()) {
        const projected = Math.ceil((b.count * total) / started);
        // In a sliding window, request k can go no earlier than floor(k / allowance) windows after the first.
        const end = b.first + Math.floor((projected - 1) / b.allowance) * b.windowMs;
        longest = Math.max(longest, end - now);
      }
      return longest;
    },
  };
}
