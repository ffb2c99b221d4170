import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

export default defineConfig(
  packageBuild({
    // import.meta.url in the CJS build (the QIX schema is loaded with createRequire).
    shims: true,
  }),
);
