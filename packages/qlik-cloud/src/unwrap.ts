import { QlikHttpError } from '@qlik-oem/core';

/**
 * The `data` type of an openapi-fetch result's success branch (`undefined` for bodiless responses such as 204).
 * A typed client's result (`ApiResult`) has a required `data` only in its success branch, so one distributive
 * check finds it without reading the error branch's `error` (TypeScript computes that type only when read);
 * results whose `data` is optional everywhere take the older, costlier route through `Extract`.
 */
export type UnwrappedData<R> = (R extends { data: infer D } ? D : never) extends infer D
  ? [D] extends [never]
    ? UnwrappedOptionalData<R>
    : D
  : never;

/** `data` of a result whose `data` is optional in every branch (`undefined` when it is `never`). */
export type UnwrappedOptionalData<R> = [Extract<R, { error?: never }>] extends [{ data?: infer D }]
  ? [D] extends [never]
    ? undefined
    : D
  : never;

/**
 * Returns `data` of a successful openapi-fetch result, or throws the matching QlikHttpError
 * (QlikAuthError for 401, QlikPermissionError for 403, QlikNotFoundError for 404, QlikConflictError for 409, QlikRateLimitError for 429).
 * For responses without a body (204), it returns undefined.
 */
export function unwrap<R extends { data?: unknown; response: Response }>(result: R): UnwrappedData<R> {
  const { data, error } = result as R & { error?: unknown };
  if (result.response.ok && error === undefined) return data as UnwrappedData<R>;
  throw QlikHttpError.fromResponse(result.response, error);
}
