import { QlikHttpError } from '@qlik-oem/core';

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

/** A QRS filter string literal: single quotes doubled. */
export function filterLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
