import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable naming a `specs/` directory (with `qlik-cloud/` and optionally `qrs/` inside). */
export const SPECS_ENV = 'QLIK_OEM_SIM_SPECS';

/** This module's directory, in both the ESM and the CJS build. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * The `specs/` directory the simulator validates against: `$QLIK_OEM_SIM_SPECS`, or the repository's
 * `specs/`, found by walking up from this module (src/spec in the sources, dist/ in the build). The
 * published package does not carry Qlik's spec files (Qlik states no licence for them).
 */
export function findSpecsRoot(): string | undefined {
  const fromEnv = process.env[SPECS_ENV];
  if (fromEnv) return resolve(fromEnv);
  let dir = moduleDir();
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'specs', 'qlik-cloud', 'users.json'))) return join(dir, 'specs');
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The Qlik Cloud spec directory (`<specs>/qlik-cloud`), or a clear error saying how to provide it. */
export function defaultSpecsDir(): string {
  const root = findSpecsRoot();
  const dir = root && join(root, 'qlik-cloud');
  if (dir && existsSync(join(dir, 'users.json'))) return dir;
  throw new Error(
    `Cannot find the Qlik Cloud specs (specs/qlik-cloud/*.json). Pass the specsDir option or set ${SPECS_ENV} to a ` +
      'directory holding qlik-cloud/<api>.json, downloaded from https://qlik.dev/specs/rest/<api>.json.',
  );
}
