import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// The root and one entry point per API (src/generated/entries/<api>.ts → dist/apis/<api>.js), as in package.json's
// exports (written by scripts/codegen.ts); `./base` has declarations of its own and the root's JS.
const apiEntries = Object.fromEntries(
  readdirSync('src/generated/entries')
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [`apis/${file.slice(0, -'.ts'.length)}`, `src/generated/entries/${file}`]),
);

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', ...apiEntries },
    // One copy of each module for both formats: the root and the API entry points share the connection and openapi-fetch.
    splitting: true,
    // Declarations: scripts/emit-declarations.mjs (the generated OpenAPI types once, not once per format).
    dts: false,
    // Bundled: required from our CJS build, openapi-fetch's `exports.default` is read as the whole module
    // (esbuild's Node interop for a "type": "module" package), so `createClient` would not be a function.
    noExternal: ['openapi-fetch'],
  }),
);
