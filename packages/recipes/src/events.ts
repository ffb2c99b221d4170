import type { SerializedError } from './serialize-error.js';

/** Every event names the customer and, for step events, the step. */
export interface RecipeEventMap {
  'customer:start': { customerId: string; recipe: string };
  'customer:done': {
    customerId: string;
    recipe: string;
    status: 'provisioned' | 'unchanged' | 'failed' | 'aborted';
    durationMs: number;
  };
  'step:start': { customerId: string; recipe: string; step: string };
  /** The step wrote something (created or updated a resource). */
  'step:done': { customerId: string; recipe: string; step: string; action: 'create' | 'update'; durationMs: number };
  /** The step found nothing to do (or was trusted from the journal) and wrote nothing. */
  'step:skip': { customerId: string; recipe: string; step: string; reason: string; trusted: boolean };
  'step:retry': {
    customerId: string;
    recipe: string;
    step: string;
    /** The attempt that just failed, 1-based. */
    attempt: number;
    delayMs: number;
    error: SerializedError;
  };
  'step:fail': { customerId: string; recipe: string; step: string; error: SerializedError };
}

export type RecipeEventName = keyof RecipeEventMap;

/** A discriminated union of all events, for a single `onEvent` callback. */
export type RecipeEvent = {
  [K in RecipeEventName]: { type: K } & RecipeEventMap[K];
}[RecipeEventName];

export type RecipeEventHandler<K extends RecipeEventName> = (event: RecipeEventMap[K]) => void;

/** A small typed event emitter. Handlers run synchronously; a throwing handler never breaks a run. */
export class RecipeEvents {
  readonly #handlers = new Map<RecipeEventName, Set<(event: never) => void>>();
  readonly #any = new Set<(event: RecipeEvent) => void>();

  /** Subscribes to one event; returns a function that unsubscribes. */
  on<K extends RecipeEventName>(name: K, handler: RecipeEventHandler<K>): () => void {
    let set = this.#handlers.get(name);
    if (!set) {
      set = new Set();
      this.#handlers.set(name, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** Subscribes to every event; returns a function that unsubscribes. */
  onAny(handler: (event: RecipeEvent) => void): () => void {
    this.#any.add(handler);
    return () => {
      this.#any.delete(handler);
    };
  }

  emit<K extends RecipeEventName>(name: K, payload: RecipeEventMap[K]): void {
    for (const handler of this.#handlers.get(name) ?? []) {
      safeCall(() => (handler as RecipeEventHandler<K>)(payload));
    }
    if (this.#any.size > 0) {
      const event = { type: name, ...payload } as RecipeEvent;
      for (const handler of this.#any) safeCall(() => handler(event));
    }
  }
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    // A progress UI bug must not fail a provisioning run.
  }
}
