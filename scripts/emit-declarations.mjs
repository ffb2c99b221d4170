#!/usr/bin/env node
// Declarations for a package whose generated OpenAPI types are large (qlik-cloud, qrs): tsc emits one
// .d.ts per source file into dist/types/, once, and dist/index.d.ts and dist/index.d.cts only re-export
// it. A bundled declaration per format would carry the generated types twice (about 1 MB each).
// dist/types/ is CommonJS-format (its own package.json), which both the ESM and the CJS entry may import.
// Run from the package directory after tsup: node ../../scripts/emit-declarations.mjs [entry ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const entries = process.argv.slice(2);
if (entries.length === 0) entries.push('index');
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

// openapi-typescript indents by four spaces; one per level keeps the structure and a third of the bytes.
const generatedDir = join(typesDir, 'generated');
for (const file of existsSync(generatedDir) ? readdirSync(generatedDir) : []) {
  if (!file.endsWith('.d.ts')) continue;
  const path = join(generatedDir, file);
  const text = readFileSync(path, 'utf8');
  writeFileSync(
    path,
    text.replace(/^(?: {4})+/gm, (indent) => ' '.repeat(indent.length / 4)),
  );
}

writeFileSync(join(typesDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
for (const entry of entries) {
  const reexport = `export * from './types/${entry}.js';\n`;
  writeFileSync(join('dist', `${entry}.d.ts`), reexport);
  writeFileSync(join('dist', `${entry}.d.cts`), reexport);
}
