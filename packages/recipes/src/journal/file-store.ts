import { join, resolve } from 'node:path';
import { acquireFileLock } from './file-lock.js';
import { JsonLinesFile } from './json-lines-file.js';
import { isJournalEntry, type JournalEntry, type JournalStore } from './types.js';

export interface FileJournalStoreOptions {
  /** Directory for the journal files, one `<customerId>.jsonl` per customer. Created when needed. */
  directory: string;
}

/**
 * The default journal: one append-only JSON-lines file per customer, each entry fsync'd before
 * `append` resolves. A kill at any instant leaves at most one torn last line, which `read` ignores.
 *
 * `lock` keeps two runs (in this or another process on this host) from provisioning one customer at once.
 */
export class FileJournalStore implements JournalStore {
  readonly directory: string;
  readonly #files = new Map<string, JsonLinesFile>();

  constructor(options: FileJournalStoreOptions) {
    this.directory = resolve(options.directory);
  }

  append(entry: JournalEntry): Promise<void> {
    return this.#file(entry.customerId).append(entry);
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    const records = await this.#file(customerId).readAll();
    return records.filter(isJournalEntry).filter((entry) => entry.customerId === customerId);
  }

  /** Takes `<customerId>.lock` next to the journal; a lock left by a dead process on this host is taken over. */
  lock(customerId: string): Promise<() => Promise<void>> {
    return acquireFileLock(join(this.directory, `${encodeFileName(customerId)}.lock`), customerId);
  }

  /** The file that holds one customer's journal. */
  pathFor(customerId: string): string {
    return join(this.directory, `${encodeFileName(customerId)}.jsonl`);
  }

  #file(customerId: string): JsonLinesFile {
    let file = this.#files.get(customerId);
    if (!file) {
      file = new JsonLinesFile(this.pathFor(customerId));
      this.#files.set(customerId, file);
    }
    return file;
  }
}

export function createFileJournalStore(options: FileJournalStoreOptions): FileJournalStore {
  return new FileJournalStore(options);
}

// Customer ids become file names: keep safe characters readable, escape everything else (no `..`, no `/`).
function encodeFileName(customerId: string): string {
  const encoded = customerId.replace(
    /[^A-Za-z0-9_-]/g,
    (char) => `%${char.codePointAt(0)!.toString(16).padStart(2, '0')}`,
  );
  return encoded === '' ? '%empty' : encoded;
}
