export type {
  ApiArgs,
  ApiBody,
  ApiCall,
  ApiClient,
  ApiContent,
  ApiData,
  ApiError,
  ApiInit,
  ApiMethod,
  ApiOperation,
  ApiParams,
  ApiParseAs,
  ApiParsedAs,
  ApiPathsWith,
  ApiRequestOptions,
  ApiRequiredKeys,
  ApiResponses,
  ApiResult,
  ApiSuccessStatus,
} from './api-client.js';
export type { AccessToken, TokenProvider } from './auth.js';
export { createScaledClock, sleep, systemClock, type Clock } from './clock.js';
export {
  QlikAuthError,
  QlikConflictError,
  QlikError,
  QlikHttpError,
  QlikNetworkError,
  QlikNotFoundError,
  QlikPageLimitError,
  QlikPermissionError,
  QlikRateLimitError,
  QlikTimeoutError,
  QlikValidationError,
  QlikWaitTimeoutError,
  formatIssuePath,
  errorFromResponse,
  isQlikAuthError,
  isQlikConflictError,
  isQlikDriftError,
  isQlikError,
  isQlikHttpError,
  isQlikNetworkError,
  isQlikNotFoundError,
  isQlikPageLimitError,
  isQlikPermissionError,
  isQlikRateLimitError,
  isQlikTimeoutError,
  isQlikValidationError,
  isQlikWaitTimeoutError,
  type QlikErrorItem,
  type QlikErrorKind,
  type QlikErrorOptions,
  type QlikHttpErrorInit,
  type RequestInfoForError,
  type ValidationIssue,
} from './errors.js';
export {
  createRateLimiter,
  DEFAULT_WINDOW_MINUTES,
  type PacingKey,
  type RateLimiter,
  type RateLimiterOptions,
} from './limiter.js';
export { silentLogger, type Logger } from './logger.js';
export {
  collectAll,
  paginate,
  type FetchResult,
  type Page,
  type PageFetcher,
  type PaginateOptions,
} from './pagination.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions, type RetryBudgetStats } from './retry-budget.js';
export { REDACTED, redactHeaders, redactText, redactUrl } from './redact.js';
export {
  DEFAULT_TIER,
  QLIK_TIERS,
  createTierResolver,
  type RateLimitTier,
  type TierResolver,
  type TierTableEntry,
} from './tiers.js';
export {
  createTransport,
  type CallOptions,
  type FetchFunction,
  type PacingOptions,
  type QlikFetch,
  type RetryOptions,
  type TransportOptions,
} from './transport.js';
export { waitUntil, type WaitUntilOptions } from './wait.js';
