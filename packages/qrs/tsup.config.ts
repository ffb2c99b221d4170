import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Declarations: scripts/emit-declarations.mjs (the generated OpenAPI types once, not once per format).
  dts: false,
  // tsconfig.json also covers test/ for type-checking and lint; the build sees only src/.
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Keep `node:crypto` as written: bare `crypto` breaks Bun, edge runtimes and bundlers.
  removeNodeProtocol: false,
  // import.meta.url in the CJS build (undici is required on first use).
  shims: true,
  // Bundled: required from our CJS build, openapi-fetch's `exports.default` is read as the whole module
  // (esbuild's Node interop for a "type": "module" package), so `createClient` would not be a function.
  noExternal: ['openapi-fetch'],
});
