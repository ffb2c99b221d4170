// The committed CLI reference page is what the commands' help says today.
import { readFileSync } from 'node:fs';
import { cliReferenceMarkdown } from '@qlik-oem/cli';
import { describe, expect, it } from 'vitest';

describe('docs/guides/cli-reference.md', () => {
  it('is generated from the current help (run node scripts/docs-cli-reference.mjs after changing a command)', () => {
    const page = readFileSync(new URL('../../../docs/guides/cli-reference.md', import.meta.url), 'utf8');
    expect(page).toBe(cliReferenceMarkdown());
  });
});
