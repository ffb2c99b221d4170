import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

export default defineConfig(
  packageBuild({
    // Declarations: scripts/emit-declarations.mjs (the generated OpenAPI types once, not once per format).
    dts: false,
    // import.meta.url in the CJS build (undici is required on first use).
    shims: true,
    // Bundled: required from our CJS build, openapi-fetch's `exports.default` is read as the whole module
    // (esbuild's Node interop for a "type": "module" package), so `createClient` would not be a function.
    noExternal: ['openapi-fetch'],
  }),
);
