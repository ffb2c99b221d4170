// A least-recently-used cache of at most `max` entries over a Map, whose insertion order is the recency order.
// The recipes need only get and set; lru-cache, which they used before, took 3–4 ms of every cold import of
// `@qlik-oem/recipes` (the environment's caches are built at once), more than the environment's own code.

export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly max: number) {}

  /** The value, which becomes the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores the value as the most recently used, dropping the least recently used entry beyond `max`. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
