import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The docs site test: headless Chromium over the built site (`npm run docs:build`).
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/docs/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
