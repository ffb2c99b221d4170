import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { replaceFileDurably } from '@qlik-oem/recipes';

describe('replaceFileDurably', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'durable-file-'));
    return () => rm(directory, { recursive: true, force: true });
  });

  it('replaces a file whole with the mode asked for, leaving no temporary file', async () => {
    const file = join(directory, 'state.json');
    await writeFile(file, 'old contents, longer than the new ones', { mode: 0o644 });
    await replaceFileDurably(file, '{"new":true}\n', { mode: 0o600 });
    expect(await readFile(file, 'utf8')).toBe('{"new":true}\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('leaves the old file and no temporary one when the write fails', async () => {
    const file = join(directory, 'missing-directory', 'state.json');
    await expect(replaceFileDurably(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(directory)).toEqual([]);
  });
});
