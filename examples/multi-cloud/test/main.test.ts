import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { realConfigFromEnv } from '../src/real.js';

const customersFile = fileURLToPath(new URL('../customers.json', import.meta.url));
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('examples/multi-cloud', () => {
  it('provisions the sample customers against the embedded simulator, journaling each one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'multi-cloud-example-'));
    const lines: string[] = [];
    const code = await main([customersFile], { JOURNAL_DIR: dir }, (line) => lines.push(line));
    expect(code, lines.join('\n')).toBe(0);
    for (const customer of ['acme', 'globex', 'initech']) {
      expect(
        lines.some(
          (line) => line.startsWith(customer) && / provisioned deployment [0-9a-f-]{36}, space [0-9a-f]+/.test(line),
        ),
        lines.join('\n'),
      ).toBe(true);
      expect(
        lines.some((line) => line.startsWith(`${customer}: placeApp update (`)),
        lines.join('\n'),
      ).toBe(true);
    }
    expect(lines.some((line) => line.startsWith('Spec violations'))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort()).toEqual([
      'acme.jsonl',
      'globex.jsonl',
      'initech.jsonl',
    ]);
    // The token is a secret: journaled redacted.
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'acme.jsonl'), 'utf8')).toContain('"outputs":{"token":"[REDACTED]"}');
  });

  it('names every missing variable for real systems, without printing values', () => {
    expect(() => realConfigFromEnv({ QSEOW_HOST: 'qlik.partner.com', QLIK_CLIENT_SECRET: 'hunter2' })).toThrow(
      /QSEOW_JWT_KEY_FILE.*QLIK_CLIENT_ID/,
    );
    try {
      realConfigFromEnv({ QSEOW_HOST: 'qlik.partner.com', QLIK_CLIENT_SECRET: 'hunter2' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
