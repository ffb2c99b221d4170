/**
 * Our SDK next to its peers, in one run:
 *  1. per-request time of `createQlikCloud` vs `@qlik/api` vs raw `fetch` against the simulator;
 *  2. cold import time of the built `@qlik-oem/qlik-cloud` and `@qlik-oem/recipes` vs `@qlik/api`'s
 *     REST modules for the same APIs.
 *
 *   npx tsx bench/peers/run.ts [--rounds 31] [--requests 100] [--samples 11] [--https] [--skip-requests] [--skip-imports]
 *
 * Needs the packages built (`npm run build`). Prints results; asserts nothing (benchmarks are not tests).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCommand, checkBuilt } from './built-packages.js';
import { formatTable, positiveInteger } from './stats.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '31' },
    requests: { type: 'string', default: '100' },
    samples: { type: 'string', default: '11' },
    https: { type: 'boolean', default: false },
    'skip-requests': { type: 'boolean', default: false },
    'skip-imports': { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(values.rounds, 'rounds');
const requestsPerRound = positiveInteger(values.requests, 'requests');
const samples = positiveInteger(values.samples, 'samples');

const measured = ['@qlik-oem/qlik-cloud', '@qlik-oem/recipes', '@qlik-oem/simulator'];
const build = checkBuilt(measured);
if (build.missing.length > 0) {
  console.error(`Not built: ${build.missing.join(', ')}. The benchmark measures the built packages (dist/).`);
  console.error(`Build them first: npm run build   (or: ${buildCommand(measured)})`);
  process.exit(2);
}
if (build.stale.length > 0) {
  console.warn(
    `warning: src/ is newer than dist/ in ${build.stale.join(', ')}; run \`npm run build\` to measure the current code.\n`,
  );
}

// Modules that need dist/ are imported only after the check, so a missing build gets the message above.
const { runRequestBenchmark, TENANT_HOST } = await import('./requests.js');
const { runImportBenchmark } = await import('./imports.js');

const fmt = (n: number, digits = 0): string => n.toFixed(digits);
const started = Date.now();
console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}\n`,
);

if (!values['skip-requests']) {
  const result = await runRequestBenchmark({ rounds, requestsPerRound, https: values.https });
  console.log(
    `Per request: GET https://${TENANT_HOST}/api/v1/spaces?limit=10 (${result.itemsPerResponse} items) against the simulator ` +
      `(${values.https ? 'HTTPS' : 'HTTP'}, own process, no latency, no rate limits); ${rounds} rounds × ${requestsPerRound} requests per client, interleaved.`,
  );
  const rows = (
    [
      ['ours: createQlikCloud().spaces.GET', 'ours'],
      ['@qlik/api: getSpaces (noCache)', 'qlikApi'],
      ['raw fetch + bearer', 'raw'],
    ] as const
  ).map(([label, key]) => [
    label,
    fmt(result.medianUs[key]),
    `${fmt(result.spreadUs[key][0])}–${fmt(result.spreadUs[key][1])}`,
  ]);
  console.log(formatTable(['client', 'median µs', 'p25–p75 µs'], rows));
  console.log();
  console.log(
    formatTable(
      ['ratio (median of per-round ratios)', 'value'],
      [
        ['ours / raw', fmt(result.ratios.oursOverRaw, 2)],
        ['@qlik/api / raw', fmt(result.ratios.qlikApiOverRaw, 2)],
        ['ours / @qlik/api', fmt(result.ratios.oursOverQlikApi, 2)],
      ],
    ),
  );
  console.log();
}

if (!values['skip-imports']) {
  const results = await runImportBenchmark(samples);
  const byLabel = new Map(results.map((r) => [r.label, r]));
  const qlikApiRest = results.find((r) => r.label.startsWith('@qlik/api REST modules'))!;
  console.log(`Cold import: a fresh node process per sample, ${samples} samples per row, interleaved; medians.`);
  console.log(
    formatTable(
      ['import', 'import() ms', 'process wall ms', 'import vs @qlik/api REST'],
      results.map((r) => [
        r.label,
        fmt(r.importMs, 1),
        fmt(r.wallMs),
        r.label === 'node, no import' ? '' : `${fmt(r.importMs / qlikApiRest.importMs, 2)}×`,
      ]),
    ),
  );
  const ours = byLabel.get('@qlik-oem/qlik-cloud');
  const recipes = byLabel.get('@qlik-oem/recipes');
  if (ours && recipes) {
    console.log(
      `\nqlik-cloud / @qlik/api REST: ${fmt(ours.importMs / qlikApiRest.importMs, 2)}, recipes / @qlik/api REST: ${fmt(recipes.importMs / qlikApiRest.importMs, 2)}`,
    );
  }
}
console.log(`\ntotal ${fmt((Date.now() - started) / 1000, 1)} s`);
