import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// One entry per `exports` subpath. The root loads the recipes' implementation (the modules `steps` and `assessment`
// import) and the schemas on first use.
//
// The other entries and the implementation start with `import './index.js'`. esbuild puts each module in a chunk by
// the set of entries whose import graphs reach it, bare imports included. Without those imports the root's modules
// fell into seven chunks (each reached by a different set of entries), and `import('@qlik-oem/recipes')` resolved,
// read and linked all seven: about a quarter of its cold import (bench/peers). With them, the root's modules are one
// chunk that every entry shares. The package has no side effects (`sideEffects: false`), so esbuild emits no code
// for those imports and would warn about each; the warning is silenced. test/import-path.test.ts checks the result.
export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/schemas.ts', 'src/steps.ts', 'src/assessment.ts'],
    splitting: true,
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, 'ignored-bare-import': 'silent' };
    },
  }),
);
