import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the library; advanced: its building blocks (`@qlik-oem/simulator/advanced`); cli: the
  // qlik-oem-sim executable (package.json "bin").
  entry: ['src/index.ts', 'src/advanced.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  // One copy of each module in both formats: a class from `./advanced` is the one the root uses.
  splitting: true,
  dts: true,
  // tsconfig.json also covers test/ for type-checking and lint; the build sees only src/.
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  // The specs directory is found relative to the module, in both ESM and CJS output.
  shims: true,
  target: 'node20',
  // Keep `node:crypto` as written: bare `crypto` breaks Bun, edge runtimes and bundlers.
  removeNodeProtocol: false,
});
