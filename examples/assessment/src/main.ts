// `npm start -- [--out DIR] [--inactive-days N] [--large-app-support]`: assess a QSEoW site, write the reports.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { assessQseowSite, renderAssessmentHtml, type QseowAssessment } from '@qlik-oem/recipes/assessment';
import { realSiteFromEnv } from './real.js';
import { startSimulatedSite } from './simulated.js';

/** The sample site's histories are relative to this instant, so the simulated report is the same on every run. */
export const SAMPLE_NOW = Date.parse('2026-12-01T00:00:00.000Z');

export interface AssessmentRun {
  code: number;
  assessment?: QseowAssessment;
  jsonFile?: string;
  htmlFile?: string;
}

/**
 * Against the embedded simulator's sample site unless QSEOW_HOST is set (then the QSEOW_* variables describe the
 * real site). Writes `assessment.json` and `assessment.html` into `--out` (default ./assessment-report).
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = console.log,
): Promise<AssessmentRun> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', default: 'assessment-report' },
        'inactive-days': { type: 'string', default: '90' },
        'large-app-support': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    print(`${(error as Error).message}\nUsage: npm start -- [--out DIR] [--inactive-days N] [--large-app-support]`);
    return { code: 2 };
  }
  if (args.help) {
    print('Usage: npm start -- [--out DIR] [--inactive-days N] [--large-app-support]');
    return { code: 0 };
  }
  const inactiveDays = Number(args['inactive-days']);
  if (!Number.isInteger(inactiveDays) || inactiveDays < 1) {
    print(`--inactive-days must be a whole number of days (at least 1), not "${args['inactive-days']}"`);
    return { code: 2 };
  }
  const simulated = env.QSEOW_HOST ? undefined : await startSimulatedSite({ now: SAMPLE_NOW });
  try {
    const site = simulated?.site ?? realSiteFromEnv(env);
    print(simulated ? `Assessing the simulator's sample site ${site.host}` : `Assessing ${site.host}`);
    const assessment = await assessQseowSite(site, {
      inactiveDays,
      largeAppSupport: args['large-app-support'],
      ...(simulated ? { now: SAMPLE_NOW } : {}),
    });
    const out = resolve(args.out);
    await mkdir(out, { recursive: true });
    const jsonFile = join(out, 'assessment.json');
    const htmlFile = join(out, 'assessment.html');
    await writeFile(jsonFile, `${JSON.stringify(assessment, null, 2)}\n`);
    await writeFile(htmlFile, renderAssessmentHtml(assessment));
    const { summary } = assessment;
    print(
      `${summary.apps} apps in ${summary.streams} streams for ${summary.customers} customers, ${assessment.requests} read requests`,
    );
    for (const c of assessment.customers)
      print(
        `${c.customerId}: ${c.apps} apps, ${c.distributeNow.length} distribute now, ${c.moveDataFirst.length} move data first, ${c.retire.length} retire`,
      );
    print(
      `Findings: ${Object.entries(summary.findingsBySeverity)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}`,
    );
    if (simulated?.writes.length) {
      print(`The assessment wrote to the site: ${simulated.writes.join(', ')}`);
      return { code: 1, assessment };
    }
    if (simulated?.sim.violations.length) {
      print(`Spec violations: ${simulated.sim.violations.length}`);
      return { code: 1, assessment };
    }
    print(`Reports: ${jsonFile}, ${htmlFile}`);
    return { code: 0, assessment, jsonFile, htmlFile };
  } finally {
    await simulated?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2), process.env).then(
    (run) => process.exit(run.code),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
