// The apply's progress: its ETA follows the pace so far and is never below what Qlik's rate limits allow
// on the buckets every customer shares.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';
import { createRateLimitBound } from '../src/rate-limit-bound.js';

const REGISTRATION = 'register.eu.qlikcloud.com';
const SOURCE = 'source.eu.qlikcloud.com';

describe('the rate-limit bound', () => {
  it("projects each shared bucket's requests over the whole fleet against its 5-minute allowance", () => {
    const bound = createRateLimitBound([REGISTRATION, SOURCE]);
    // Two customers started, each one tenant create (tier 2: 500 per 5 minutes) at t=0.
    bound.record(`https://${REGISTRATION}/api/v1/tenants`, 'tier2', 0);
    bound.record(`https://${REGISTRATION}/api/v1/tenants`, 'tier2', 0);
    // 1,000 customers: 1,000 creates, the 501st no earlier than one window after the first.
    expect(bound.remainingMs(2, 1000, 0)).toBe(5 * 60_000);
    // 500 fit in the first window: nothing to wait for.
    expect(bound.remainingMs(2, 500, 0)).toBe(0);
    // 1,001 customers: the 1,001st create opens a third window, 10 minutes after the first; one minute in,
    // 9 minutes remain.
    expect(bound.remainingMs(2, 1001, 60_000)).toBe(9 * 60_000);
  });

  it('ignores customer tenants and unknown tiers, and runs on the target clock', () => {
    const bound = createRateLimitBound([REGISTRATION], 60);
    bound.record('https://acme.eu.qlikcloud.com/api/v1/spaces', 'tier2', 0);
    bound.record(`https://${REGISTRATION}/api/v1/tenants`, 'special', 0);
    expect(bound.remainingMs(1, 10_000, 0)).toBeUndefined();
    bound.record(`https://${REGISTRATION.toUpperCase()}/api/v1/tenants`, 'tier2', 0);
    // At time scale 60 a 5-minute window passes in 5 real seconds: 10,000 creates need 19 more windows.
    expect(bound.remainingMs(1, 10_000, 0)).toBe(19 * 5_000);
  });
});

describe('the progress of an apply', () => {
  function plainProgress(total: number) {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress(total, { write: (t: string) => lines.push(t), isTTY: false }, () => clock);
    return { progress, lines, tick: (ms: number) => (clock += ms) };
  }
  const done = (customerId: string, durationMs = 1000) =>
    ({ type: 'customer:done', customerId, status: 'provisioned', durationMs }) as never;
  const start = (customerId: string) => ({ type: 'customer:start', customerId }) as never;

  it('shows the pace-based ETA on each finished customer', () => {
    const { progress, lines, tick } = plainProgress(4);
    progress.onEvent(start('c1'));
    tick(2000);
    progress.onEvent(done('c1', 2000));
    expect(lines.at(-1)).toBe('2.0s provisioned c1 (2.0s) [1/4, ETA 6.0s]\n');
  });

  it('divides the pace by the customers run at once, so the first finish of a wave does not overshoot', () => {
    const { progress, lines, tick } = plainProgress(60);
    for (let i = 1; i <= 16; i++) progress.onEvent(start(`c${i}`));
    tick(18_600);
    progress.onEvent(done('c1', 18_600));
    // 59 customers left, 16 at a time, 18.6 s each: about 68.6 s (elapsed per finished customer would say 1097 s).
    expect(lines.at(-1)).toBe('18.6s provisioned c1 (18.6s) [1/60, ETA 68.6s]\n');
  });

  it('leaves the rate limits out of the ETA while they allow the whole fleet now', () => {
    const { progress, lines, tick } = plainProgress(60);
    progress.boundByRateLimits([REGISTRATION], 60);
    progress.onEvent(start('c1'));
    progress.logger.debug({ url: `https://${REGISTRATION}/api/v1/tenants`, tier: 'tier2' }, 'qlik request');
    tick(1000);
    progress.onEvent(done('c1'));
    expect(lines.at(-1)).toBe('1.0s provisioned c1 (1.0s) [1/60, ETA 59.0s]\n');
  });

  it('never shows less than the rate limits allow, and says so', () => {
    const { progress, lines, tick } = plainProgress(1000);
    progress.boundByRateLimits([REGISTRATION], 1);
    progress.onEvent(start('c1'));
    progress.logger.debug(
      { url: `https://${REGISTRATION}/api/v1/tenants`, tier: 'tier2', status: 201 },
      'qlik request',
    );
    tick(1000);
    progress.onEvent(done('c1'));
    // The pace says 999 s; 1,000 tenant creates need a second 5-minute window: 299 s from now at least.
    expect(lines.at(-1)).toBe('1.0s provisioned c1 (1.0s) [1/1000, ETA 999.0s (rate limits: at least 299.0s)]\n');
    const fast = plainProgress(3000);
    fast.progress.boundByRateLimits([REGISTRATION], 1);
    fast.progress.onEvent(start('c1'));
    fast.progress.logger.debug({ url: `https://${REGISTRATION}/api/v1/tenants`, tier: 'tier2' }, 'qlik request');
    fast.tick(100);
    fast.progress.onEvent(done('c1', 100));
    // 3,000 creates: 5 more windows (1,500 s from the first); the pace alone would say 299.9 s.
    expect(fast.lines.at(-1)).toBe(
      '0.1s provisioned c1 (0.1s) [1/3000, ETA 1499.9s (rate limits: at least 1499.9s)]\n',
    );
  });

  it('reports "ETA -" before anything is known and 0 when every customer is done', () => {
    const { progress, lines } = plainProgress(1);
    progress.stop();
    expect(lines.at(-1)).toMatch(/\| ETA -\n$/);
    const second = plainProgress(1);
    second.progress.onEvent(start('c1'));
    second.progress.onEvent(done('c1'));
    second.progress.stop();
    expect(second.lines.at(-1)).toMatch(/\| ETA 0\.0s\n$/);
  });
});
