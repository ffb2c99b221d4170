// QRS optimistic concurrency: read-change-write with the modifiedDate that was read, in turns per entity, re-read on 409.
import { isQlikConflictError, sleep } from '@qlik-oem/core';

export interface ConflictRetryOptions {
  /** Attempts in total. Default 12. */
  maxAttempts?: number;
  /** First pause before a re-read, doubled per conflict up to `maxDelayMs` (full jitter). Default 25 ms. */
  baseDelayMs?: number;
  /** Longest pause. Default 2 s. */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

export interface ConflictRetrySteps<T> {
  read: () => Promise<T>;
  /** The entity to write, or undefined when nothing needs writing. */
  change: (current: T) => T | undefined;
  write: (next: T) => Promise<T>;
  /**
   * Names the entity (e.g. `${qrs.baseUrl}/app/${id}`). Updates of one entity from this process then take turns, so
   * a fleet's customers writing one shared app or custom property never collide with each other; a 409 can then only
   * come from another process or a person, which the re-read handles.
   */
  entity?: string;
}

/** The last queued update per entity; an entry leaves when its queue empties, so the map stays small. */
const turns = new Map<string, Promise<void>>();

async function inTurn<T>(entity: string | undefined, work: () => Promise<T>): Promise<T> {
  if (entity === undefined) return work();
  const mine = (turns.get(entity) ?? Promise.resolve()).then(work);
  const done = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(entity, done);
  try {
    return await mine;
  } finally {
    if (turns.get(entity) === done) turns.delete(entity);
  }
}

/**
 * Reads the entity, changes it, PUTs it with the `modifiedDate` that was read; on 409 someone else wrote in between, so
 * it reads again and re-applies the change. Re-reads wait a jittered, growing pause: writers in other processes that
 * collided spread out instead of colliding again at once.
 */
export async function updateWithConflictRetry<T>(
  steps: ConflictRetrySteps<T>,
  options: ConflictRetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 12;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const random = options.random ?? Math.random;
  return inTurn(steps.entity, async () => {
    for (let attempt = 1; ; attempt++) {
      const current = await steps.read();
      const next = steps.change(current);
      if (next === undefined) return current;
      try {
        return await steps.write(next);
      } catch (error) {
        if (!isQlikConflictError(error) || attempt >= maxAttempts) throw error;
        await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  });
}
