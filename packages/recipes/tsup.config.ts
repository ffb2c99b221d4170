import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// `schemas` is its own entry (`@qlik-oem/recipes/schemas`); the root loads the same chunk on first validation.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/schemas.ts'] }));
