// The build every SDK package shares; a package's tsup.config.ts names only what differs.
import type { Options } from 'tsup';

export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // tsconfig.json also covers test/ and scripts/ for type-checking and lint; the build sees only src/.
    tsconfig: 'tsconfig.build.json',
    clean: true,
    sourcemap: true,
    target: 'node20',
    // Keep `node:crypto` as written: bare `crypto` breaks Bun, edge runtimes and bundlers.
    removeNodeProtocol: false,
    ...overrides,
  };
}
