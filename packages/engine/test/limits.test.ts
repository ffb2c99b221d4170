import { afterEach, describe, expect, it } from 'vitest';
import {
  EngineSessionClosedError,
  isEngineSessionClosedError,
  openApp,
  SessionLimiter,
  type QseowCertificateEngineOptions,
} from '../src/index.js';
import { startEngine, type EngineHarness } from './harness.js';

const QSEOW = 'qlik.customer.example';
let harness: EngineHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function qseowEngine(): Promise<EngineHarness> {
  return startEngine({
    qseowTenants: [QSEOW],
    apps: [{ id: 'app-1', name: 'App', tenant: QSEOW, script: 'LOAD 1 AS x AUTOGENERATE 1;' }],
  });
}

describe('parallel session limits', () => {
  it('answers a 6th QSEoW proxy session with OnMaxParallelSessionsExceeded, as a typed error', async () => {
    harness = await qseowEngine();
    const options: QseowCertificateEngineOptions = {
      platform: 'qseow',
      host: QSEOW,
      user: { directory: 'CORP', id: 'svc' },
      createSocket: harness.createSocket,
      maxParallelSessions: 10, // above the server's 5, so the server's answer is seen
      sessionLimiter: new SessionLimiter(),
    };
    const sessions = await Promise.all(Array.from({ length: 5 }, () => openApp(options, 'app-1')));
    try {
      const error = await openApp(options, 'app-1').catch((caught: unknown) => caught);
      expect(isEngineSessionClosedError(error)).toBe(true);
      expect((error as EngineSessionClosedError).notification).toMatchObject({
        method: 'OnMaxParallelSessionsExceeded',
        severity: 'fatal',
      });
      expect(harness.urls[0]).toMatch(/^wss:\/\/qlik\.customer\.example:4747\/app\/app-1\/identity\//);
    } finally {
      await Promise.all(sessions.map((session) => session.close()));
    }
  });

  it('queues sessions beyond the client limit instead of exceeding it', async () => {
    harness = await qseowEngine();
    const limiter = new SessionLimiter();
    const options: QseowCertificateEngineOptions = {
      platform: 'qseow',
      host: QSEOW,
      user: { directory: 'CORP', id: 'svc' },
      createSocket: harness.createSocket,
      sessionLimiter: limiter,
    };
    let peak = 0;
    const job = async () => {
      const session = await openApp(options, 'app-1');
      peak = Math.max(peak, harness?.engine.sessionCount ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await session.close();
    };
    await Promise.all(Array.from({ length: 12 }, job));
    expect(peak).toBe(5);
    expect(harness.urls).toHaveLength(12);
  });

  it('lets a waiting session be aborted', async () => {
    const limiter = new SessionLimiter();
    const release = await limiter.acquire('k', 1);
    const controller = new AbortController();
    const waiting = limiter.acquire('k', 1, controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    const next = await limiter.acquire('k', 1);
    expect(limiter.active('k')).toBe(1);
    next();
    expect(limiter.active('k')).toBe(0);
  });
});
