// Durable file writes for the file journal and other local stores: replace a file whole, or not at all, and sync its directory.
import { dirname } from 'node:path';
import { fsPromises } from './node-builtins.js';

export interface ReplaceFileOptions {
  /** The new file's mode (e.g. `0o600` for a secret), set on the file itself so the umask does not weaken it. */
  mode?: number;
}

/**
 * Writes `contents` to a temporary file in the same directory (synced, with `mode` if given) and renames it
 * over `path`, then syncs the directory: a kill at any moment leaves either the old file or the new one, never
 * a part of one. What the file journal's compaction uses; a store of your own (secrets, state) may too.
 */
export async function replaceFileDurably(
  path: string,
  contents: string,
  options: ReplaceFileOptions = {},
): Promise<void> {
  const { open, rename, rm } = await fsPromises();
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    const handle = await open(temporary, 'wx', options.mode);
    try {
      await handle.writeFile(contents);
      // The mode given to open() is masked by the umask.
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  await syncDirectory(dirname(path));
}

/** Makes a new or renamed directory entry durable (best effort: not every platform can open a directory). */
export async function syncDirectory(directory: string): Promise<void> {
  const { open } = await fsPromises();
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the file itself is still synced and the rename atomic.
  }
}
