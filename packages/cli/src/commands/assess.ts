// `qlik-oem assess`: the migration assessment of the context's QSEoW site (read-only), as JSON and HTML reports.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assessQseowSite, renderAssessmentHtml } from '@qlik-oem/recipes/assessment';
import { positiveInteger } from '../args.js';
import { loadContext, printJson, type Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../result-view.js';
import { openQseowSite } from '../target.js';

export const assessCommand: Command = {
  name: 'assess',
  summary:
    "Assess the context's QSEoW site before migrating: inventory, readiness findings and a migration plan per customer. Writes nothing to the site.",
  flags: {
    out: {
      type: 'string',
      value: '<dir>',
      description: 'where to write assessment.json and assessment.html (default ./assessment-report)',
    },
    'inactive-days': {
      type: 'string',
      value: '<n>',
      description: 'an app nobody used for this many days is a candidate to retire (default 90)',
    },
    'large-app-support': {
      type: 'boolean',
      description: 'the target tenants have large app support (upload limit 10 GB instead of 1 GB)',
    },
  },
  async run(invocation) {
    const { io, values } = invocation;
    const inactiveDays = positiveInteger('inactive-days', values['inactive-days'], 90);
    const { config, context, contextName } = loadContext(invocation);
    const { description, site } = openQseowSite(config, context, contextName, io.cwd);
    const assessment = await assessQseowSite(site, {
      inactiveDays,
      largeAppSupport: values['large-app-support'] === true,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    const out = resolve(io.cwd, (values['out'] as string | undefined) ?? 'assessment-report');
    await mkdir(out, { recursive: true });
    const reports = { json: join(out, 'assessment.json'), html: join(out, 'assessment.html') };
    await writeFile(reports.json, `${JSON.stringify(assessment, null, 2)}\n`);
    await writeFile(reports.html, renderAssessmentHtml(assessment));

    const perCustomer = assessment.customers.map((c) => ({
      customerId: c.customerId,
      apps: c.apps,
      distributeNow: c.distributeNow.length,
      moveDataFirst: c.moveDataFirst.length,
      retire: c.retire.length,
    }));
    if (values['json'])
      printJson(io, {
        site: site.host,
        requests: assessment.requests,
        summary: assessment.summary,
        customers: perCustomer,
        reports,
      });
    else {
      const { summary } = assessment;
      io.stdout.write(
        `Assessed ${description}: ${summary.apps} apps in ${summary.streams} streams for ${summary.customers} customers (${assessment.requests} read requests).\n\n`,
      );
      const rows = perCustomer.map((c) => [
        c.customerId,
        String(c.apps),
        String(c.distributeNow),
        String(c.moveDataFirst),
        String(c.retire),
      ]);
      io.stdout.write(`${table(['customer', 'apps', 'distribute now', 'move data first', 'retire'], rows)}\n\n`);
      const findings = Object.entries(summary.findingsBySeverity).map(([severity, n]) => `${n} ${severity}`);
      io.stdout.write(`Findings: ${findings.join(', ') || 'none'}\nReports: ${reports.json}, ${reports.html}\n`);
    }
    return EXIT.ok;
  },
};
