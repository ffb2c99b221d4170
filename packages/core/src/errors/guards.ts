// Type guards by kind: they read the brand symbol, so they work across duplicate installs of the package.
import { kindOf, type QlikError } from './base.js';
import type {
  QlikAuthError,
  QlikConflictError,
  QlikHttpError,
  QlikNotFoundError,
  QlikPermissionError,
  QlikRateLimitError,
} from './http.js';
import type { QlikPageLimitError } from './page-limit.js';
import type { QlikNetworkError, QlikTimeoutError } from './request.js';
import type { QlikValidationError } from './validation.js';
import type { QlikWaitTimeoutError } from './wait-timeout.js';

const HTTP_KINDS: ReadonlySet<string> = new Set(['http', 'rate-limit', 'auth', 'permission', 'not-found', 'conflict']);

export const isQlikError = (error: unknown): error is QlikError => kindOf(error) !== undefined;
export const isQlikHttpError = (error: unknown): error is QlikHttpError => HTTP_KINDS.has(kindOf(error) ?? '');
export const isQlikRateLimitError = (error: unknown): error is QlikRateLimitError => kindOf(error) === 'rate-limit';
export const isQlikAuthError = (error: unknown): error is QlikAuthError => kindOf(error) === 'auth';
export const isQlikPermissionError = (error: unknown): error is QlikPermissionError => kindOf(error) === 'permission';
export const isQlikNotFoundError = (error: unknown): error is QlikNotFoundError => kindOf(error) === 'not-found';
export const isQlikConflictError = (error: unknown): error is QlikConflictError => kindOf(error) === 'conflict';
export const isQlikTimeoutError = (error: unknown): error is QlikTimeoutError => kindOf(error) === 'timeout';
export const isQlikNetworkError = (error: unknown): error is QlikNetworkError => kindOf(error) === 'network';
export const isQlikValidationError = (error: unknown): error is QlikValidationError => kindOf(error) === 'validation';
export const isQlikPageLimitError = (error: unknown): error is QlikPageLimitError => kindOf(error) === 'page-limit';
export const isQlikWaitTimeoutError = (error: unknown): error is QlikWaitTimeoutError =>
  kindOf(error) === 'wait-timeout';
/** A server's answer did not have the shape the SDK was written against (an unsupported API that changed). */
export const isQlikDriftError = (error: unknown): error is QlikError => kindOf(error) === 'drift';
