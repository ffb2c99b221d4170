import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This module's directory, in both the ESM and the CJS build. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * The repository's `specs/qlik-cloud/` directory, found by walking up from this module (src/spec in
 * the sources, dist/ in the build).
 */
export function defaultSpecsDir(): string {
  let dir = moduleDir();
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'specs', 'qlik-cloud');
    if (existsSync(join(candidate, 'users.json'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('Cannot find the Qlik Cloud specs (specs/qlik-cloud/); pass the specsDir option.');
}
