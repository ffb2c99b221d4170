import { cpSync, existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

const SPECS = ['qlik-cloud', 'qrs'];

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
    for (const name of SPECS) {
      const from = `../../specs/${name}`;
      if (existsSync(from)) cpSync(from, `dist/specs/${name}`, { recursive: true });
    }
  },
});
