// The assessment's HTML report as a reader sees it in headless Chromium: the four charts draw bars, every customer
// has its table, nothing is fetched from outside the file, and the page logs no error. Keeps a screenshot.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, launchChromium } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../examples/assessment/src/main.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assessment-report-'));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the assessment HTML report', () => {
  it('renders its charts and customer tables with no console error and no outside request', async () => {
    const lines: string[] = [];
    const run = await main(['--out', dir], {}, (line) => lines.push(line));
    expect(run.code, lines.join('\n')).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const reportUrl = pathToFileURL(run.htmlFile!).href;
    await page.goto(reportUrl, { waitUntil: 'load' });

    // Each chart is drawn: its bars have a size on screen, and the bar values are the assessment's counts.
    for (const id of ['chart-size', 'chart-last-use', 'chart-severity', 'chart-sources', 'chart-themes']) {
      const chart = page.locator(`#${id} svg`);
      await expect.poll(() => chart.isVisible()).toBe(true);
      const drawn = await page.$$eval(`#${id} rect`, (rects) =>
        rects.map((r) => (r as SVGGraphicsElement).getBoundingClientRect().width).filter((w) => w > 0),
      );
      expect(drawn.length, id).toBeGreaterThan(0);
    }
    const a = run.assessment!;
    const sizeTotal = await page.$$eval('#chart-size .bar', (bars) =>
      bars.reduce((sum, b) => sum + Number(b.getAttribute('data-value')), 0),
    );
    expect(sizeTotal).toBe(a.summary.apps);
    const errors = await page.$eval('#chart-severity .bar[data-label="error"]', (b) => b.getAttribute('data-value'));
    expect(Number(errors)).toBe(a.summary.findingsBySeverity['error']);
    const sources = await page.$$eval('#chart-sources .bar', (bars) => bars.map((b) => b.getAttribute('data-label')));
    expect(sources.sort()).toEqual(Object.keys(a.summary.dataConnectionsByType).sort());
    // Themes were read in the engine for every app.
    const themes = await page.$$eval('#chart-themes .bar', (bars) => bars.map((b) => b.getAttribute('data-label')));
    expect(themes.sort()).toEqual(Object.keys(a.summary.appsByTheme).sort());
    expect(themes).not.toContain('unknown');

    // One table per customer, one row per app.
    const customers = await page.$$eval('section.customer', (s) => s.map((e) => e.getAttribute('data-customer')));
    expect(customers).toEqual(a.customers.map((c) => c.customerId));
    expect(await page.locator('section.customer tbody tr').count()).toBe(a.summary.apps);

    expect(problems).toEqual([]);
    expect(requested.filter((url) => url !== reportUrl)).toEqual([]);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'assessment-report.png'), fullPage: false });
    await page.close();
  }, 120_000);
});
