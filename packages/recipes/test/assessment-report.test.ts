// renderAssessmentHtml: everything the site supplies is escaped, and the charts count what the assessment says.
import { describe, expect, it } from 'vitest';
import { renderAssessmentHtml, type AssessedApp, type QseowAssessment } from '../src/assessment.js';

const app = (id: string, name: string, fileSize: number, extra: Partial<AssessedApp> = {}): AssessedApp => ({
  id,
  name,
  fileSize,
  published: true,
  stream: { id: 's1', name: 'acme <stream>' },
  customProperties: {},
  objectTypes: [],
  customer: 'acme',
  disposition: 'distribute-now',
  findings: [],
  ...extra,
});

const assessment = (apps: AssessedApp[]): QseowAssessment => ({
  host: 'qseow.example',
  assessedAt: '2026-12-01T00:00:00.000Z',
  summary: {
    apps: apps.length,
    streams: 1,
    customers: 1,
    findingsBySeverity: { error: 1 },
    dataConnectionsByType: { 'folder"><b>x</b>': 2 },
    appsByTheme: { '<i>partner</i>': 1 },
  },
  apps,
  customers: [
    { customerId: 'acme', apps: apps.length, distributeNow: apps.map((a) => a.id), moveDataFirst: [], retire: [] },
  ],
  extensions: [],
  dataConnections: [],
  distributionPolicies: [],
  deployments: undefined,
  firstWave: [],
  requests: 3,
});

describe('renderAssessmentHtml', () => {
  it('escapes app names, stream names, connection types and finding texts', () => {
    const html = renderAssessmentHtml(
      assessment([
        app('a1', '<script>alert(1)</script>', 5 * 1024 ** 2, {
          theme: '<i>partner</i>',
          findings: [
            {
              rule: 'app-size',
              severity: 'error',
              appId: 'a1',
              message: 'big & <bad>',
              docUrl: 'https://help.qlik.com/"x',
            },
          ],
        }),
      ]),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('acme &lt;stream&gt;');
    expect(html).toContain('big &amp; &lt;bad&gt;');
    expect(html).toContain('href="https://help.qlik.com/&quot;x"');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<i>partner</i>');
    expect(html).toContain('<td>&lt;i&gt;partner&lt;/i&gt;</td>');
    expect(html).toMatch(/id="chart-themes".*data-label="&lt;i&gt;partner&lt;\/i&gt;" data-value="1"/s);
    expect(html).toContain('multi-cloud deployments not listed by the site, 0 distribution policies');
  });

  it('puts each app in its size bucket', () => {
    const MB = 1024 ** 2;
    const html = renderAssessmentHtml(
      assessment([app('a', 'small', 2 * MB), app('b', 'mid', 50 * MB), app('c', 'huge', 11 * 1024 ** 3)]),
    );
    const value = (label: string) => new RegExp(`data-label="${label}" data-value="(\\d+)"`).exec(html)?.[1];
    expect([
      value('&lt; 10 MB'),
      value('10-100 MB'),
      value('100 MB-1 GB'),
      value('1-10 GB'),
      value('&gt; 10 GB'),
    ]).toEqual(['1', '1', '0', '0', '1']);
  });
});
