import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = [
  'core',
  'qlik-cloud',
  'qrs',
  'distribution',
  'engine',
  'recipes',
  'simulator',
  'cli',
  'journal-stores',
  'fleet-bullmq',
];

const subpaths = [
  ['core', 'advanced', 'advanced.ts'],
  ['core', 'tracing', 'tracing-entry.ts'],
  ['simulator', 'advanced', 'advanced.ts'],
  ['recipes', 'schemas', 'schemas.ts'],
  ['recipes', 'steps', 'steps.ts'],
  ['recipes', 'assessment', 'assessment.ts'],
];

// Tests run against the TypeScript sources of every workspace package, so a change in one package is
// seen by the others' tests without a rebuild. Tests that spawn child processes use the built `dist/`.
export default defineConfig({
  resolve: {
    alias: [
      // Documented subpath exports: [package, subpath, source file].
      ...subpaths.map(([name, subpath, file]) => ({
        find: new RegExp(`^@qlik-oem/${name}/${subpath}$`),
        replacement: fileURLToPath(new URL(`./packages/${name}/src/${file}`, import.meta.url)),
      })),
      ...packages.map((name) => ({
        find: new RegExp(`^@qlik-oem/${name}$`),
        replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
      })),
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The docs site test needs Chromium and a built site: `npm run test:docs`; pages in Chromium run
    // with `npm run test:browser` (CI runs both).
    exclude: ['**/node_modules/**', 'test/docs/**', 'test/browser/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/fast-check-seed.ts'],
  },
});
