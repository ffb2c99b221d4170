// One rate-limit budget for every process: Qlik's sliding window per (host, tier, credential), kept in Redis and decided by one Lua script.
import { createHash, randomUUID } from 'node:crypto';
import {
  createScaledClock,
  systemClock,
  type Clock,
  type PacingKey,
  type RateLimiter,
  type RateLimiterOptions,
  waitUntil,
} from '@qlik-oem/core';
import { bucketWindow } from '@qlik-oem/core/advanced';

/** What the limiter needs from a Redis client; an ioredis `Redis` fits. */
export interface RedisScripting {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  /**
   * Runs a script Redis already holds, by its SHA-1 (rejecting with `NOSCRIPT` if it does not). With it each
   * request sends the script's hash instead of its text; without it every call is an `eval`.
   */
  evalsha?(sha1: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** A script sent by its hash once Redis holds it, by its text when Redis answers NOSCRIPT (a restart, SCRIPT FLUSH). */
function scriptRunner(client: RedisScripting) {
  return (script: { text: string; sha1: string }, numKeys: number, ...args: Array<string | number>) => {
    if (!client.evalsha) return client.eval(script.text, numKeys, ...args);
    return client.evalsha(script.sha1, numKeys, ...args).catch((error: unknown) => {
      if (!String((error as { message?: unknown } | undefined)?.message ?? error).startsWith('NOSCRIPT')) throw error;
      return client.eval(script.text, numKeys, ...args);
    });
  };
}

const script = (text: string) => ({ text, sha1: createHash('sha1').update(text).digest('hex') });

export interface RedisRateLimiterOptions extends Pick<RateLimiterOptions, 'limits'> {
  client: RedisScripting;
  /**
   * Windows and pauses run this many times faster than real time, as with core's `timeScale` (for the
   * simulator's scaled clock). Time itself is Redis's (`TIME`), so every worker counts on one clock.
   */
  timeScale?: number;
  /** Prefix of the bucket keys. Default `qlik-oem:rate:`. */
  prefix?: string;
  /** Longest single sleep between two tries while the bucket is full, in real ms. Default 1000. */
  maxPollMs?: number;
}

// KEYS[1] grants (sorted set: score = grant time), KEYS[2] paused-until. ARGV: allowance, window ms, member.
// Returns {0, now} when granted, or {ms to wait, now}. Times are Redis's, in ms.
const ACQUIRE = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local allowance = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local paused = tonumber(redis.call('get', KEYS[2]) or '0')
if paused > now then return {tostring(paused - now), tostring(now)} end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local count = redis.call('zcard', KEYS[1])
if count < allowance then
  redis.call('zadd', KEYS[1], now, ARGV[3])
  redis.call('pexpire', KEYS[1], math.ceil(window))
  return {'0', tostring(now)}
end
local oldest = redis.call('zrange', KEYS[1], count - allowance, count - allowance, 'WITHSCORES')
return {tostring(tonumber(oldest[2]) + window - now), tostring(now)}`);

// KEYS[1] grants; ARGV[1] member, ARGV[2] window ms. An answered grant counts from now (if still in the window).
const SETTLE = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
redis.call('zadd', KEYS[1], 'XX', now, ARGV[1])
redis.call('pexpire', KEYS[1], math.ceil(tonumber(ARGV[2])))
return 1`);

// KEYS[1] paused-until; ARGV[1] pause ms. Extends, never shortens, a pause.
const PAUSE = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('get', KEYS[1]) or '0')
if untilMs > current then redis.call('set', KEYS[1], tostring(untilMs), 'PX', math.ceil(tonumber(ARGV[1]))) end
return 1`);

/** A grant as Redis saw it: for tests and diagnostics. */
export interface RateLimitGrant {
  key: PacingKey;
  /** Redis time of the grant, in real ms since the epoch. */
  grantedAt: number;
}

export interface RedisRateLimiter extends RateLimiter {
  /** As core's `settle`; the promise resolves once Redis moved the grant (it never rejects). */
  settle(key: PacingKey): Promise<void>;
  /** As core's `pause`; the promise resolves once Redis holds the pause (it never rejects). */
  pause(key: PacingKey, durationMs: number): Promise<void>;
  /** Called after every grant with the Redis time it was counted at. */
  onGrant?: (grant: RateLimitGrant) => void;
}

/**
 * Core's `RateLimiter` over Redis, so N workers together send no more than one process would: each
 * `acquire` runs one script that drops grants older than the window, grants if fewer than the
 * allowance remain, or answers how long until the oldest relevant one leaves the window. `pause` (after
 * a 429) holds the whole bucket for every worker. Waiters poll; unlike the in-memory limiter they are
 * not served strictly in arrival order across processes.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const scale = options.timeScale ?? 1;
  const clock: Clock = options.timeScale === undefined ? systemClock : createScaledClock(scale);
  const prefix = options.prefix ?? 'qlik-oem:rate:';
  const maxPollMs = options.maxPollMs ?? 1_000;
  const run = scriptRunner(options.client);
  const recent = new Map<string, number>(); // bucket id -> last use (real ms), for bucketCount
  // This process's grants not answered yet, oldest first, per bucket id: the members `settle` moves.
  const unanswered = new Map<string, Array<{ member: string; at: number }>>();

  const keysOf = (key: PacingKey) => {
    const id = `${prefix}{${key.host}|${key.tier.name}|${key.credentialId}}`;
    return { id, grants: `${id}:grants`, paused: `${id}:paused` };
  };
  const remember = (id: string, windowMs: number) => {
    const now = Date.now();
    recent.set(id, now);
    if (recent.size > 1024) for (const [other, at] of recent) if (now - at > windowMs) recent.delete(other);
  };

  const limiter: RedisRateLimiter = {
    clock,
    get bucketCount() {
      return recent.size;
    },
    async acquire(key, signal) {
      signal?.throwIfAborted();
      const { allowance, windowMs } = bucketWindow(key.tier, options.limits);
      const realWindowMs = windowMs / scale;
      const keys = keysOf(key);
      remember(keys.id, realWindowMs);
      const started = clock.now();
      let waitMs = 0;
      // Until granted or aborted, asking again when Redis said the bucket has room (at most maxPollMs later).
      await waitUntil(
        async () => {
          const member = randomUUID();
          const [wait, now] = (await run(ACQUIRE, 2, keys.grants, keys.paused, allowance, realWindowMs, member)) as [
            string,
            string,
          ];
          waitMs = Number(wait);
          if (waitMs > 0) return undefined;
          const mine = unanswered.get(keys.id) ?? [];
          // A grant never answered (its request was not sent) leaves the window anyway: forget it then.
          while (mine.length > 0 && mine[0]!.at <= Date.now() - realWindowMs) mine.shift();
          mine.push({ member, at: Date.now() });
          unanswered.set(keys.id, mine);
          limiter.onGrant?.({ key, grantedAt: Number(now) });
          return true;
        },
        {
          timeoutMs: Infinity,
          pollIntervalMs: Math.max(maxPollMs, 1) * scale,
          // In clock ms (the scaled clock divides by `scale` again); a little jitter spreads the pollers.
          nextPauseMs: () => (Math.min(waitMs, maxPollMs) + Math.random() * 2) * scale,
          clock,
          ...(signal ? { signal } : {}),
        },
      );
      return clock.now() - started;
    },
    async settle(key) {
      const keys = keysOf(key);
      const mine = unanswered.get(keys.id);
      const grant = mine?.shift();
      if (mine?.length === 0) unanswered.delete(keys.id);
      if (!grant) return;
      const realWindowMs = bucketWindow(key.tier, options.limits).windowMs / scale;
      // Never rejects (the transport does not await it): a lost update only counts the request from its grant.
      await run(SETTLE, 1, keys.grants, grant.member, realWindowMs).then(
        () => undefined,
        () => undefined,
      );
    },
    async pause(key, durationMs) {
      if (!(durationMs > 0)) return;
      // Never rejects (the transport does not await it): the 429's own retry waits anyway; a lost pause only costs pacing.
      await run(PAUSE, 1, keysOf(key).paused, durationMs / scale).then(
        () => undefined,
        () => undefined,
      );
    },
  };
  return limiter;
}
