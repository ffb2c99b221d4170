#!/usr/bin/env node
// Declarations for a package whose generated OpenAPI types are large (qlik-cloud, qrs): tsc emits one
// .d.ts per source file into dist/types/, once, and dist/index.d.ts and dist/index.d.cts only re-export
// it. A bundled declaration per format would carry the generated types twice (about 1 MB each).
// dist/types/ is CommonJS-format (its own package.json), which both the ESM and the CJS entry may import.
// Run from the package directory after tsup: node ../../scripts/emit-declarations.mjs [entry ...] [--entry-dir dir]
//   entry          dist/<entry>.d.ts and .d.cts re-export src/<entry>.ts (default: index)
//   --entry-dir d[:out]  and each src/<d>/<name>.ts is an entry too: dist/[<out>/]<name>.d.ts re-exports it
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values, positionals } = parseArgs({ options: { 'entry-dir': { type: 'string' } }, allowPositionals: true });
/** [name in dist/, module under src/ without its extension] */
const entries = (positionals.length > 0 ? positionals : ['index']).map((entry) => [entry, entry]);
if (values['entry-dir']) {
  const [entryDir, outDir] = values['entry-dir'].split(':');
  for (const file of readdirSync(join('src', entryDir))) {
    if (!file.endsWith('.ts')) continue;
    const name = file.slice(0, -'.ts'.length);
    entries.push([outDir ? `${outDir}/${name}` : name, `${entryDir}/${name}`]);
  }
}
const typesDir = join('dist', 'types');
rmSync(typesDir, { recursive: true, force: true });

// The package's build tsconfig (src/ only): tsconfig.build.json where tsconfig.json also covers tests.
const project = existsSync('tsconfig.build.json') ? 'tsconfig.build.json' : 'tsconfig.json';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const emit = spawnSync(
  process.execPath,
  [tsc, '-p', project, '--emitDeclarationOnly', '--declaration', '--noEmit', 'false', '--outDir', typesDir],
  { stdio: 'inherit' },
);
if (emit.status !== 0) process.exit(emit.status ?? 1);

// A generated module that declares only types is its own declaration: its source, as the codegen printed it
// (plain type literals on one line, which tsc's declaration printer would spread over many), replaces tsc's
// output. openapi-typescript indents by four spaces per level; dist/ has no indentation (a member per line and
// the braces keep the structure; about 20 kB of qlik-cloud's, which the per-path call signatures of its clients
// spend; src/generated keeps openapi-typescript's layout); a one-line JSDoc shares the line of what it documents,
// and a longer one starts on the line of its `/**` and ends on its last line (hovers read them the same).
const generatedDir = join(typesDir, 'generated');
const isTypeOnly = (statement) =>
  ts.isInterfaceDeclaration(statement) ||
  ts.isTypeAliasDeclaration(statement) ||
  (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly === true) ||
  (ts.isExportDeclaration(statement) && statement.isTypeOnly);
for (const file of existsSync(generatedDir) ? readdirSync(generatedDir) : []) {
  if (!file.endsWith('.d.ts')) continue;
  const path = join(generatedDir, file);
  const sourcePath = join('src', 'generated', file.replace(/\.d\.ts$/, '.ts'));
  const source = existsSync(sourcePath) ? readFileSync(sourcePath, 'utf8') : undefined;
  const parsed = source === undefined ? undefined : ts.createSourceFile(sourcePath, source, ts.ScriptTarget.Latest);
  const text =
    parsed && parsed.statements.length > 0 && parsed.statements.every(isTypeOnly)
      ? source.replace(/^(?:\/\/.*\n)+(?:\/\* eslint-disable \*\/\n)?\n*/, '') // the do-not-edit header: dist/ is not edited (nor linted) either
      : readFileSync(path, 'utf8');
  writeFileSync(
    path,
    text
      .replace(/^(?: {4})+/gm, '')
      .replace(/^( *)(\/\*\*(?:(?!\*\/).)*\*\/)\n */gm, '$1$2 ')
      .replace(/^( *)\/\*\*\n *\* /gm, '$1/** ')
      .replace(/^( *\* .*)\n *\*\/$/gm, '$1 */'),
  );
}

writeFileSync(join(typesDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
for (const [name, module] of entries) {
  const up = '../'.repeat(name.split('/').length - 1) || './';
  const reexport = `export * from '${up}types/${module}.js';\n`;
  mkdirSync(dirname(join('dist', name)), { recursive: true });
  writeFileSync(join('dist', `${name}.d.ts`), reexport);
  writeFileSync(join('dist', `${name}.d.cts`), reexport);
}
