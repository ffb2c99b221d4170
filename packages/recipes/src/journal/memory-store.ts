import type { JournalEntry, JournalStore } from './types.js';

/** A journal in memory: for tests, dry runs and callers who persist elsewhere. Lost when the process ends. */
export class MemoryJournalStore implements JournalStore {
  readonly #entries = new Map<string, JournalEntry[]>();

  async append(entry: JournalEntry): Promise<void> {
    // Copy so later mutation of the caller's object cannot rewrite history.
    const copy = structuredClone(entry);
    const list = this.#entries.get(entry.customerId);
    if (list) list.push(copy);
    else this.#entries.set(entry.customerId, [copy]);
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    return structuredClone(this.#entries.get(customerId) ?? []);
  }

  /** Customer ids that have at least one entry. */
  customerIds(): string[] {
    return [...this.#entries.keys()];
  }
}

export function createMemoryJournalStore(): MemoryJournalStore {
  return new MemoryJournalStore();
}
