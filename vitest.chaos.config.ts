import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Chaos tests (worker processes SIGKILLed and restarted): `npm run test:chaos`, a bounded CI step of its own.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/*/chaos/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
