import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Kill points (every request of a customer's chain, each followed by a resume): `npm run test:kill`, a bounded
// CI step of its own.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/*/kill/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
