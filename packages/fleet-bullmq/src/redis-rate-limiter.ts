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
  /**
   * Longest single sleep between two tries while the bucket is full, in real ms. Default 30,000: a waiter is
   * told when its own slot opens, so it need not ask sooner; this only bounds how long a wait Redis
   * forgot (a restart, a flush) goes unnoticed.
   */
  maxPollMs?: number;
}

/**
 * How late (real ms) a waiter may ask again before the queue counts it as gone (its process died without
 * leaving): its place then goes to the next, and it takes its place back if it does come.
 */
const WAITER_GRACE_MS = 5_000;

// KEYS[1] grants (sorted set: score = grant time), KEYS[2] paused-until, KEYS[3] waiters (sorted set: score =
// arrival), KEYS[4] waiters' deadlines (score = the latest time each said it would ask again).
// ARGV: allowance, window ms, member (the acquire's own id, its grant's member once granted), arrival (Redis
// ms of its first ask, or '' on the first), grace ms (how late a waiter may ask again before it counts as gone).
// Returns {0, now} when granted, or {ms to wait, now}. Times are Redis's, in ms.
//
// Waiters queue in arrival order across processes: each is told when the slot its place in the queue needs
// opens (the grant whose leaving frees it), not when the first one does, so a waiter asks about twice,
// not once per poll interval, and a freed slot goes to the longest waiting, not to whoever asks first.
const ACQUIRE = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local allowance = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local grace = tonumber(ARGV[5])
local gone = redis.call('zrangebyscore', KEYS[4], '-inf', now)
for i = 1, #gone do redis.call('zrem', KEYS[3], gone[i]) end
if #gone > 0 then redis.call('zremrangebyscore', KEYS[4], '-inf', now) end
-- Its place in the queue as stored (exact), else as it remembers it, else now (its first ask).
local arrival = tonumber(redis.call('zscore', KEYS[3], member) or ARGV[4]) or now
local function waiting(ms)
  redis.call('zadd', KEYS[3], 'NX', string.format('%.17g', arrival), member)
  redis.call('zadd', KEYS[4], now + ms + grace, member)
  local ttl = math.ceil(ms + grace + window)
  for i = 3, 4 do
    if redis.call('pttl', KEYS[i]) < ttl then redis.call('pexpire', KEYS[i], ttl) end
  end
  return {tostring(ms), tostring(now)}
end
local paused = tonumber(redis.call('get', KEYS[2]) or '0')
if paused > now then return waiting(paused - now) end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local count = redis.call('zcard', KEYS[1])
local free = allowance - count
-- Those ahead in the queue (arrived earlier and still waiting) come first.
local ahead = redis.call('zcount', KEYS[3], '-inf', '(' .. string.format('%.17g', arrival))
if ahead < free then
  redis.call('zadd', KEYS[1], now, member)
  redis.call('pexpire', KEYS[1], math.ceil(window))
  redis.call('zrem', KEYS[3], member)
  redis.call('zrem', KEYS[4], member)
  return {'0', tostring(now)}
end
-- The slot this waiter needs opens when the grant at index (ahead - free) of the window's grants leaves it.
-- Past the grants made so far, the slot needs a grant still to be made (for a waiter ahead), itself at
-- the earliest one window after the slot it takes: so many windows later, counted back to a grant there is.
local index = ahead - free
local later = 0
while index >= count do
  index = index - allowance
  later = later + window
end
if index < 0 then return waiting(later) end
local grant = redis.call('zrange', KEYS[1], index, index, 'WITHSCORES')
return waiting(math.max(tonumber(grant[2]) + window + later - now, 1))`);

// KEYS[1] waiters, KEYS[2] their deadlines; ARGV[1] member. An acquire given up (aborted) leaves the queue.
const LEAVE = script(`
redis.call('zrem', KEYS[1], ARGV[1])
redis.call('zrem', KEYS[2], ARGV[1])
return 1`);

// KEYS[1] grants; ARGV[1] window ms, ARGV[2..] members. Answered grants count from now (if still in the window).
const SETTLE = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
for i = 2, #ARGV do redis.call('zadd', KEYS[1], 'XX', now, ARGV[i]) end
redis.call('pexpire', KEYS[1], math.ceil(tonumber(ARGV[1])))
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
 * allowance remain and nobody waits ahead, or queues the acquire and answers when its own slot opens
 * (the grant whose leaving frees it). `pause` (after a 429) holds the whole bucket for every worker.
 * Waiters are served in arrival order across processes (by Redis's clock) and ask about twice each,
 * not once per poll interval.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const scale = options.timeScale ?? 1;
  const clock: Clock = options.timeScale === undefined ? systemClock : createScaledClock(scale);
  const prefix = options.prefix ?? 'qlik-oem:rate:';
  const maxPollMs = options.maxPollMs ?? 30_000;
  const run = scriptRunner(options.client);
  const recent = new Map<string, number>(); // bucket id -> last use (real ms), for bucketCount
  // This process's grants not answered yet, oldest first, per bucket id: the members `settle` moves.
  const unanswered = new Map<string, Array<{ member: string; at: number }>>();
  // Settles waiting for the end of this turn of the event loop, per bucket id: sent as one script.
  const settling = new Map<string, { members: string[]; done: Promise<void> }>();

  const keysOf = (key: PacingKey) => {
    const id = `${prefix}{${key.host}|${key.tier.name}|${key.credentialId}}`;
    return {
      id,
      grants: `${id}:grants`,
      paused: `${id}:paused`,
      waiters: `${id}:waiters`,
      deadlines: `${id}:waiter-deadlines`,
    };
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
      // One id for the whole acquire: its place in the queue, then its grant. Its arrival is Redis's time
      // of its first ask, so a waiter dropped as gone (a long stall) takes its place back.
      const member = randomUUID();
      let arrival = '';
      // Until granted or aborted, asking again when Redis said this acquire's slot opens (at most maxPollMs later).
      try {
        await waitUntil(
          async () => {
            const [wait, now] = (await run(
              ACQUIRE,
              4,
              keys.grants,
              keys.paused,
              keys.waiters,
              keys.deadlines,
              allowance,
              realWindowMs,
              member,
              arrival,
              WAITER_GRACE_MS,
            )) as [string, string];
            if (arrival === '') arrival = now;
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
      } catch (error) {
        // Given up (aborted): out of the queue, so those behind it need not wait for its grace to run out.
        if (arrival !== '') void run(LEAVE, 2, keys.waiters, keys.deadlines, member).catch(() => undefined);
        throw error;
      }
      return clock.now() - started;
    },
    async settle(key) {
      const keys = keysOf(key);
      const mine = unanswered.get(keys.id);
      const grant = mine?.shift();
      if (mine?.length === 0) unanswered.delete(keys.id);
      if (!grant) return;
      const realWindowMs = bucketWindow(key.tier, options.limits).windowMs / scale;
      // The answers of one turn of the event loop settle together, one script per bucket (the members share
      // its key, so one Redis Cluster slot): a busy worker's answers come many to a turn.
      let batch = settling.get(keys.id);
      if (!batch) {
        const members: string[] = [];
        batch = {
          members,
          done: new Promise<void>((resolve) =>
            setImmediate(() => {
              settling.delete(keys.id);
              // Never rejects (the transport does not await it): a lost update only counts the requests from their grants.
              void run(SETTLE, 1, keys.grants, realWindowMs, ...members).then(
                () => resolve(),
                () => resolve(),
              );
            }),
          ),
        };
        settling.set(keys.id, batch);
      }
      batch.members.push(grant.member);
      await batch.done;
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
