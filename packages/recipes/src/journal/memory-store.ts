import { hostname } from 'node:os';
import { CustomerLockedError } from './lock-error.js';
import type { JournalEntry, JournalStore } from './types.js';

/** A journal in memory: for tests, dry runs and callers who persist elsewhere. Lost when the process ends. */
export class MemoryJournalStore implements JournalStore {
  readonly #entries = new Map<string, JournalEntry[]>();
  readonly #locked = new Map<string, string>();

  async append(entry: JournalEntry): Promise<void> {
    // Stored as JSON, like any durable store would (a Secret becomes "[REDACTED]"), and copied so later
    // mutation of the caller's object cannot rewrite history.
    const copy = JSON.parse(JSON.stringify(entry)) as JournalEntry;
    const list = this.#entries.get(entry.customerId);
    if (list) list.push(copy);
    else this.#entries.set(entry.customerId, [copy]);
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    return structuredClone(this.#entries.get(customerId) ?? []);
  }

  async lock(customerId: string): Promise<() => Promise<void>> {
    const since = this.#locked.get(customerId);
    if (since !== undefined) throw new CustomerLockedError(customerId, { pid: process.pid, host: hostname(), since });
    this.#locked.set(customerId, new Date().toISOString());
    return async () => {
      this.#locked.delete(customerId);
    };
  }

  /** Customer ids that have at least one entry. */
  customerIds(): string[] {
    return [...this.#entries.keys()];
  }
}

export function createMemoryJournalStore(): MemoryJournalStore {
  return new MemoryJournalStore();
}
