import type { SerializedError } from '../serialize-error.js';
import type { FleetCoordination } from './fleet-coordination.js';
import type { JournalLock } from './lease.js';

/** Journal format version, written on every entry so old journals stay readable. */
export const JOURNAL_VERSION = 1;

export interface EntryBase {
  v: typeof JOURNAL_VERSION;
  /** One id per `applyRecipe` call; a resumed run gets a new one. */
  runId: string;
  customerId: string;
  recipe: string;
  /** ISO timestamp. */
  at: string;
}

export type RunStatus = 'provisioned' | 'unchanged' | 'failed' | 'aborted';

export type JournalEntry =
  /** `inputHash`: SHA-256 of the validated input (secrets redacted), so a resume only trusts work done for the same input. */
  | (EntryBase & { type: 'run:start'; inputHash?: string })
  /** Written BEFORE a step writes, with the marker that finds the resource again if the run dies here. */
  | (EntryBase & { type: 'step:intent'; step: string; action: 'create' | 'update'; marker?: string })
  /** Written AFTER the step finished; `action: 'none'` means it found nothing to do. */
  | (EntryBase & { type: 'step:done'; step: string; action: 'none' | 'create' | 'update'; outputs: unknown })
  | (EntryBase & { type: 'step:fail'; step: string; error: SerializedError })
  | (EntryBase & { type: 'run:done'; status: RunStatus });

/**
 * Where the runner keeps its journal. `append` must be durable when its promise resolves (the runner
 * starts the next write only after that); `read` returns one customer's entries in append order.
 * Implement it over your own database to keep journals next to your customer records.
 */
export interface JournalStore {
  append(entry: JournalEntry): Promise<void>;
  read(customerId: string): Promise<JournalEntry[]>;
  /**
   * Optional: holds a customer exclusively for one run and returns the function that releases it.
   * Throw a `CustomerLockedError` when another run holds it. Implement it (e.g. with a database lease
   * row, see `acquireLease`) if two processes could ever provision the same customer at once. When the
   * returned function carries a `lease`, the run stops (and writes nothing more) once that lease is lost.
   */
  lock?(customerId: string): Promise<JournalLock>;
  /**
   * Optional: drops the entries a finished run superseded (`compactJournal` says which), so a journal
   * stays bounded however often a converged customer is run. The runner calls it, still holding the
   * lock, after a run that ended `provisioned` or `unchanged`. Must leave the journal whole if it fails.
   */
  compact?(customerId: string): Promise<void>;
  /**
   * Optional: the coordination of tenant creates across every process sharing this store (a fleet-wide gate and
   * claims, see `FleetCoordination`). A fleet's ledger uses it to reconcile a lost tenant create as exactly as in one
   * process; without it the ledger only knows its own process's creates. A store only one process uses can offer
   * `createInProcessCoordination()`.
   */
  readonly coordination?: FleetCoordination;
}

/** Keeps entries that look like journal entries; anything else (foreign lines, newer versions) is ignored. */
export function isJournalEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    entry.v === JOURNAL_VERSION &&
    typeof entry.type === 'string' &&
    typeof entry.customerId === 'string' &&
    typeof entry.runId === 'string'
  );
}
