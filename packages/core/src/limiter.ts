import { abortReason, createScaledClock, systemClock, type Clock } from './clock.js';
import { QlikValidationError, type ValidationIssue } from './errors.js';
import type { RateLimitTier } from './tiers.js';

/** Qlik evaluates its per-minute limits over a 5-minute window. */
export const DEFAULT_WINDOW_MINUTES = 5;

/** Identifies one bucket: Qlik counts per tenant (host), tier and user (credential). */
export interface PacingKey {
  host: string;
  tier: RateLimitTier;
  /** The token provider's `id` (never the token itself). */
  credentialId: string;
}

export interface RateLimiterOptions {
  clock?: Clock;
  /** Runs windows and pauses this many times faster than real time (ignored when `clock` is given). */
  timeScale?: number;
  /** Overrides of the limits by tier name, e.g. `{ tier1: { perMinute: 500 } }`. */
  limits?: Record<string, Partial<Omit<RateLimitTier, 'name'>>>;
}

export interface RateLimiter {
  readonly clock: Clock;
  /**
   * Waits until the bucket may send one more request and counts it. Resolves with the time waited in
   * ms; rejects with the signal's reason if aborted while queued. Waiters are served in order.
   */
  acquire(key: PacingKey, signal?: AbortSignal): Promise<number>;
  /**
   * Holds the whole bucket for `durationMs` (after a 429: Qlik blocks the tier, not one request). The
   * transport does not wait for it: a shared limiter (e.g. over Redis) may answer with a promise, which
   * must never reject.
   */
  pause(key: PacingKey, durationMs: number): void | Promise<void>;
  /**
   * One request granted for `key` got its answer (or failed): its place in the window counts from now.
   * Qlik counts a request when it arrives, which may be well after the grant (a token fetch, a busy
   * event loop, the network), so a window counted from grants alone could admit the next window's
   * requests while Qlik still counts the last ones. The transport calls it after every attempt; a
   * limiter without it counts from grants. A shared limiter may answer with a promise that never rejects.
   */
  settle?(key: PacingKey): void | Promise<void>;
  /** Buckets currently tracked (idle ones are forgotten about once a minute). */
  readonly bucketCount: number;
}

interface Waiter {
  resolve: (waitedMs: number) => void;
  reject: (reason: unknown) => void;
  startedAt: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

class Bucket {
  /** Grant times of requests not answered yet, oldest first, from index `head`. */
  private readonly grants: number[] = [];
  private head = 0;
  /** Answer times of granted requests, oldest first (answers come in clock order), from `answeredHead`. */
  private readonly answered: number[] = [];
  private answeredHead = 0;
  pausedUntil = 0;
  readonly waiters: Waiter[] = [];
  pumping: AbortController | undefined;

  constructor(
    readonly allowance: number,
    readonly windowMs: number,
  ) {}

  /**
   * Ms until a grant is allowed at `now` (0 = now). A request holds its place until one window after
   * its answer, or after its grant while it has none; the soonest of those to leave sets the wait, and
   * the pump looks again then (an answer meanwhile only moves a departure later).
   */
  waitAt(now: number): number {
    const cutoff = now - this.windowMs;
    this.head = dropUpTo(this.grants, this.head, cutoff);
    this.answeredHead = dropUpTo(this.answered, this.answeredHead, cutoff);
    const pause = this.pausedUntil - now;
    const inWindow = this.grants.length - this.head + this.answered.length - this.answeredHead;
    const soonest = Math.min(this.grants[this.head] ?? Infinity, this.answered[this.answeredHead] ?? Infinity);
    const full = inWindow >= this.allowance ? soonest + this.windowMs - now : 0;
    return Math.max(pause, full, 0);
  }

  /** Nothing queued, no pause, no request still inside the window: the bucket can be dropped. */
  isIdle(now: number): boolean {
    return (
      this.waiters.length === 0 &&
      !this.pumping &&
      this.pausedUntil <= now &&
      this.waitAt(now) === 0 &&
      this.head === this.grants.length &&
      this.answeredHead === this.answered.length
    );
  }

  record(now: number): void {
    this.grants.push(now);
  }

