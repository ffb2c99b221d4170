#!/usr/bin/env node
/**
 * The check of one broker alone, in-process: TypeScript's CPU time to check `broker.ts` of a folder (ours/ or
 * qlik-api/) in fresh programs whose parsed files are cached, so parsing, binding and the process start stay out.
 * Finer than run.mjs's whole `tsc` runs, for comparing type formulations on a loaded machine (use the minimum).
 *
 *   npm run build && node bench/types/check.mjs bench/types/ours [--runs 31]
 *
 * Prints numbers and asserts nothing; a type error stops it.
 */
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '31' } },
});
const runs = Number(values.runs);
if (positionals.length !== 1 || !Number.isInteger(runs) || runs < 1) {
  throw new Error('usage: node bench/types/check.mjs <folder with tsconfig.json> [--runs 31]');
}
const ts = createRequire(import.meta.url)('typescript');
const folder = resolve(positionals[0]);
const config = ts.getParsedCommandLineOfConfigFile(
  join(folder, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const host = ts.createCompilerHost(config.options);
const parsed = new Map();
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, ...rest) => {
  if (!parsed.has(fileName)) parsed.set(fileName, getSourceFile(fileName, ...rest));
  return parsed.get(fileName);
};

const times = [];
for (let i = 0; i < runs; i++) {
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const broker = program.getSourceFile(config.fileNames[0]);
  program.getTypeChecker(); // binds every file, so only the broker's check is timed
  const started = process.cpuUsage();
  const diagnostics = program.getSemanticDiagnostics(broker);
  const used = process.cpuUsage(started);
  times.push((used.user + used.system) / 1000);
  if (diagnostics.length > 0) {
    console.error(ts.formatDiagnostics(diagnostics, host));
    process.exit(1);
  }
}
times.sort((a, b) => a - b);
console.log(
  `${basename(folder)}: check of ${basename(config.fileNames[0])}, ${runs} programs, CPU ms: ` +
    `min ${times[0].toFixed(1)}, median ${times[Math.floor(runs / 2)].toFixed(1)}`,
);
