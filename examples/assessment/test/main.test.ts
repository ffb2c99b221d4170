import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('examples/assessment', () => {
  it('assesses the sample site without a write and writes a JSON and a self-contained HTML report', async () => {
    dir = await mkdtemp(join(tmpdir(), 'assessment-example-'));
    const lines: string[] = [];
    const run = await main(['--out', dir], {}, (line) => lines.push(line));
    expect(run.code, lines.join('\n')).toBe(0);
    expect(lines).toContain('300 apps in 5 streams for 5 customers, 580 read requests');
    expect(lines.some((l) => /^hooli: 60 apps, 0 distribute now, 0 move data first, 60 retire$/.test(l))).toBe(true);

    const json = JSON.parse(await readFile(join(dir, 'assessment.json'), 'utf8'));
    expect(json).toEqual(run.assessment);
    const html = await readFile(join(dir, 'assessment.html'), 'utf8');
    // Self-contained: no script, stylesheet link, image or frame from anywhere.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
    for (const customer of ['acme', 'globex', 'initech', 'umbrella', 'hooli'])
      expect(html).toContain(`data-customer="${customer}"`);
    // Sizes, last use, findings, data sources and themes.
    expect(html.match(/<figure class="chart"/g)).toHaveLength(5);
  }, 60_000);

  it('refuses bad options before reading anything', async () => {
    const lines: string[] = [];
    expect((await main(['--inactive-days', 'soon'], {}, (l) => lines.push(l))).code).toBe(2);
    expect(lines.join('\n')).toContain('--inactive-days must be a whole number of days');
    expect((await main(['--colour'], {}, (l) => lines.push(l))).code).toBe(2);
    expect(lines.join('\n')).toMatch(/Unknown option '--colour'/);
  });

  it('names every missing variable of a real site, and no value', async () => {
    await expect(main([], { QSEOW_HOST: 'qlik.partner.example' }, () => undefined)).rejects.toThrow(
      /QSEOW_JWT_KEY_FILE .*QSEOW_USER_ID .*QSEOW_USER_DIRECTORY/,
    );
  });
});
