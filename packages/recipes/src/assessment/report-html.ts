// The assessment as a self-contained HTML page (no external assets): summary, bar charts, a table per customer.
import type { AppDisposition, AssessedApp, QseowAssessment } from './assess-qseow-site.js';

export interface AssessmentHtmlOptions {
  /** Page title. Default `QSEoW migration assessment: <host>`. */
  title?: string;
}

interface Bar {
  label: string;
  value: number;
  color: string;
}

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const DAY = 86_400_000;
const COLORS = { error: '#c62828', warning: '#ef6c00', info: '#1565c0', neutral: '#00796b', muted: '#9e9e9e' };
const DISPOSITION_LABEL: Record<AppDisposition, string> = {
  'distribute-now': 'Distribute now',
  'move-data-first': 'Move data first',
  retire: 'Retire',
};

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c as '&'] ?? c,
  );

/** Counts values into the given buckets, keeping the bucket order (empty buckets included). */
function bucket<T>(items: readonly T[], buckets: ReadonlyArray<{ label: string; test: (item: T) => boolean }>) {
  return buckets.map((b) => ({ label: b.label, value: items.filter(b.test).length }));
}

function sizeBars(apps: readonly AssessedApp[]): Bar[] {
  return bucket(apps, [
    { label: '< 10 MB', test: (a) => a.fileSize < 10 * MB },
    { label: '10-100 MB', test: (a) => a.fileSize >= 10 * MB && a.fileSize < 100 * MB },
    { label: '100 MB-1 GB', test: (a) => a.fileSize >= 100 * MB && a.fileSize <= GB },
    { label: '1-10 GB', test: (a) => a.fileSize > GB && a.fileSize <= 10 * GB },
    { label: '> 10 GB', test: (a) => a.fileSize > 10 * GB },
  ]).map((b, i) => ({ ...b, color: i >= 3 ? COLORS.error : COLORS.neutral }));
}

function lastUseBars(apps: readonly AssessedApp[], now: number): Bar[] {
  const age = (a: AssessedApp) => (a.lastUsed ? (now - Date.parse(a.lastUsed)) / DAY : Number.POSITIVE_INFINITY);
  return bucket(apps, [
    { label: '≤ 7 days', test: (a) => age(a) <= 7 },
    { label: '8-30 days', test: (a) => age(a) > 7 && age(a) <= 30 },
    { label: '31-90 days', test: (a) => age(a) > 30 && age(a) <= 90 },
    { label: '> 90 days', test: (a) => age(a) > 90 && Number.isFinite(age(a)) },
    { label: 'no known use', test: (a) => !Number.isFinite(age(a)) },
  ]).map((b, i) => ({ ...b, color: i >= 3 ? COLORS.muted : COLORS.neutral }));
}

function severityBars(assessment: QseowAssessment): Bar[] {
  return (['error', 'warning', 'info'] as const).map((severity) => ({
    label: severity,
    value: assessment.summary.findingsBySeverity[severity] ?? 0,
    color: COLORS[severity],
  }));
}

function tallyBars(counts: Record<string, number>): Bar[] {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([label, value]) => ({ label, value, color: COLORS.neutral }));
}

/** A horizontal bar chart as inline SVG, with a text fallback for screen readers. */
function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const rowHeight = 28;
  const labelWidth = 220;
  const plotWidth = 320;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((bar, i) => {
      const y = 4 + i * rowHeight;
      const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * plotWidth));
      return (
        `<g class="bar" data-label="${escape(bar.label)}" data-value="${bar.value}">` +
        `<title>${escape(bar.label)}: ${bar.value}</title>` +
        `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escape(bar.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 8}" fill="${bar.color}" rx="2"/>` +
        `<text x="${labelWidth + width + 6}" y="${y + 18}">${bar.value}</text></g>`
      );
    })
    .join('');
  const summary = bars.map((b) => `${b.label}: ${b.value}`).join(', ');
  return (
    `<figure class="chart" id="${id}"><figcaption>${escape(title)}</figcaption>` +
    `<svg role="img" aria-label="${escape(`${title}. ${summary}`)}" viewBox="0 0 ${labelWidth + plotWidth + 60} ${height}" ` +
    `width="${labelWidth + plotWidth + 60}" height="${height}">${rows}</svg></figure>`
  );
}

