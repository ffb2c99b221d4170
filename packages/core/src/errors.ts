// The SDK's error taxonomy, one file per family under errors/; this module is their single import point.
export { QlikError, type QlikErrorKind, type QlikErrorOptions } from './errors/base.js';
export { parseErrorBody, parseRetryAfter } from './errors/body.js';
export * from './errors/guards.js';
export {
  QlikAuthError,
  QlikConflictError,
  QlikHttpError,
  QlikNotFoundError,
  QlikPermissionError,
  QlikRateLimitError,
  errorFromResponse,
  recordResponseRequest,
  type QlikErrorItem,
  type QlikHttpErrorInit,
  type RequestInfoForError,
} from './errors/http.js';
export { QlikPageLimitError } from './errors/page-limit.js';
export { QlikNetworkError, QlikTimeoutError } from './errors/request.js';
export { QlikValidationError, formatIssuePath, type ValidationIssue } from './errors/validation.js';
export { QlikWaitTimeoutError } from './errors/wait-timeout.js';
