import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// What a partner's `import('@qlik-oem/recipes')` loads, in a fresh Node process and from the built package (dist/,
// as installed): what only some runs need stays off the import path (bench/peers measures the time it saves).
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'recipes-import-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Loaded {
  /** Every module URL Node loaded for the import (files and `node:` built-ins). */
  urls: string[];
  /** Node internals compiled for the import (`process.moduleLoadList`'s new entries). */
  internals: string[];
}

function coldImport(specifier: string): Loaded {
  const log = join(work, `${specifier.replace(/\W+/g, '-')}.log`);
  const hooks = join(work, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}`,
  );
  const script = `
import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const before = new Set(process.moduleLoadList);
await import(${JSON.stringify(specifier)});
process.stdout.write(JSON.stringify(process.moduleLoadList.filter((name) => !before.has(name))));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  const internals = (JSON.parse(stdout) as string[])
    .filter((name) => name.startsWith('NativeModule '))
    .map((name) => name.slice('NativeModule '.length));
  return { urls: readFileSync(log, 'utf8').trim().split('\n'), internals };
}

describe("import('@qlik-oem/recipes') (built)", () => {
  it('loads two files of its own and none of the libraries or Node built-ins that only some runs use', () => {
    if (!existsSync(join(repoRoot, 'packages/recipes/dist/index.js'))) {
      throw new Error('packages/recipes/dist is missing: run `npm run build` first');
    }
    const { urls, internals } = coldImport('@qlik-oem/recipes');
    const own = urls.filter((url) => url.includes('/packages/recipes/dist/'));
    expect(own.map((url) => url.replace(/.*\/dist\//, '').replace(/-[A-Z0-9]{8}\./, '-*.'))).toEqual([
      'index.js',
      'chunk-*.js',
    ]);
    // zod, jose, @noble/hashes, undici, enigma.js, ws: no library is loaded at all.
    expect(urls.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    for (const lazy of ['engine', 'qrs', 'distribution']) {
      expect(urls.filter((url) => url.includes(`/packages/${lazy}/`))).toEqual([]);
    }
    expect(internals.filter((name) => ['crypto', 'fs/promises', 'os', 'stream'].includes(name))).toEqual([]);
  });
});
