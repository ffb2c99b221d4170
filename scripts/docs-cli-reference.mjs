#!/usr/bin/env node
// Writes docs/guides/cli-reference.md from the qlik-oem commands' help (needs `npm run build`).
// `--check`: exit 1 when the committed page differs from what the commands say.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliReferenceMarkdown } from '../packages/cli/dist/index.js';

const page = fileURLToPath(new URL('../docs/guides/cli-reference.md', import.meta.url));
const generated = cliReferenceMarkdown();
if (process.argv.includes('--check')) {
  if (readFileSync(page, 'utf8') !== generated) {
    console.error('docs/guides/cli-reference.md is out of date: run node scripts/docs-cli-reference.mjs');
    process.exit(1);
  }
} else writeFileSync(page, generated);
