// Where the Qlik Cloud specs come from: the copies this package ships, or a directory the caller names,
// either way checked file by file against the shipped SHA256SUMS.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The list of spec files and their sha256, beside the specs (the format of `sha256sum`). */
export const SPEC_SUMS_FILE = 'SHA256SUMS';

/** A spec directory that lacks a listed file or holds a file whose bytes differ from the shipped copy. */
export class SpecsDirError extends Error {
  override readonly name = 'SpecsDirError';
  constructor(
    readonly dir: string,
    readonly problems: ReadonlyArray<{
      file: string;
      problem: 'missing' | 'drifted';
      expected: string;
      actual?: string;
    }>,
  ) {
    super(
      `The spec directory ${dir} does not hold the specs this simulator implements: ` +
        problems
          .map((p) =>
            p.problem === 'missing'
              ? `${p.file} is missing`
              : `${p.file} has sha256 ${p.actual ?? '?'}, expected ${p.expected}`,
          )
          .join('; ') +
        `. The expected files and sha256 values are in ${SPEC_SUMS_FILE} of @qlik-oem/simulator's specs/qlik-cloud/.`,
    );
  }
}

/** This module's directory, in both the ESM and the CJS build. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * The spec copies shipped with this package: `specs/qlik-cloud/` in the package (copied there by the
 * build), or, when running from the sources before a build, the repository's `specs/qlik-cloud/`.
 * The search stops four levels up, so it never reaches into the project that installed the package.
 */
export function bundledSpecsDir(): string {
  let dir = moduleDir();
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'specs', 'qlik-cloud');
    if (existsSync(join(candidate, SPEC_SUMS_FILE))) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error(
    `@qlik-oem/simulator is incomplete: its specs/qlik-cloud/${SPEC_SUMS_FILE} is missing (reinstall the package).`,
  );
}

/** The files listed in `<dir>/SHA256SUMS`: file name to sha256. */
export function readSpecSums(dir: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(dir, SPEC_SUMS_FILE), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    if (m) sums.set(m[2] as string, m[1] as string);
  }
  return sums;
}

/** Throws a `SpecsDirError` naming every listed file that `dir` lacks or holds with other bytes. */
export function verifySpecsDir(dir: string, expected: Map<string, string> = readSpecSums(bundledSpecsDir())): void {
  const problems: Array<{ file: string; problem: 'missing' | 'drifted'; expected: string; actual?: string }> = [];
  for (const [file, sha256] of expected) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      problems.push({ file, problem: 'missing', expected: sha256 });
      continue;
    }
    const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (actual !== sha256) problems.push({ file, problem: 'drifted', expected: sha256, actual });
  }
  if (problems.length > 0) throw new SpecsDirError(dir, problems);
}

/** The verified Qlik Cloud spec directory: `override` when given, else the shipped copies. */
export function resolveSpecsDir(override?: string): string {
  const dir = override === undefined ? bundledSpecsDir() : resolve(override);
  verifySpecsDir(dir);
  return dir;
}
