import { describe, expect, it } from 'vitest';
import { createMemoryJournalStore, setupMultiCloudFleet } from '../../src/index.js';
import { assessQseowSite } from '../../src/assessment.js';
import { spaceOf, startMultiCloudWorldPerTest, tenantOf } from './multi-cloud-harness.js';

const startWorld = startMultiCloudWorldPerTest();

const CUSTOMERS = ['acme', 'globex', 'initech'];
const NOW = Date.parse('2026-12-01T00:00:00.000Z');

describe('assessQseowSite over the sample site', () => {
  it('inventories every app over several QRS pages without a write, finds each rule, and its first wave runs', async () => {
    const world = await startWorld(CUSTOMERS, {
      qseow: { sampleSite: { customers: CUSTOMERS, appsPerCustomer: 40, now: NOW } },
    });
    const w = world;
    const writes = () => w.requests.filter((r) => r.method !== 'GET' && !/\/table$|\/audit\/matrix$/.test(r.path));
    const assessment = await assessQseowSite(await w.site(), {
      pageSize: 25,
      now: NOW,
      tenantHostOf: tenantOf,
      managedSpace: 'Analytics',
    });
    expect(writes()).toEqual([]);
    expect(assessment.summary.apps).toBe(120);
    expect(new Set(assessment.apps.map((a) => a.id)).size).toBe(120);
    expect(w.requests.filter((r) => r.path.endsWith('/app/table')).length).toBe(5);
    expect(assessment.customers.map((c) => c.customerId).sort()).toEqual([...CUSTOMERS].sort());
    expect(assessment.summary.dataConnectionsByType).toEqual({
      'QvOdbcConnectorPackage.exe': 3,
      folder: 3,
      'QvRestConnector.exe': 3,
      OLEDB: 3,
      'PartnerErpConnector.exe': 3,
    });
    const rules = new Set(assessment.apps.flatMap((a) => a.findings.map((f) => f.rule)));
    for (const rule of [
      'app-size',
      'connection-type',
      'folder-local-path',
      'needs-data-gateway',
      'extension-not-bundled',
      'section-access',
      'never-reloaded',
      'reload-failing',
      'no-recent-users',
      'already-distributed',
      'custom-theme',
      'missing-theme',
    ])
      expect(rules, rule).toContain(rule);
    // Every app's theme was read in the engine: the site's custom theme, bundled ones, and the default.
    expect(assessment.apps.filter((a) => a.themeError !== undefined)).toEqual([]);
    expect(Object.keys(assessment.summary.appsByTheme)).toEqual(
      expect.arrayContaining(['default', 'partner-theme', 'partner-theme-2019']),
    );
    for (const a of assessment.apps)
      expect(a.findings.some((f) => f.rule === 'custom-theme')).toBe(a.theme === 'partner-theme');
    for (const f of assessment.apps.flatMap((a) => a.findings))
      expect(f.docUrl).toMatch(/^https:\/\/help\.qlik\.com\//);
    // Each rule also leaves some apps alone.
    for (const rule of rules)
      expect(
        assessment.apps.some((a) => !a.findings.some((f) => f.rule === rule)),
        rule,
      ).toBe(true);
    expect(JSON.parse(JSON.stringify(assessment))).toEqual(assessment);

    expect(assessment.firstWave.length).toBeGreaterThan(0);
    const result = await setupMultiCloudFleet(w.env, await w.site(), assessment.firstWave, {
      journal: createMemoryJournalStore(),
      concurrency: 2,
    });
    expect(result.customers.map((c) => [c.customerId, c.status, c.error])).toEqual(
      assessment.firstWave.map((c) => [c.customerId, 'provisioned', undefined]),
    );
    const first = assessment.firstWave[0]!;
    expect(await spaceOf(w, first.customerId, first.appIds[0]!)).toBe('Analytics');

    // Assessed again, the site shows the first wave's deployments and the distribution policy it set up.
    const after = await assessQseowSite(await w.site(), { pageSize: 25, now: NOW });
    expect(assessment.deployments).toEqual([]);
    expect(after.deployments?.map((d) => d.tenantUrl).sort()).toEqual(
      assessment.firstWave.map((c) => `https://${c.tenantHost}`).sort(),
    );
    expect(after.distributionPolicies.length).toBeGreaterThan(assessment.distributionPolicies.length);
    expect(w.sim.violations).toEqual([]);
  }, 60_000);

  it("reads no theme when the site's engine cannot be reached, and stops trying after the first apps", async () => {
    const world = await startWorld(['acme'], {
      qseow: { sampleSite: { customers: ['acme'], appsPerCustomer: 12, now: NOW } },
    });
    let attempts = 0;
    const assessment = await assessQseowSite(
      await world.site({
        createSocket: () => {
          attempts += 1;
          throw new Error('the proxy refuses WebSockets');
        },
      }),
      { now: NOW },
    );
    expect(assessment.summary.apps).toBe(12);
    // Four sessions at a time: the first four fail, the other eight are not tried.
    expect(attempts).toBe(4);
    expect(assessment.summary.appsByTheme).toEqual({ unknown: 12 });
    expect(assessment.apps.filter((a) => a.themeError?.startsWith('not tried')).length).toBe(8);
    expect(assessment.apps.flatMap((a) => a.findings).filter((f) => /theme/.test(f.rule))).toEqual([]);

    const without = await assessQseowSite(await world.site(), { now: NOW, readThemes: false });
    expect(without.summary.appsByTheme).toEqual({});
    expect(without.apps.some((a) => a.theme !== undefined || a.themeError !== undefined)).toBe(false);
  }, 60_000);
});
