import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type Simulator } from '../src/index.js';
import { call, SOURCE, startStrict, tokenFor } from './helpers.js';

const started: Simulator[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    expect(s.violations).toEqual([]);
    await s.close();
  }
});

async function start(options: Parameters<typeof startStrict>[0]): Promise<Simulator> {
  const sim = await startStrict(options);
  started.push(sim);
  return sim;
}

/** Runs a fixed request sequence and returns what each request saw. */
async function run(sim: Simulator): Promise<string[]> {
  const token = await tokenFor(sim, SOURCE);
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    try {
      const r = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/roles?limit=${1 + (i % 5)}`);
      seen.push(String(r.status));
    } catch (err) {
      seen.push(err instanceof TypeError ? 'reset' : 'other');
    }
  }
  return seen;
}

describe('fault injection', () => {
  it('gives the same faults for the same seed and request sequence', async () => {
    const faults = { rate: 0.3, kinds: ['429', '500', '503', 'reset', 'slow'] as const, slowMs: 50 };
    const a = await run(await start({ seed: 7, faults: { ...faults, kinds: [...faults.kinds] } }));
    const b = await run(await start({ seed: 7, faults: { ...faults, kinds: [...faults.kinds] } }));
    const c = await run(await start({ seed: 8, faults: { ...faults, kinds: [...faults.kinds] } }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set(['200', '429', '500', '503', 'reset']));
    expect(started[0]?.faults.map((f) => f.kind)).toEqual(started[1]?.faults.map((f) => f.kind));
    // 'slow' faults still answer 200.
    expect(started[0]?.faults.some((f) => f.kind === 'slow')).toBe(true);
  });

  it('leaves the OAuth token endpoint alone unless asked', async () => {
    const sim = await start({ faults: { rate: 1, kinds: ['500'] } });
    for (let i = 0; i < 5; i++) await tokenFor(sim, SOURCE);
    const token = await tokenFor(sim, SOURCE);
    expect((await call(sim, token, 'GET', `https://${SOURCE}/api/v1/roles`)).status).toBe(500);
    const withOAuth = await start({ faults: { rate: 1, kinds: ['500'], includeOAuth: true } });
    await expect(tokenFor(withOAuth, SOURCE)).rejects.toThrow(/500/);
  });

  it('rejects an invalid fault rate before starting', async () => {
    await expect(startStrict({ faults: { rate: 2 } })).rejects.toThrow(/faults.rate/);
  });
});

describe('clock scaling', () => {
  it('scales latency: 3 simulated seconds take 50 real ms at timeScale 60', async () => {
    const slow = await start({ latency: { operations: { 'GET /api/v1/roles': 3000 } }, timeScale: 60 });
    const token = await tokenFor(slow, SOURCE);
    const t0 = performance.now();
    await call(slow, token, 'GET', `https://${SOURCE}/api/v1/roles`);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1000);
    expect(slow.clock.now() - Date.now()).toBeGreaterThan(0);
  });

  it('reports retry-after in real seconds: a 240 s simulated wait is 4 s at timeScale 60', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1), 60);
    const sim = await start({ clock });
    const token = await tokenFor(sim, SOURCE);
    const url = `https://${SOURCE}/api/v1/licenses/settings`;
    for (let i = 0; i < 500; i++) await call(sim, token, 'PUT', url, {});
    clock.advance(60_000);
    const limited = await call(sim, token, 'PUT', url, {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(limited.body.errors[0].detail).toBe('You need to wait 4 seconds until limit is lifted.');
  });
});

describe('manual clock', () => {
  it('wakes sleepers as time advances and leaves no abort listener behind on a long-lived signal', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    let listeners = 0;
    const { signal } = controller;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners--;
      remove(...args);
    };

    for (let i = 0; i < 20; i++) {
      const slept = clock.sleep(1_000, signal);
      clock.advance(1_000);
      await slept;
    }
    expect(clock.now()).toBe(20_000);
    expect(listeners).toBe(0);

    const aborted = clock.sleep(1_000, signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });
});
