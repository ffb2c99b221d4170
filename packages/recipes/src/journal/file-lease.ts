// Leases in a directory per customer, made safe by exclusive creates: every change of holder or expiry is a new generation file.
import { join } from 'node:path';
import type { LeaseBackend, LeaseHolder } from './lease.js';
import type { LockHolder } from './lock-error.js';
import { fsPromises } from './node-builtins.js';

interface Generation {
  number: number;
  /** Absent when the file is damaged: such a lease counts as run out. */
  record?: LeaseHolder & { released?: true };
}

/**
 * A customer's lease is the newest of the numbered files in its directory. Taking, renewing and
 * releasing it all create the next number with an exclusive create (`link`, which fails if the name
 * exists), so of two processes acting on the same generation exactly one succeeds: there is no
 * read-compare-replace window. Expiry is judged by the time written in the file, never by pid or host,
 * so a job restarted as PID 1 or in a new pod takes over once the old lease has run out.
 */
export class FileLeaseBackend implements LeaseBackend {
  readonly #directoryOf: (customerId: string) => string;
  /** The generation each holder id last wrote. */
  readonly #held = new Map<string, number>();

  constructor(directoryOf: (customerId: string) => string) {
    this.#directoryOf = directoryOf;
  }

  async tryAcquire(customerId: string, holder: LeaseHolder): Promise<LockHolder | undefined> {
    const directory = this.#directoryOf(customerId);
    await (await fsPromises()).mkdir(directory, { recursive: true });
    // A few rounds: a round is lost only to another process that moved the lease on meanwhile.
    for (let round = 0; round < 5; round++) {
      const top = await newest(directory);
      const record = top?.record;
      if (record && !record.released && Date.parse(record.expiresAt) > Date.now()) return withoutFlags(record);
      const next = (top?.number ?? 0) + 1;
      if (await this.#claim(directory, holder, next)) return undefined;
    }
    const top = await newest(directory);
    return top?.record ? withoutFlags(top.record) : { pid: 0, host: 'unknown', since: new Date().toISOString() };
  }

  async renew(customerId: string, holder: LeaseHolder): Promise<boolean> {
    const current = this.#held.get(holder.id);
    if (current === undefined) return false;
    return this.#claim(this.#directoryOf(customerId), holder, current + 1);
  }

  async release(customerId: string, holder: LeaseHolder): Promise<void> {
    const current = this.#held.get(holder.id);
    if (current === undefined) return;
    this.#held.delete(holder.id);
    const directory = this.#directoryOf(customerId);
    // Released is a generation too, so numbers only grow and a slow rival can never reuse one.
    if (await this.#write(directory, current + 1, { ...holder, released: true })) {
      await removeOlder(directory, current + 1);
    }
  }

  /** Creates generation `number` for `holder`; true when it is now the newest and ours. */
  async #claim(directory: string, holder: LeaseHolder, number: number): Promise<boolean> {
    if (!(await this.#write(directory, number, holder))) {
      this.#held.delete(holder.id);
      return false;
    }
    // A generation removed as superseded can be created again by a late rival: newer ones then exist.
    const after = await generationNumbers(directory);
    if (after.some((other) => other > number)) {
      await (await fsPromises()).rm(join(directory, String(number)), { force: true });
      this.#held.delete(holder.id);
      return false;
    }
    this.#held.set(holder.id, number);
    await removeOlder(directory, number);
    return true;
  }

  /** Writes a complete file under a temporary name, then links it into place; false if the number exists. */
  async #write(directory: string, number: number, record: object): Promise<boolean> {
    const { link, open, rm } = await fsPromises();
    const temporary = join(directory, `.${crypto.randomUUID()}.tmp`);
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(JSON.stringify(record));
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, join(directory, String(number)));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }
}

async function generationNumbers(directory: string): Promise<number[]> {
  const { readdir } = await fsPromises();
  const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((name) => /^\d+$/.test(name)).map(Number);
}

async function newest(directory: string): Promise<Generation | undefined> {
  for (;;) {
    const numbers = await generationNumbers(directory);
    if (numbers.length === 0) return undefined;
    const number = Math.max(...numbers);
    let text: string;
    try {
      text = await (await fsPromises()).readFile(join(directory, String(number)), 'utf8');
    } catch (error) {
      // Removed between listing and reading: a newer generation exists, look again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    return { number, record: parseRecord(text) };
  }
}

async function removeOlder(directory: string, number: number): Promise<void> {
  const { rm } = await fsPromises();
  for (const other of await generationNumbers(directory)) {
    if (other < number) await rm(join(directory, String(other)), { force: true });
  }
}

function parseRecord(text: string): Generation['record'] {
  try {
    const value = JSON.parse(text) as Partial<LeaseHolder & { released: true }>;
    if (typeof value.id === 'string' && typeof value.expiresAt === 'string' && typeof value.pid === 'number') {
      return value as LeaseHolder & { released?: true };
    }
  } catch {
    // Damaged: counts as run out.
  }
  return undefined;
}

function withoutFlags(record: LeaseHolder & { released?: true }): LockHolder {
  const { released: _released, ...holder } = record;
  return holder;
}
