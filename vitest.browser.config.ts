import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Pages in headless Chromium (the assessment report): `npm run test:browser`; CI runs it after installing Chromium.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/browser/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
