import { describe, expect, it } from 'vitest';
import { createTransport, QLIK_TIERS } from '../src/index.js';
import { createRecordingLogger, scriptedFetch, status } from './helpers.js';

describe('logging and time scale', () => {
  it('logs method, redacted URL, status, duration, attempt and tier wait; warns on retries', async () => {
    const logger = createRecordingLogger();
    const fetch = scriptedFetch(status(503, { 'retry-after': '0' }), status(200));
    const transport = createTransport({ fetch, logger, pacing: { tierOf: () => QLIK_TIERS.tier1 } });
    await transport('https://acme.eu.qlikcloud.com/api/v1/items?limit=5&access_token=abc');

    const safeUrl = 'https://acme.eu.qlikcloud.com/api/v1/items?limit=5&access_token=[REDACTED]';
    expect(logger.entries.map((e) => [e.level, e.msg])).toEqual([
      ['debug', 'qlik request'],
      ['warn', 'qlik request retry'],
      ['debug', 'qlik request'],
    ]);
    expect(logger.entries[0]!.obj).toMatchObject({
      method: 'GET',
      url: safeUrl,
      status: 503,
      attempt: 1,
      tierWaitMs: 0,
      tier: 'tier1',
    });
    expect(logger.entries[1]!.obj).toMatchObject({ status: 503, attempt: 1, delayMs: 0 });
    expect(logger.entries[2]!.obj).toMatchObject({ status: 200, attempt: 2 });
    expect(typeof logger.entries[2]!.obj.durationMs).toBe('number');
  });

  it('timeScale makes retry-after and pacing waits run faster than real time', async () => {
    const fetch = scriptedFetch(status(429, { 'retry-after': '20' }), status(200));
    const transport = createTransport({ fetch, timeScale: 1_000 });
    const started = Date.now();
    expect((await transport('https://acme.eu.qlikcloud.com/api/v1/spaces')).status).toBe(200);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(15); // 20 s / 1000, less timer slack
    expect(elapsed).toBeLessThan(2_000);
  });
});
