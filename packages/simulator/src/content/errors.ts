/**
 * Errors raised by the content logic. They carry status, code and title but not a body: each API
 * shapes its error body differently (data-connections wants a numeric `status`, web-integrations a
 * string one), so the route layer renders them per API (`renderContentError`).
 */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(`${status} ${code}: ${title}${detail ? ` (${detail})` : ''}`);
  }
}

export const notFoundError = (what: string): ContentError =>
  new ContentError(404, 'HTTP-404', 'Not found', `${what} not found`);
export const badRequestError = (detail: string): ContentError =>
  new ContentError(400, 'HTTP-400', 'Bad request', detail);
export const conflictError = (detail: string, code = 'HTTP-409'): ContentError =>
  new ContentError(409, code, 'Conflict', detail);
