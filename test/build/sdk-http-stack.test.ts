// Tests of SDK behaviour go through the HTTP stack production uses: Node's fetch (undici) with the simulator's
// dispatcher (`sim.nodeFetch`, `sim.dispatcher`), never the simulator's node:http convenience `sim.fetch`,
// which has its own redirects and error codes. Only the simulator's own tests may use it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const THE_NODE_HTTP_FETCH = /\bsim\.fetch\b|\bcreateSimFetch\b/;
// The one exception: the packed-package consumers under Bun, whose fetch and undici stand-in ignore any
// dispatcher, so nothing but the node:http fetch reaches an in-process simulator there. Only on that branch.
const ON_BUN_ONLY = /globalThis\.Bun\s*\?\s*sim\.fetch\b/g;

/** Test and example code outside the simulator package (tracked files, so the scan sees what CI sees). */
function sdkFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f))
    .filter((f) => /^(packages\/[^/]+\/(test|chaos)\/|examples\/|test\/|bench\/|scripts\/)/.test(f))
    .filter((f) => !f.startsWith('packages/simulator/') && f !== 'test/build/sdk-http-stack.test.ts');
}

describe('the HTTP stack SDK tests run on', () => {
  it('finds test and example files to scan', () => {
    expect(sdkFiles().length).toBeGreaterThan(50);
  });

  it('no test, example or benchmark of the SDK sends through sim.fetch (node:http) instead of undici', () => {
    const offenders = sdkFiles().filter((f) =>
      THE_NODE_HTTP_FETCH.test(readFileSync(`${root}/${f}`, 'utf8').replace(ON_BUN_ONLY, '')),
    );
    expect(offenders).toEqual([]);
  });
});
