import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // tsconfig.json also covers test/ for type-checking and lint; the build sees only src/.
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Keep `node:crypto` as written: bare `crypto` breaks Bun, edge runtimes and bundlers.
  removeNodeProtocol: false,
});
