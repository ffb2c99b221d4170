// qlik-oem assess against the simulator's sample QSEoW site: reports written, the counts they hold, no write.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCliWorldForTest } from './harness.js';

describe('qlik-oem assess', () => {
  it("writes the JSON and HTML reports of the context's QSEoW site, prints the plan per customer, writes nothing", async () => {
    const w = await startCliWorldForTest({ qseowApps: 12 });
    const text = await w.run(['assess', '--out', 'report', '--inactive-days=30']);
    expect(text.code, text.stderr).toBe(0);
    const assessment = JSON.parse(await readFile(join(w.dir, 'report', 'assessment.json'), 'utf8'));
    expect(assessment.summary.apps).toBeGreaterThanOrEqual(12);
    expect(assessment.customers.length).toBeGreaterThan(1);
    expect(text.stdout).toContain(
      `Assessed the simulator's QSEoW site qseow.partner.example: ${assessment.summary.apps} apps in ${assessment.summary.streams} streams`,
    );
    for (const c of assessment.customers)
      expect(text.stdout).toMatch(
        new RegExp(
          `^${c.customerId} +${c.apps} +${c.distributeNow.length} +${c.moveDataFirst.length} +${c.retire.length}$`,
          'm',
        ),
      );
    const html = await readFile(join(w.dir, 'report', 'assessment.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);

    const json = await w.run(['assess', '--json', '--out', 'again']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ site: 'qseow.partner.example', summary: { apps: assessment.summary.apps } });
    expect(parsed.reports.html).toBe(join(w.dir, 'again', 'assessment.html'));
    // Read-only: GETs and the QRS table/audit queries only.
    expect(w.sim.traffic.writes).toBe(0);
    expect(w.sim.violations).toEqual([]);
  }, 120_000);

  it('names what is missing: a simulator without a QSEoW site, a context without a qseow section, a bad flag', async () => {
    const w = await startCliWorldForTest();
    const noSite = await w.run(['assess']);
    expect([noSite.code, noSite.stderr.trim()]).toEqual([
      64,
      `The simulator of ${join(w.dir, 'sim.json')} serves no QSEoW site`,
    ]);
    const noSection = await w.run(['assess', '--context', 'production'], {
      QLIK_CLIENT_ID: 'id',
      QLIK_CLIENT_SECRET: 'secret',
    });
    expect([noSection.code, noSection.stderr.trim()]).toEqual([
      64,
      'contexts.production has no qseow section: which site should be assessed?',
    ]);
    const bad = await w.run(['assess', '--inactive-days', 'soon']);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      64,
      '--inactive-days must be a whole number of at least 1, not "soon"',
    ]);
    expect(w.sim.traffic.writes).toBe(0);
  }, 60_000);
});
