#!/usr/bin/env node
/**
 * Type-check time of a partner's broker: `tsc --noEmit -p` of the same broker written on our packages
 * (ours/) and on @qlik/api's REST modules (qlik-api/), in one run, interleaved; medians and their ratio.
 *
 *   npm run build && node bench/types/run.mjs [--samples 5]
 *
 * Measures the built declarations (dist/). Prints numbers and asserts nothing: benchmarks are not tests.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '5' } } });
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 1) throw new Error('--samples must be a positive whole number');

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const cpuAtExit = `${here}cpu-at-exit.cjs`;
const brokers = [
  { label: 'ours (@qlik-oem/qlik-cloud)', project: `${here}ours` },
  { label: '@qlik/api REST modules', project: `${here}qlik-api` },
];

/** One fresh tsc process: its wall time, its CPU time (cpu-at-exit.cjs) and its own check time (--extendedDiagnostics). */
function sample(project) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', cpuAtExit, tsc, '-p', project, '--extendedDiagnostics'], {
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // A failing type-check stops the run before anything is timed.
  if (run.status !== 0) throw new Error(`tsc -p ${project} failed:\n${run.stdout}${run.stderr}`);
  const output = run.stdout;
  const seconds = (name) => Number(new RegExp(`${name}:\\s+([\\d.]+)s`).exec(output)?.[1] ?? NaN) * 1000;
  const files = Number(/Files:\s+(\d+)/.exec(output)?.[1] ?? NaN);
  const cpuMs = Number(/cpu-ms ([\d.]+)/.exec(run.stderr)?.[1] ?? NaN);
  return { wallMs, cpuMs, checkMs: seconds('Check time'), files };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

console.log(
  `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${new Date().toISOString()}`,
);
for (const broker of brokers) sample(broker.project);
const results = brokers.map(() => []);
for (let s = 0; s < samples; s++) {
  for (let k = 0; k < brokers.length; k++) {
    const index = (s + k) % brokers.length;
    results[index].push(sample(brokers[index].project));
  }
}
const rows = brokers.map((broker, i) => ({
  label: broker.label,
  wallMs: median(results[i].map((r) => r.wallMs)),
  cpuMs: median(results[i].map((r) => r.cpuMs)),
  checkMs: median(results[i].map((r) => r.checkMs)),
  files: results[i][0].files,
}));
console.log(`tsc --noEmit of the broker, ${samples} samples each, interleaved; medians:`);
for (const row of rows) {
  console.log(
    `  ${row.label.padEnd(28)} wall ${(row.wallMs / 1000).toFixed(2)} s, CPU ${(row.cpuMs / 1000).toFixed(2)} s, check ${(row.checkMs / 1000).toFixed(2)} s, ${row.files} files`,
  );
}
const [ours, peer] = rows;
console.log(
  `ours / @qlik/api: wall ${(ours.wallMs / peer.wallMs).toFixed(2)}, CPU ${(ours.cpuMs / peer.cpuMs).toFixed(2)}, check ${(ours.checkMs / peer.checkMs).toFixed(2)}`,
);
