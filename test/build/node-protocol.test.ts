// The built packages import Node's built-ins with the `node:` prefix, as the sources do (tsup strips it by default).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../packages/', import.meta.url).pathname;
const bare = new Set(builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:')));
// `from "crypto"`, `import("crypto")`, `require("crypto")`, also subpaths such as `fs/promises`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function builtFiles(): string[] {
  const files: string[] = [];
  for (const pkg of readdirSync(root)) {
    const dist = join(root, pkg, 'dist');
    let names: string[];
    try {
      names = readdirSync(dist, { recursive: true }) as string[];
    } catch {
      continue; // not built (npm test builds first)
    }
    for (const name of names) if (/\.(c|m)?js$/.test(name)) files.push(join(dist, name));
  }
  return files;
}

describe('built packages', () => {
  it('keep the node: prefix on every import of a Node built-in', () => {
    const files = builtFiles();
    expect(files.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        const specifier = match[1]!;
        if (bare.has(specifier)) offenders.push(`${file.slice(root.length)}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
