import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { CustomerLockedError, type LockHolder } from './lock-error.js';

/**
 * Takes an exclusive lock file for one customer. The file is created complete (written to a temporary
 * name, then hard-linked into place, which fails if the lock exists), so a reader never sees a half
 * written holder. A lock left by a process that died (same host, pid gone) is taken over.
 */
export async function acquireFileLock(path: string, customerId: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(JSON.stringify(holder));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // Two tries: the second after removing a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(temporary, path);
        return async () => {
          await rm(path, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const text = await readFile(path, 'utf8').catch(() => '');
        const current = parseHolder(text);
        if (current && isAlive(current)) throw new CustomerLockedError(customerId, current, path);
        // Stale (its process is gone) or unreadable: remove it, unless someone replaced it meanwhile.
        const again = await readFile(path, 'utf8').catch(() => '');
        if (again === text) await rm(path, { force: true });
      }
    }
    throw new CustomerLockedError(customerId, undefined, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return { pid: value.pid, host: value.host, since: value.since };
    }
  } catch {
    // Not ours or damaged: treated as stale.
  }
  return undefined;
}

/** A holder on another host cannot be checked, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