function customerSection(assessment: QseowAssessment, customer: QseowAssessment['customers'][number]): string {
  const apps = assessment.apps.filter((a) => a.customer === customer.customerId);
  const rows = apps
    .map((app) => {
      const findings = app.findings.length
        ? `<ul>${app.findings
            .map(
              (f) =>
                `<li class="${f.severity}"><a href="${escape(f.docUrl)}">${escape(f.rule)}</a>: ${escape(f.message)}</li>`,
            )
            .join('')}</ul>`
        : 'none';
      return (
        `<tr data-app-id="${escape(app.id)}"><td>${escape(app.name)}</td><td>${escape(app.stream?.name ?? '(not published)')}</td>` +
        `<td class="num">${(app.fileSize / MB).toFixed(1)}</td><td>${escape(app.lastReloadTime?.slice(0, 10) ?? 'never')}</td>` +
        `<td>${escape(app.lastUsed?.slice(0, 10) ?? 'unknown')}</td>` +
        `<td>${escape(app.theme ?? (app.themeError !== undefined ? 'unknown' : 'default'))}</td>` +
        `<td class="disposition ${app.disposition}">${DISPOSITION_LABEL[app.disposition]}</td><td>${findings}</td></tr>`
      );
    })
    .join('');
  return (
    `<section class="customer" data-customer="${escape(customer.customerId)}"><h3>${escape(customer.customerId)}</h3>` +
    `<p>${customer.apps} apps: ${customer.distributeNow.length} to distribute now, ${customer.moveDataFirst.length} ` +
    `needing their data moved first, ${customer.retire.length} to retire.</p>` +
    `<table><thead><tr><th>App</th><th>Stream</th><th>Size (MB)</th><th>Last reload</th><th>Last use</th><th>Theme</th>` +
    `<th>Plan</th><th>Findings</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#212121}
h1{font-size:1.6rem;margin-bottom:.2rem}.meta{color:#616161;margin-top:0}
.totals{display:flex;gap:1rem;flex-wrap:wrap;padding:0;list-style:none}
.totals li{background:#f5f5f5;border-radius:6px;padding:.6rem 1rem}.totals b{display:block;font-size:1.4rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem}
figure.chart{margin:0;border:1px solid #e0e0e0;border-radius:6px;padding:.8rem}figcaption{font-weight:600;margin-bottom:.4rem}
svg text{font-size:12px;fill:#424242}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#fafafa}td.num{text-align:right}td ul{margin:0;padding-left:1.1rem}
li.error{color:${COLORS.error}}li.warning{color:${COLORS.warning}}li.info{color:${COLORS.info}}
td.disposition.retire{color:${COLORS.muted}}td.disposition.move-data-first{color:${COLORS.warning}}td.disposition.distribute-now{color:${COLORS.neutral}}
`;

/** Renders the assessment as one HTML document with inline CSS and SVG charts; every text from the site is escaped. */
export function renderAssessmentHtml(assessment: QseowAssessment, options: AssessmentHtmlOptions = {}): string {
  const title = options.title ?? `QSEoW migration assessment: ${assessment.host}`;
  const now = Date.parse(assessment.assessedAt);
  const { summary } = assessment;
  const planned = (d: AppDisposition) => assessment.apps.filter((a) => a.disposition === d).length;
  const totals = [
    ['apps', summary.apps],
    ['streams', summary.streams],
    ['customers', summary.customers],
    ['distribute now', planned('distribute-now')],
    ['move data first', planned('move-data-first')],
    ['retire', planned('retire')],
  ]
    .map(([label, value]) => `<li><b>${value}</b>${label}</li>`)
    .join('');
  const charts = [
    barChart('chart-size', 'Apps by file size', sizeBars(assessment.apps)),
    barChart('chart-last-use', 'Apps by last use', lastUseBars(assessment.apps, now)),
    barChart('chart-severity', 'Findings by severity', severityBars(assessment)),
    barChart('chart-sources', 'Data connections by type', tallyBars(summary.dataConnectionsByType)),
    // Themes are read in the engine; an assessment made with `readThemes: false` has none to chart.
    Object.keys(summary.appsByTheme).length
      ? barChart('chart-themes', 'Apps by theme', tallyBars(summary.appsByTheme))
      : '',
  ].join('');
  const customers = assessment.customers.map((c) => customerSection(assessment, c)).join('');
  const deployments = assessment.deployments
    ? `${assessment.deployments.length} multi-cloud deployment${assessment.deployments.length === 1 ? '' : 's'}`
    : 'multi-cloud deployments not listed by the site';
  const policies = `${assessment.distributionPolicies.length} distribution polic${assessment.distributionPolicies.length === 1 ? 'y' : 'ies'}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>` +
    `<style>${STYLE}</style></head><body><header><h1>${escape(title)}</h1>` +
    `<p class="meta">Assessed ${escape(assessment.assessedAt)} with ${assessment.requests} read-only QRS requests; ` +
    `<span class="multi-cloud">${deployments}, ${policies}</span>.</p>` +
    `</header><ul class="totals">${totals}</ul><section class="charts">${charts}</section>` +
    `<h2>Customers</h2>${customers}</body></html>\n`
  );
}
