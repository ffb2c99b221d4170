/**
 * Caps parallel engine sessions per key (host + user). Waiters are served first come, first served;
 * a waiter whose signal aborts leaves the queue.
 */
export class SessionLimiter {
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, Array<{ limit: number; grant: () => void }>>();

  /** Sessions currently holding a slot under `key`. */
  active(key: string): number {
    return this.#active.get(key) ?? 0;
  }

  /** Waits for a slot under `key` (at most `limit` at a time); resolves with the function that frees it. */
  acquire(key: string, limit: number, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#active.set(key, this.active(key) + 1);
        resolve(this.#releaser(key));
      };
      const onAbort = (): void => {
        const queue = this.#waiting.get(key) ?? [];
        const index = queue.findIndex((waiter) => waiter.grant === grant);
        if (index !== -1) queue.splice(index, 1);
        reject(signal?.reason);
      };
      if (this.active(key) < limit && (this.#waiting.get(key)?.length ?? 0) === 0) {
        grant();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.#waiting.get(key) ?? [];
      queue.push({ limit, grant });
      this.#waiting.set(key, queue);
    });
  }

  #releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = this.active(key) - 1;
      if (remaining <= 0) this.#active.delete(key);
      else this.#active.set(key, remaining);
      this.#drain(key);
    };
  }

  #drain(key: string): void {
    const queue = this.#waiting.get(key);
    while (queue && queue.length > 0 && this.active(key) < (queue[0]?.limit ?? 0)) {
      queue.shift()?.grant();
    }
    if (queue?.length === 0) this.#waiting.delete(key);
  }
}

/** The limiter sessions share unless given their own. */
export const defaultSessionLimiter = new SessionLimiter();
