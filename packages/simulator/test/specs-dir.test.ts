import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledSpecsDir, SpecsDirError, startSimulator } from '../src/index.js';
import { readSpecSums } from '../src/advanced.js';

const repoSpecs = fileURLToPath(new URL('../../../specs/qlik-cloud', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfSpecs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qlik-oem-specs-'));
  temps.push(dir);
  cpSync(bundledSpecsDir(), dir, { recursive: true });
  return dir;
}

describe('the spec files and their sha256 list', () => {
  it('lists every spec of the repository with its current sha256', () => {
    const sums = readSpecSums(repoSpecs);
    const files = readdirSync(repoSpecs).filter((f) => f.endsWith('.json'));
    expect([...sums.keys()].sort()).toEqual(files.sort());
    for (const file of files)
      expect(
        createHash('sha256')
          .update(readFileSync(join(repoSpecs, file)))
          .digest('hex'),
        file,
      ).toBe(sums.get(file));
  });

  it('starts from a specsDir holding the same files', async () => {
    const sim = await startSimulator({ specsDir: copyOfSpecs(), latency: false });
    expect(sim.routes().length).toBeGreaterThan(0);
    await sim.close();
  });

  it('refuses a specsDir with a drifted or a missing file, naming both', async () => {
    const dir = copyOfSpecs();
    const users = JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8'));
    users.info.version = '9.9.9';
    writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
    rmSync(join(dir, 'apps.json'));
    const started = startSimulator({ specsDir: dir, latency: false });
    await expect(started).rejects.toBeInstanceOf(SpecsDirError);
    await expect(started).rejects.toThrow(/apps\.json is missing; .*users\.json has sha256 [0-9a-f]{64}, expected/);
    const error = (await started.catch((e: unknown) => e)) as SpecsDirError;
    expect(error.problems.map((p) => [p.file, p.problem])).toEqual([
      ['apps.json', 'missing'],
      ['users.json', 'drifted'],
    ]);
  });
});
