// The default journal store: one JSON-lines file per customer, with lease files for its lock.
import { join, resolve } from 'node:path';
import { compactJournal } from './compact.js';
import { FileLeaseBackend } from './file-lease.js';
import { createInProcessCoordination } from './fleet-coordination.js';
import { JsonLinesFile } from './json-lines-file.js';
import { acquireLease, type JournalLock, type LeaseOptions } from './lease.js';
import { isJournalEntry, type JournalEntry, type JournalStore } from './types.js';

export interface FileJournalStoreOptions extends LeaseOptions {
  /** Directory for the journal files, one `<customerId>.jsonl` per customer. Created when needed. */
  directory: string;
}

/**
 * The default journal: one append-only JSON-lines file per customer, each entry fsync'd before
 * `append` resolves. A kill at any instant leaves at most one torn last line, which `read` ignores.
 *
 * `lock` keeps two runs (in this or other processes sharing the directory) from provisioning one customer
 * at once: a lease in `<customerId>.lease/`, renewed while the run works and taken over only after it ran
 * out, whatever pid or host the next run has.
 */
export class FileJournalStore implements JournalStore {
  readonly directory: string;
  readonly #files = new Map<string, JsonLinesFile>();
  readonly #leaseOptions: LeaseOptions;
  readonly #leases = new FileLeaseBackend((customerId) => join(this.directory, `${encodeFileName(customerId)}.lease`));
  /**
   * Tenant creates coordinated within this process only: processes sharing a directory share leases, not this.
   * A fleet of processes uses a PostgreSQL or Redis store (`@qlik-oem/journal-stores`).
   */
  readonly coordination = createInProcessCoordination();

  constructor(options: FileJournalStoreOptions) {
    this.directory = resolve(options.directory);
    const { directory: _directory, ...leaseOptions } = options;
    this.#leaseOptions = leaseOptions;
  }

  append(entry: JournalEntry): Promise<void> {
    return this.#file(entry.customerId).append(entry);
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    const records = await this.#file(customerId).readAll();
    return records.filter(isJournalEntry).filter((entry) => entry.customerId === customerId);
  }

  lock(customerId: string): Promise<JournalLock> {
    return acquireLease(customerId, this.#leases, this.#leaseOptions);
  }

  /** Rewrites the customer's file without superseded lines (a new file renamed over the old one). */
  async compact(customerId: string): Promise<void> {
    const file = this.#file(customerId);
    await file.rewrite((records) => {
      const entries = records.filter(isJournalEntry).filter((entry) => entry.customerId === customerId);
      const kept = compactJournal(entries);
      // Foreign lines are kept as they were; nothing to do when nothing would be dropped.
      if (kept.length === entries.length) return undefined;
      const dropped = new Set<unknown>(entries);
      for (const entry of kept) dropped.delete(entry);
      return records.filter((record) => !dropped.has(record));
    });
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
