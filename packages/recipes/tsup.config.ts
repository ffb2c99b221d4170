import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// One entry per `exports` subpath. The root loads the schemas (`schemas`) and the recipes' implementation (the
// modules `steps` and `assessment` import) on first use, as chunks of their own.
export default defineConfig(
  packageBuild({ entry: ['src/index.ts', 'src/schemas.ts', 'src/steps.ts', 'src/assessment.ts'], splitting: true }),
);
