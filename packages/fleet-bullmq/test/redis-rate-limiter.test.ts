// The Redis rate limiter across 4 processes: never more grants in any window than the allowance, whatever the arrival pattern; a pause holds every worker.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitUntil } from '@qlik-oem/core';
import { createRedisRateLimiter } from '@qlik-oem/fleet-bullmq';
import { describeWithServers } from '../../../test/servers.js';

const SCALE = 300; // a 1-minute window lasts 200 real ms
const TIER = { name: 'property', perMinute: 12, windowMinutes: 1 };
const ALLOWANCE = 12;
const WINDOW_REAL_MS = 60_000 / SCALE;
const child = fileURLToPath(new URL('./limiter-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Worker {
  process: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startWorker(url: string): Worker {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, url, String(SCALE)], { cwd: repoRoot });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffer = '';
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return {
    process: proc,
    next: () =>
      new Promise((resolve, reject) => {
        const line = lines.shift();
        if (line !== undefined) return resolve(line);
        waiting.push(resolve);
        proc.once('exit', (code) => reject(new Error(`limiter child exited (${code}): ${stderr}`)));
      }),
  };
}

/** Largest number of grants inside any window of `windowMs` (a grant exactly one window later no longer counts). */
function busiestWindow(grants: number[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs - 1e-6) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describeWithServers(['TEST_REDIS_URL'], 'Redis rate limiter shared by 4 processes', (url) => {
  let workers: Worker[] = [];
  // This process's own client, for the tests that drive a limiter here too (each on keys of its own).
  let client: Redis;
  beforeAll(async () => {
    client = new Redis(url);
    workers = Array.from({ length: 4 }, () => startWorker(url));
    for (const worker of workers) expect(await worker.next()).toBe('ready');
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) {
      worker.process.stdin.write('quit\n');
      worker.process.stdin.end();
    }
    await client?.quit();
  });

  const round = async (host: string, offsets: number[][], tier = TIER) => {
    for (const [index, worker] of workers.entries()) {
      worker.process.stdin.write(`${JSON.stringify({ host, tier, offsets: offsets[index] })}\n`);
    }
    const answers = await Promise.all(
      workers.map(async (worker) => JSON.parse(await worker.next()) as { grants: number[] }),
    );
    return answers.flatMap((answer) => answer.grants);
  };

  it('never admits more than the allowance in any window, over random arrival patterns', async () => {
    // Per process: bursts and trickles of acquires over 0.5 s, together about 3 to 6 windows' allowance.
    const pattern = fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 5, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(fc.tuple(pattern, pattern, pattern, pattern), async (offsets) => {
        const grants = await round(`tenant-${randomUUID()}`, offsets);
        // Every acquire was served, and never more than one window's allowance at once.
        expect(grants).toHaveLength(offsets.flat().length);
        expect(busiestWindow(grants, WINDOW_REAL_MS)).toBeLessThanOrEqual(ALLOWANCE);
      }),
      { numRuns: 6 },
    );
  }, 120_000);

  it("counts an answered request's place in the window from its answer, for every process", async () => {
    const limiter = createRedisRateLimiter({ client, timeScale: SCALE });
    const key = {
      host: `tenant-${randomUUID()}`,
      tier: { name: 'one', perMinute: 1, windowMinutes: 1 },
      credentialId: 'c1',
    };
    const grants: number[] = [];
    limiter.onGrant = ({ grantedAt }) => grants.push(grantedAt);
    await limiter.acquire(key);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the answer comes 100 real ms later
    await limiter.settle(key);
    // Another process's acquire: one window (200 real ms) after the answer, not after the grant.
    const other = await round(key.host, [[0], [], [], []], key.tier);
    expect(other).toHaveLength(1);
    expect(other[0]! - grants[0]!).toBeGreaterThanOrEqual(100 + WINDOW_REAL_MS - 5);
  }, 30_000);

  it('settles the answers of one turn of the event loop with one script, moving every grant', async () => {
    let settles = 0;
    const counting = {
      eval: (script: string, numKeys: number, ...args: Array<string | number>) => {
        if (script.includes("'XX'")) settles += 1;
        return client.eval(script, numKeys, ...args);
      },
    };
    const limiter = createRedisRateLimiter({ client: counting, timeScale: SCALE });
    const tier = { name: 'three', perMinute: 3, windowMinutes: 1 };
    const key = { host: `tenant-${randomUUID()}`, tier, credentialId: 'c1' };
    const grants: number[] = [];
    limiter.onGrant = ({ grantedAt }) => grants.push(grantedAt);
    for (let i = 0; i < 3; i++) await limiter.acquire(key);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the three answers come 100 real ms later
    await Promise.all([limiter.settle(key), limiter.settle(key), limiter.settle(key)]);
    expect(settles).toBe(1);
    // Another process's acquire waits one window from the answers for the first slot, not from the grants.
    const other = await round(key.host, [[0], [], [], []], tier);
    expect(other).toHaveLength(1);
    expect(other[0]! - grants[0]!).toBeGreaterThanOrEqual(100 + WINDOW_REAL_MS - 5);
  }, 30_000);

  it('serves waiters in arrival order, each asking Redis about twice rather than once per freed slot', async () => {
    const client = new Redis(url);
    try {
      let asked = 0;
      const counting = {
        eval: (script: string, numKeys: number, ...args: Array<string | number>) => {
          asked += 1;
          return client.eval(script, numKeys, ...args);
        },
      };
      const limiter = createRedisRateLimiter({ client: counting, timeScale: SCALE });
      const key = {
        host: `tenant-${randomUUID()}`,
        tier: { name: 'one', perMinute: 1, windowMinutes: 1 },
        credentialId: 'c1',
      };
      const order: number[] = [];
      const grants: number[] = [];
      limiter.onGrant = ({ grantedAt }) => grants.push(grantedAt);
      const acquires: Array<Promise<void>> = [];
      // Eight acquires for one slot per window, one after the other: each has asked once before the next comes.
      for (let i = 0; i < 8; i++) {
        const before = asked;
        acquires.push(limiter.acquire(key).then(() => void order.push(i)));
        await waitUntil(async () => (asked > before ? true : undefined), { timeoutMs: 5_000, pollIntervalMs: 1 });
      }
      await Promise.all(acquires);
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      for (let i = 1; i < grants.length; i++)
        expect(grants[i]! - grants[i - 1]!).toBeGreaterThanOrEqual(WINDOW_REAL_MS - 1);
      // The first is granted at once; every other asks when queued and once more when its slot opens, or a
      // third time when the grant ahead of it came late (timers), a fourth on a loaded machine. A waiter told
      // when the first slot opens would ask again at every freed slot: 1 + 2 + ... + 8 = 36.
      expect(asked).toBeLessThanOrEqual(1 + 4 * 7);
    } finally {
      await client.quit();
    }
  }, 30_000);

  it('sends its scripts by hash, and by text again once Redis has forgotten them (SCRIPT FLUSH)', async () => {
    const sent = { eval: 0, evalsha: 0 };
    const counting = {
      eval: (script: string, numKeys: number, ...args: Array<string | number>) => {
        sent.eval += 1;
        return client.eval(script, numKeys, ...args);
      },
      evalsha: (sha1: string, numKeys: number, ...args: Array<string | number>) => {
        sent.evalsha += 1;
        return client.evalsha(sha1, numKeys, ...args);
      },
    };
    const limiter = createRedisRateLimiter({ client: counting, timeScale: SCALE });
    const key = { host: `tenant-${randomUUID()}`, tier: TIER, credentialId: 'c1' };
    await client.script('FLUSH');
    for (let i = 0; i < 3; i++) await limiter.acquire(key);
    expect(sent).toEqual({ eval: 1, evalsha: 3 });
    await client.script('FLUSH');
    await limiter.acquire(key);
    expect(sent).toEqual({ eval: 2, evalsha: 4 });
    const grants = await client.zcard(`qlik-oem:rate:{${key.host}|${TIER.name}|c1}:grants`);
    expect(grants).toBe(4);
  }, 30_000);

  it('holds the whole bucket for every process after a pause (a 429)', async () => {
    const limiter = createRedisRateLimiter({ client, timeScale: SCALE });
    const host = `tenant-${randomUUID()}`;
    const before = Date.now();
    const pauseMs = 30_000; // 100 real ms
    await limiter.pause({ host, tier: TIER, credentialId: 'c1' }, pauseMs);
    const grants = await round(
      host,
      workers.map(() => [0, 0, 5]),
    );
    expect(grants).toHaveLength(12);
    expect(Math.min(...grants)).toBeGreaterThanOrEqual(before + pauseMs / SCALE);
  }, 30_000);
});
