import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

export default defineConfig(
  packageBuild({
    // The root, and the documented subpaths `./advanced` and `./tracing` (see README.md).
    entry: { index: 'src/index.ts', advanced: 'src/advanced.ts', tracing: 'src/tracing-entry.ts' },
    // One copy of each module for both formats (the CJS entries share chunks as the ESM ones do).
    splitting: true,
  }),
);
