import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from '../src/progress.js';
import { formatReport } from '../src/report.js';

function stream(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  s.isTTY = isTTY;
  let text = '';
  s.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { s: s as unknown as NodeJS.WriteStream, text: () => text };
}

describe('progress display and report', () => {
  it('writes one compact line per customer event when not a TTY, and a summary at the end', () => {
    const out = stream(false);
    let now = 0;
    const progress = createProgressDisplay(2, out.s, () => now);
    progress.onEvent({ type: 'customer:start', customerId: 'a', recipe: 'r' });
    now = 1500;
    progress.onEvent({
      type: 'step:fail',
      customerId: 'a',
      recipe: 'r',
      step: 'tenant',
      error: { name: 'QlikHttpError', message: 'boom' },
    });
    progress.onEvent({ type: 'customer:done', customerId: 'a', recipe: 'r', status: 'failed', durationMs: 1500 });
    progress.stop();
    expect(out.text().split('\n')).toEqual([
      '0.0s start a',
      '1.5s step failed a/tenant: boom',
      '1.5s failed      a (1.5s) [1/2]',
      expect.stringMatching(/^\[#{15}\.{15}\] 1\/2 done \(0 provisioned, 0 unchanged, 1 failed\) \| 0 in flight/),
      '',
    ]);
  });

  it('redraws a single summary line on a TTY', () => {
    const out = stream(true);
    const progress = createProgressDisplay(1, out.s, () => 0);
    progress.onEvent({ type: 'customer:start', customerId: 'a', recipe: 'r' });
    progress.onEvent({ type: 'customer:done', customerId: 'a', recipe: 'r', status: 'provisioned', durationMs: 10 });
    progress.stop();
    expect(out.text()).toBe(
      `\r\x1b[2K[${'#'.repeat(30)}] 1/1 done (1 provisioned, 0 unchanged, 0 failed) | 0 in flight | 0 writes, 0 retries | 0.0s\n`,
    );
  });

  it('tables customers with the failing step and the cause', () => {
    const table = formatReport([
      {
        customerId: 'a',
        status: 'provisioned',
        tenantHost: 'a.eu.qlikcloud.com',
        appId: 'app-1',
        durationMs: 1234,
        steps: [],
      },
      {
        customerId: 'bb',
        status: 'failed',
        steps: [],
        failedStep: 'tenant',
        error: new Error('Recipe "x" failed for customer "bb" at step "tenant": 403 Forbidden'),
      },
    ]).split('\n');
    expect(table[0]).toMatch(/^customer\s+status\s+tenant host\s+app id\s+duration\s+error$/);
    expect(table[2]).toMatch(/^a\s+provisioned\s+a\.eu\.qlikcloud\.com\s+app-1\s+1\.2s$/);
    expect(table[3]).toMatch(/^bb\s+failed\s+-\s+-\s+-\s+tenant: 403 Forbidden$/);
  });
});