  /** The oldest unanswered grant is answered at `now` (which one does not matter: they count alike). */
  settle(now: number): void {
    if (this.head === this.grants.length) return;
    this.head++;
    this.answered.push(now);
  }
}

/** Drops the times at or before `cutoff` from a sorted list read from `head`; returns the new head. */
function dropUpTo(times: number[], head: number, cutoff: number): number {
  while (head < times.length && times[head]! <= cutoff) head++;
  if (head > 1024 && head * 2 > times.length) {
    times.splice(0, head);
    return 0;
  }
  return head;
}

/**
 * The window a tier's bucket is counted over and how many requests it admits in it, with `limits`
 * overrides applied: `perMinute × windowMinutes` requests in any `windowMinutes` (Qlik: 5). Every
 * limiter (this one, a shared one in Redis) derives its buckets from here.
 */
export function bucketWindow(
  tier: RateLimitTier,
  limits: RateLimiterOptions['limits'] = {},
): { allowance: number; windowMs: number } {
  const effective = { ...tier, ...limits[tier.name] };
  validateTier(effective);
  const windowMinutes = effective.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  return { allowance: Math.max(1, Math.floor(effective.perMinute * windowMinutes)), windowMs: windowMinutes * 60_000 };
}

function validateTier(tier: RateLimitTier): void {
  const issues: ValidationIssue[] = [];
  if (!(tier.perMinute > 0) || !Number.isFinite(tier.perMinute)) {
    issues.push({ path: ['tier', 'perMinute'], message: 'must be a positive number' });
  }
  if (tier.windowMinutes !== undefined && (!(tier.windowMinutes > 0) || !Number.isFinite(tier.windowMinutes))) {
    issues.push({ path: ['tier', 'windowMinutes'], message: 'must be a positive number' });
  }
  if (issues.length) throw new QlikValidationError(`Invalid rate-limit tier "${tier.name}"`, issues);
}

/**
 * A sliding-window limiter: in ANY window of `windowMinutes` at most `perMinute × windowMinutes`
 * requests are granted per bucket. Share one instance between transports so a fleet's calls to the
 * same tenant with the same credential draw from the same bucket.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? (options.timeScale !== undefined ? createScaledClock(options.timeScale) : systemClock);
  const limits = options.limits ?? {};
  const buckets = new Map<string, Bucket>();
  let lastSweep = clock.now();

  // A fleet touches thousands of (tenant, tier, credential) buckets; forget the idle ones now and then.
  function sweep(now: number): void {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [id, bucket] of buckets) if (bucket.isIdle(now)) buckets.delete(id);
  }

  const bucketId = (key: PacingKey) => `${key.host}\u0000${key.tier.name}\u0000${key.credentialId}`;

  function bucketFor(key: PacingKey): Bucket {
    const id = bucketId(key);
    let bucket = buckets.get(id);
    if (!bucket) {
      const { allowance, windowMs } = bucketWindow(key.tier, limits);
      bucket = new Bucket(allowance, windowMs);
      buckets.set(id, bucket);
    }
    return bucket;
  }

  function release(bucket: Bucket, waiter: Waiter, now: number): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    bucket.record(now);
    waiter.resolve(now - waiter.startedAt);
  }

  // One pump per bucket serves its queue in order, sleeping until the next grant is allowed.
  async function pump(bucket: Bucket): Promise<void> {
    if (bucket.pumping) return;
    let controller = new AbortController();
    bucket.pumping = controller;
    try {
      while (bucket.waiters.length > 0) {
        if (controller.signal.aborted) {
          // Every waiter left and a new one arrived before this loop noticed.
          controller = new AbortController();
          bucket.pumping = controller;
        }
        const now = clock.now();
        const wait = bucket.waitAt(now);
        if (wait <= 0) {
          release(bucket, bucket.waiters.shift()!, now);
          continue;
        }
        try {
          await clock.sleep(wait, controller.signal);
        } catch {
          // Woken because every waiter left; the loop condition ends the pump.
        }
      }
    } finally {
      bucket.pumping = undefined;
    }
  }

  return {
    clock,
    get bucketCount() {
      return buckets.size;
    },
    acquire(key, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const now = clock.now();
      sweep(now);
      const bucket = bucketFor(key);
      if (bucket.waiters.length === 0 && bucket.waitAt(now) <= 0) {
        bucket.record(now);
        return Promise.resolve(0);
      }
      return new Promise<number>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, startedAt: now, signal, onAbort: undefined };
        if (signal) {
          waiter.onAbort = () => {
            const index = bucket.waiters.indexOf(waiter);
            if (index >= 0) bucket.waiters.splice(index, 1);
            if (bucket.waiters.length === 0) bucket.pumping?.abort();
            reject(abortReason(signal));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        bucket.waiters.push(waiter);
        void pump(bucket);
      });
    },
    pause(key, durationMs) {
      if (!(durationMs > 0)) return;
      const bucket = bucketFor(key);
      bucket.pausedUntil = Math.max(bucket.pausedUntil, clock.now() + durationMs);
    },
    settle(key) {
      buckets.get(bucketId(key))?.settle(clock.now());
    },
  };
}
