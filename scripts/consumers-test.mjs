#!/usr/bin/env node
// Packs every @qlik-oem package, installs the tarballs into a temp copy of each consumer project under
// test/consumers/ (ESM, CJS, TypeScript node16 and bundler), and runs the project's `npm test`.
// With --runtimes, each consumer whose test is `node <file>` also runs under those runtimes (from
// test/runtimes/, `npm ci --prefix test/runtimes`). Exits non-zero when any consumer fails. Usage:
//   node scripts/consumers-test.mjs [--skip-build] [--only esm,cjs] [--runtimes node22,deno,bun] [--keep]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const consumersDir = join(repoRoot, 'test/consumers');
const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const keep = args.includes('--keep');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',').filter(Boolean)) : undefined;
const runtimesIndex = args.indexOf('--runtimes');
const runtimeNames = runtimesIndex >= 0 ? (args[runtimesIndex + 1] ?? '').split(',').filter(Boolean) : [];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quietNpm = {
  ...process.env,
  NO_UPDATE_NOTIFIER: '1',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};

function run(command, commandArgs, options) {
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', env: quietNpm, timeout: 10 * 60_000, ...options });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    error: result.error,
  };
}

/** Files package.json points at (main, module, types, bin, every `exports` target), without the leading `./`. */
function entryFilesOf(manifest) {
  const targets = [manifest.main, manifest.module, manifest.types];
  if (typeof manifest.bin === 'string') targets.push(manifest.bin);
  else if (manifest.bin) targets.push(...Object.values(manifest.bin));
  const visit = (node) => {
    if (typeof node === 'string') targets.push(node);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(manifest.exports);
  return [
    ...new Set(targets.filter((t) => typeof t === 'string' && !t.includes('*')).map((t) => t.replace(/^\.\//, ''))),
  ];
}

// How each runtime runs a consumer's entry file; the binaries come from test/runtimes/node_modules/.bin.
const runtimeBin = (name) => join(repoRoot, 'test/runtimes/node_modules/.bin', name);
const runtimes = {
  node22: { bin: runtimeBin('node'), args: (file) => [file] },
  // -A: the consumers start the simulator (network, files, env); node_modules is the npm-installed one.
  deno: { bin: runtimeBin('deno'), args: (file) => ['run', '-A', file] },
  bun: { bin: runtimeBin('bun'), args: (file) => ['run', file] },
};

function fail(message) {
  console.error(`consumers-test: ${message}`);
  process.exit(1);
}

// The consumers send through the simulator's undici dispatcher (sim.nodeFetch; on Deno, undici's own fetch;
// on Bun, whose fetch and undici stand-in ignore dispatchers, the simulator's node:http fetch).
for (const name of runtimeNames) {
  if (!runtimes[name]) fail(`unknown runtime ${name}; known: ${Object.keys(runtimes).join(', ')}`);
  if (!existsSync(runtimes[name].bin)) fail(`${name} is not installed: npm ci --prefix test/runtimes`);
}

// 1. Build (turbo caches unchanged packages) so the tarballs hold current code.
if (!skipBuild) {
  console.log('building packages ...');
  const build = run('npx', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], {
    cwd: repoRoot,
  });
  if (!build.ok) fail(`build failed:\n${build.output}`);
}

// 2. Pack every public package.
const work = mkdtempSync(join(tmpdir(), 'qlik-oem-consumers-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);
const tarballs = [];
for (const name of readdirSync(join(repoRoot, 'packages')).sort()) {
  const dir = join(repoRoot, 'packages', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  if (!existsSync(join(dir, 'dist'))) fail(`${manifest.name} has no dist/; build it first (or drop --skip-build)`);
  const pack = run(npm, ['pack', '--json', '--pack-destination', tarballDir], { cwd: dir });
  if (!pack.ok) fail(`npm pack failed for ${manifest.name}:\n${pack.output}`);
  const [packed] = JSON.parse(pack.stdout);
  const missing = entryFilesOf(manifest).filter((file) => !packed.files.some((entry) => entry.path === file));
  if (missing.length > 0)
    fail(`${manifest.name}: the tarball lacks ${missing.join(', ')} named in package.json (incomplete build?)`);
  tarballs.push(join(tarballDir, packed.filename));
  console.log(`packed ${manifest.name} (${(packed.size / 1024).toFixed(1)} kB, ${packed.entryCount} files)`);
}

// 3. Each consumer: a temp copy next to the shared helpers, the tarballs installed, its `npm test` run.
cpSync(join(consumersDir, 'shared'), join(work, 'shared'), { recursive: true });
cpSync(join(consumersDir, 'expected-exports.json'), join(work, 'expected-exports.json'));
const consumers = readdirSync(consumersDir)
  .filter((name) => name !== 'shared' && statSync(join(consumersDir, name)).isDirectory())
  .filter((name) => existsSync(join(consumersDir, name, 'package.json')))
  .filter((name) => !only || only.has(name));
if (only && consumers.length !== only.size)
  fail(`unknown consumer in --only; known: ${readdirSync(consumersDir).join(', ')}`);

const results = [];
for (const name of consumers) {
  const dir = join(work, name);
  cpSync(join(consumersDir, name), dir, { recursive: true });
  const started = Date.now();
  const install = run(
    npm,
    ['install', '--no-save', '--prefer-offline', '--no-package-lock', '--loglevel=error', ...tarballs],
    { cwd: dir },
  );
  if (!install.ok) {
    results.push({ name, ok: false, output: `npm install failed:\n${install.output}` });
    continue;
  }
  // The simulator package ships Qlik's specs: no environment points back at the repository.
  const test = run(npm, ['test', '--silent'], { cwd: dir });
  results.push({ name, ok: test.ok, output: test.output || String(test.error ?? ''), ms: Date.now() - started });

  // The same entry file under the other runtimes (consumers that type-check first are Node-only here).
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = /^node (\S+)$/.exec(manifest.scripts?.test ?? '')?.[1];
  for (const runtime of entry ? runtimeNames : []) {
    const runtimeStarted = Date.now();
    const { bin, args: argsFor } = runtimes[runtime];
    const result = run(bin, argsFor(entry), { cwd: dir, timeout: 3 * 60_000 });
    results.push({
      name: `${name} on ${runtime}`,
      ok: result.ok,
      output: result.output || String(result.error ?? ''),
      ms: Date.now() - runtimeStarted,
    });
  }
}

for (const { name, ok, output, ms } of results) {
  console.log(`\n${ok ? 'PASS' : 'FAIL'} ${name}${ms ? ` (${(ms / 1000).toFixed(1)} s)` : ''}`);
  process.stdout.write(output.replace(/^/gm, '  '));
}
if (keep) console.log(`\nkept ${work}`);
else rmSync(work, { recursive: true, force: true });

const failed = results.filter((result) => !result.ok);
if (results.length === 0) fail('no consumer projects found');
if (failed.length > 0)
  fail(`${failed.length} of ${results.length} consumers failed: ${failed.map((r) => r.name).join(', ')}`);
console.log(`\nconsumers-test: all ${results.length} consumers pass`);
