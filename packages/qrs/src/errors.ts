import { QlikHttpError, isQlikConflictError, sleep } from '@qlik-oem/core';

/** An openapi-fetch result; a helper throws the typed HTTP error instead of returning `{ error }`. */
export interface FetchResultLike<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns `data`, or throws the core error for the status (404 → QlikNotFoundError, 409 → QlikConflictError, …). */
export function dataOrThrow<T>(result: FetchResultLike<T>, method: string): T {
  if (!result.response.ok || result.error !== undefined) {
    // QRS answers errors in plain text; carry a short excerpt as the error's title.
    const body =
      typeof result.error === 'string' && result.error.trim()
        ? { title: result.error.trim().slice(0, 300) }
        : result.error;
    throw QlikHttpError.fromResponse(result.response, body, { method, url: result.response.url });
  }
  return result.data as T;
}

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

/**
 * QRS optimistic concurrency: read the entity, change it, PUT it with the `modifiedDate` that was read; on 409 someone
 * else wrote in between, so read again and re-apply the change. `change` returns undefined when nothing needs writing.
 * Re-reads wait a jittered, growing pause: writers that collided (a fleet's customers on one shared app or custom
 * property) spread out instead of colliding again at once.
 */
export async function updateWithConflictRetry<T>(
  steps: { read: () => Promise<T>; change: (current: T) => T | undefined; write: (next: T) => Promise<T> },
  options: ConflictRetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 12;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const random = options.random ?? Math.random;
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
}

/** A QRS filter string literal: single quotes doubled. */
export function filterLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
