import { cpSync, existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

const SPECS = '../../specs/qlik-cloud';

export default defineConfig({
  // index: the library; cli: the qlik-oem-sim executable (package.json "bin").
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // The specs directory is found relative to the module, in both ESM and CJS output.
  shims: true,
  target: 'node20',
  // The published package carries the specs it validates against (with their provenance and licence).
  async onSuccess() {
    if (existsSync(SPECS)) cpSync(SPECS, 'dist/specs/qlik-cloud', { recursive: true });
  },
});
