// The in-memory journal store, with the same lease-based locks as the durable ones.
import { compactJournal } from './compact.js';
import { createInProcessCoordination } from './fleet-coordination.js';
import { acquireLease, type JournalLock, type LeaseBackend, type LeaseHolder, type LeaseOptions } from './lease.js';
import type { LockHolder } from './lock-error.js';
import type { JournalEntry, JournalStore } from './types.js';

/** A journal in memory: for tests, dry runs and callers who persist elsewhere. Lost when the process ends. */
export class MemoryJournalStore implements JournalStore {
  readonly #entries = new Map<string, JournalEntry[]>();
  readonly #leases = new Map<string, LeaseHolder>();
  readonly #leaseOptions: LeaseOptions;
  /** Tenant creates of every fleet on this store (all in this process). */
  readonly coordination = createInProcessCoordination();

  constructor(options: LeaseOptions = {}) {
    this.#leaseOptions = options;
  }

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

  /** A lease within this process; another store instance is another journal. */
  lock(customerId: string): Promise<JournalLock> {
    return acquireLease(customerId, this.#leaseBackend, this.#leaseOptions);
  }

  async compact(customerId: string): Promise<void> {
    const entries = this.#entries.get(customerId);
    if (entries) this.#entries.set(customerId, compactJournal(entries));
  }

  /** Customer ids that have at least one entry. */
  customerIds(): string[] {
    return [...this.#entries.keys()];
  }

  readonly #leaseBackend: LeaseBackend = {
    tryAcquire: async (customerId, holder): Promise<LockHolder | undefined> => {
      const current = this.#leases.get(customerId);
      if (current && Date.parse(current.expiresAt) > Date.now()) return current;
      this.#leases.set(customerId, holder);
      return undefined;
    },
    renew: async (customerId, holder) => {
      if (this.#leases.get(customerId)?.id !== holder.id) return false;
      this.#leases.set(customerId, holder);
      return true;
    },
    release: async (customerId, holder) => {
      if (this.#leases.get(customerId)?.id === holder.id) this.#leases.delete(customerId);
    },
  };
}

export function createMemoryJournalStore(options: LeaseOptions = {}): MemoryJournalStore {
  return new MemoryJournalStore(options);
}
