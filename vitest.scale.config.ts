import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Fleets at scale (a 150-customer multi-cloud first run): `npm run test:scale`, a bounded CI step of its own.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/*/scale/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
