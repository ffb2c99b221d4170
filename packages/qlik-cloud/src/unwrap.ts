import { QlikHttpError } from '@qlik-oem/core';

/** The `data` type of an openapi-fetch result's success branch (`undefined` for bodiless responses such as 204). */
export type UnwrappedData<R> = [Extract<R, { error?: never }>] extends [{ data: infer D }]
  ? [D] extends [never]
    ? undefined
    : D
  : [Extract<R, { error?: never }>] extends [{ data?: infer D }]
    ? [D] extends [never]
      ? undefined
      : D
    : never;

/**
 * Returns `data` of a successful openapi-fetch result, or throws the matching QlikHttpError
 * (QlikAuthError for 401, QlikPermissionError for 403, QlikNotFoundError for 404, QlikConflictError for 409, QlikRateLimitError for 429).
 * For responses without a body (204), it returns undefined.
 */
export function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(result: R): UnwrappedData<R> {
  if (result.response.ok && result.error === undefined) return result.data as UnwrappedData<R>;
  throw QlikHttpError.fromResponse(result.response, result.error);
}
