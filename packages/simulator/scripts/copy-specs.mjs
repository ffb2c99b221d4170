#!/usr/bin/env node
// Build step: copies the repository's specs/qlik-cloud/ (the one source of truth) into this package's
// specs/qlik-cloud/ so `npm pack` ships them, after checking every file against SHA256SUMS.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(packageDir, '..', '..', 'specs', 'qlik-cloud');
const to = join(packageDir, 'specs', 'qlik-cloud');

const sums = readFileSync(join(from, 'SHA256SUMS'), 'utf8');
const listed = sums
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    if (!m) throw new Error(`specs/qlik-cloud/SHA256SUMS: malformed line ${JSON.stringify(line)}`);
    return { sha256: m[1], file: m[2] };
  });
const drifted = listed.filter(({ file, sha256 }) => {
  const path = join(from, file);
  return !existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== sha256;
});
if (drifted.length > 0) {
  console.error(
    `specs/qlik-cloud: ${drifted.map((d) => d.file).join(', ')} missing or not matching SHA256SUMS ` +
      '(after a deliberate refresh: cd specs/qlik-cloud && sha256sum *.json > SHA256SUMS)',
  );
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
const notes = ['SHA256SUMS', 'SOURCES.md', 'CODEGEN-NOTES.md', 'LICENSE.withdave-qc-specs.txt'];
for (const file of [...listed.map((l) => l.file), ...notes]) copyFileSync(join(from, file), join(to, file));
