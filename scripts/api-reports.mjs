#!/usr/bin/env node
// The public API of every published package, as API Extractor reports committed under packages/<pkg>/etc/.
// `--check` (CI, `npm run api:check`) fails when a built declaration no longer matches its report;
// `--update` (`npm run api:report`) rewrites the reports. Both read dist/, so run `npm run build` first.
// One report per entry point of a package's `exports` (its root: <pkg>.api.md; `./cli`: <pkg>-cli.api.md).
// A type a signature names but its entry point does not export ("forgotten export") must be declared in one of the
// package's reports, or its shape is in none and a change to it passes unseen (as `typeof onboardTenant_2` did).
// API Extractor writes each report into node_modules/.cache first; what is committed is that report with the
// positions of its closing warnings left out (`dist/<chunk>-<hash>.d.ts:581:9` moves with every build of the
// package) and those warnings sorted, so a report changes only when the API does.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const mode = process.argv[2];
if (mode !== '--check' && mode !== '--update') {
  console.error('usage: node scripts/api-reports.mjs --check | --update [package-dir ...]');
  process.exit(64);
}
const root = resolve(import.meta.dirname, '..');
const only = process.argv.slice(3).map((dir) => resolve(dir));

const packageDirs = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private)
  .filter((dir) => only.length === 0 || only.includes(dir));

/** `exports` subpaths with declarations: [report suffix, declaration path]. */
function entryPoints(pkg) {
  return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
    if (subpath === './package.json') return [];
    const types = target?.import?.types ?? target?.types;
    if (typeof types !== 'string') return [];
    return [[subpath === '.' ? '' : `-${subpath.slice(2).replaceAll('/', '-')}`, types]];
  });
}

/** The report as committed: the closing warnings without their chunk file positions, sorted. */
function stableReport(text) {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(newline);
  const start = lines.indexOf('// Warnings were encountered during analysis:');
  if (start < 0) return text;
  let end = start + 2;
  while (end < lines.length && /^\/\/ \S/.test(lines[end])) end++;
  const warnings = lines
    .slice(start + 2, end)
    .map((line) => line.replace(/^\/\/ \S+\.d\.c?ts:\d+:\d+ - /, '// '))
    .sort();
  return [...lines.slice(0, start + 2), ...new Set(warnings), ...lines.slice(end)].join(newline);
}

/** Forgotten-export symbols of a package's reports that none of its reports declares. */
function unreportedSymbols(dir) {
  const reports = readdirSync(join(dir, 'etc'))
    .filter((name) => name.endsWith('.api.md'))
    .map((name) => [name, readFileSync(join(dir, 'etc', name), 'utf8')]);
  const declared = new Set(
    reports.flatMap(([, text]) =>
      [
        ...text.matchAll(
          /^export (?:declare )?(?:abstract )?(?:class|interface|type|function|const|enum|namespace) ([\w$]+)/gm,
        ),
      ].map((match) => match[1]),
    ),
  );
  return reports.flatMap(([name, text]) =>
    [...new Set([...text.matchAll(/\(ae-forgotten-export\) The symbol "([^"]+)"/g)].map((match) => match[1]))]
      .filter((symbol) => !declared.has(symbol))
      .map((symbol) => `${name}: ${symbol}`),
  );
}

let failed = 0;
for (const dir of packageDirs) {
  const packageJsonFullPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(packageJsonFullPath, 'utf8'));
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  for (const [suffix, types] of entryPoints(pkg)) {
    const entry = join(dir, types);
    if (!existsSync(entry)) {
      console.error(`${pkg.name}: ${types} is missing; run \`npm run build\` first`);
      failed++;
      continue;
    }
    // An executable's entry (the simulator's `./cli`) declares no module: it has no API to report.
    if (!/^\s*export\b/m.test(readFileSync(entry, 'utf8'))) continue;
    mkdirSync(join(dir, 'etc'), { recursive: true });
    const generatedFolder = join(root, 'node_modules', '.cache', 'api-extractor', `${unscoped}${suffix}`);
    rmSync(generatedFolder, { recursive: true, force: true });
    const config = ExtractorConfig.prepare({
      configObjectFullPath: join(dir, 'api-extractor.json'),
      packageJsonFullPath,
      configObject: {
        projectFolder: dir,
        mainEntryPointFilePath: entry,
        // The declarations are already built: no tsconfig of the package's (theirs also cover tests).
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              lib: ['ES2023', 'DOM'],
              types: ['node'],
              skipLibCheck: true,
            },
            files: [entry],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: `${unscoped}${suffix}`,
          reportFolder: generatedFolder,
          reportTempFolder: join(generatedFolder, 'temp'),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'warning' } },
          extractorMessageReporting: {
            default: { logLevel: 'warning' },
            // The packages use no @public/@beta release tags: every export is public.
            'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
            // Doc comments are prose for typedoc; which exports carry one is not part of the API.
            'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
            // A type a signature names but the root does not export: kept in the report, where it is visible.
            'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          },
          // Doc comments are prose for typedoc, not TSDoc-checked.
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
    });
    const result = Extractor.invoke(config, {
      localBuild: true,
      showVerboseMessages: false,
      // Its notes on writing the cache's copy (this script compares and writes the committed one).
      messageCallback: (message) => {
        if (message.messageId.startsWith('console-api-report-')) message.handled = true;
      },
    });
    const report = `packages/${dir.split('/').at(-1)}/etc/${unscoped}${suffix}.api.md`;
    if (!result.succeeded) {
      failed++;
      console.error(
        `${pkg.name}: API Extractor reported ${result.errorCount} error(s), ${result.warningCount} warning(s)`,
      );
      continue;
    }
    const generated = stableReport(readFileSync(join(generatedFolder, `${unscoped}${suffix}.api.md`), 'utf8'));
    const committed = existsSync(join(root, report)) ? readFileSync(join(root, report), 'utf8') : undefined;
    // Equivalent as API Extractor compares reports: white space folded.
    const folded = (text) => text.replace(/\s+/g, ' ');
    if (committed !== undefined && folded(generated) === folded(committed)) continue;
    if (mode === '--update') {
      writeFileSync(join(root, report), generated);
      console.log(`${report} updated`);
    } else {
      failed++;
      console.error(
        `${pkg.name}${suffix && ` (${suffix.slice(1)})`}: the public API differs from ${report} (the new one: ${relative(root, join(generatedFolder, `${unscoped}${suffix}.api.md`))}); run \`npm run api:report\` and commit it`,
      );
    }
  }
  for (const gap of existsSync(join(dir, 'etc')) ? unreportedSymbols(dir) : []) {
    failed++;
    console.error(
      `${pkg.name}: ${gap} is named by a public signature but declared in no report; export it or write the type out`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
