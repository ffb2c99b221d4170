import { redactUrl } from './redact.js';

/** Brand shared by every copy of this package, so guards work across duplicate installs. */
const BRAND = Symbol.for('@qlik-oem/core/error');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export type QlikErrorKind =
  | 'error'
  | 'http'
  | 'rate-limit'
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'timeout'
  | 'network'
  | 'validation'
  | 'page-limit';

const HTTP_KINDS: ReadonlySet<string> = new Set(['http', 'rate-limit', 'auth', 'not-found', 'conflict']);

/** One entry of Qlik's error body `{ errors: [{ code, title, detail, ... }] }`. */
export interface QlikErrorItem {
  code?: string;
  title?: string;
  detail?: string;
  status?: string | number;
  source?: { pointer?: string; parameter?: string };
  meta?: unknown;
}

export interface QlikErrorOptions {
  cause?: unknown;
}

/** Base of every error thrown by the SDK. Check with `isQlikError()` rather than `instanceof`. */
export class QlikError extends Error {
  override name = 'QlikError';

  constructor(message: string, options?: QlikErrorOptions, kind: QlikErrorKind = 'error') {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: kind, enumerable: false });
  }

  /** The error's kind, e.g. `'rate-limit'`; stable across package copies. */
  get kind(): QlikErrorKind {
    return (this as unknown as Record<symbol, QlikErrorKind>)[BRAND] ?? 'error';
  }

  /** Fields that are safe to serialise (no headers, no bodies, redacted URL). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message };
  }

  [INSPECT](): string {
    const fields = this.toJSON();
    const cause = this.cause instanceof Error ? `${this.cause.name}: ${this.cause.message}` : undefined;
    const body = JSON.stringify({ ...fields, ...(cause ? { cause } : {}) }, null, 2);
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${body}`;
  }
}

export interface RequestInfoForError {
  method?: string;
  url?: string;
}

export interface QlikHttpErrorInit extends QlikErrorOptions {
  status: number;
  statusText?: string;
  method?: string;
  url?: string;
  errors?: QlikErrorItem[];
  traceId?: string;
}

/** An HTTP response with a status of 400 or more. `url` has secret query values removed. */
export class QlikHttpError extends QlikError {
  override name = 'QlikHttpError';
  readonly status: number;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** Every entry of Qlik's `errors` array (or the top-level `code/title/detail`). */
  readonly errors: readonly QlikErrorItem[];
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly traceId: string | undefined;

  constructor(init: QlikHttpErrorInit, kind: QlikErrorKind = 'http') {
    const url = init.url ? redactUrl(init.url) : undefined;
    const first = init.errors?.[0];
    const what = [init.method, url].filter(Boolean).join(' ');
    const reason = first?.title ?? init.statusText ?? '';
    const extra = first?.code ? ` (${first.code})` : '';
    super(`${what ? `${what} ` : ''}failed with ${init.status}${reason ? ` ${reason}` : ''}${extra}`, init, kind);
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.errors = init.errors ?? [];
    this.code = first?.code;
    this.title = first?.title;
    this.detail = first?.detail;
    this.traceId = init.traceId;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      method: this.method,
      url: this.url,
      code: this.code,
      title: this.title,
      detail: this.detail,
      traceId: this.traceId,
    };
  }

  /**
   * Builds the right subclass for a response (429 → rate limit, 401/403 → auth, 404 → not found,
   * 409 → conflict). `body` is the already-parsed body, if any. Method and URL are taken from
   * `request`, or from what the transport recorded for this response.
   */
  static fromResponse(response: Response, body?: unknown, request?: RequestInfoForError): QlikHttpError {
    const recorded = responseRequests.get(response);
    const init: QlikHttpErrorInit = {
      status: response.status,
      statusText: response.statusText || undefined,
      method: request?.method ?? recorded?.method,
      url: request?.url ?? recorded?.url ?? (response.url || undefined),
      ...parseErrorBody(body),
    };
    init.traceId ??= response.headers.get('x-qlik-trace-id') ?? response.headers.get('x-request-id') ?? undefined;
    switch (response.status) {
      case 429:
        return new QlikRateLimitError({ ...init, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
      case 401:
      case 403:
        return new QlikAuthError(init);
      case 404:
        return new QlikNotFoundError(init);
      case 409:
        return new QlikConflictError(init);
      default:
        return new QlikHttpError(init);
    }
  }
}

export class QlikRateLimitError extends QlikHttpError {
  override name = 'QlikRateLimitError';
  /** How long the server asked to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(init: QlikHttpErrorInit & { retryAfterMs?: number }) {
    super(init, 'rate-limit');
    this.retryAfterMs = init.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** 401 (not authenticated) or 403 (not allowed). */
export class QlikAuthError extends QlikHttpError {
  override name = 'QlikAuthError';
  constructor(init: QlikHttpErrorInit) {
    super(init, 'auth');
  }
}

export class QlikNotFoundError extends QlikHttpError {
  override name = 'QlikNotFoundError';
  constructor(init: QlikHttpErrorInit) {
    super(init, 'not-found');
  }
}

export class QlikConflictError extends QlikHttpError {
  override name = 'QlikConflictError';
  constructor(init: QlikHttpErrorInit) {
    super(init, 'conflict');
  }
}

/** An attempt got no response within its `timeoutMs`. */
export class QlikTimeoutError extends QlikError {
  override name = 'QlikTimeoutError';
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly timeoutMs: number;
  constructor(init: RequestInfoForError & { timeoutMs: number } & QlikErrorOptions) {
    const url = init.url ? redactUrl(init.url) : undefined;
    super(
      `${[init.method, url].filter(Boolean).join(' ')} timed out after ${init.timeoutMs} ms`.trim(),
      init,
      'timeout',
    );
    this.method = init.method;
    this.url = url;
    this.timeoutMs = init.timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, timeoutMs: this.timeoutMs };
  }
}

/** No response came: connection refused or reset, DNS failure, TLS failure, ... */
export class QlikNetworkError extends QlikError {
  override name = 'QlikNetworkError';
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** The system error code, e.g. `ECONNRESET`, when known. */
  readonly code: string | undefined;
  constructor(init: RequestInfoForError & { code?: string } & QlikErrorOptions) {
    const url = init.url ? redactUrl(init.url) : undefined;
    const what = [init.method, url].filter(Boolean).join(' ');
    super(`${what ? `${what} ` : ''}failed: ${init.code ?? 'network error'}`, init, 'network');
    this.method = init.method;
    this.url = url;
    this.code = init.code;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, code: this.code };
  }
}

export interface ValidationIssue {
  /** Where the bad value is, e.g. `['retry', 'maxAttempts']`. */
  path: ReadonlyArray<string | number>;
  message: string;
}

/** `['customers', 3, 'alias']` → `customers[3].alias`, the way people name a field. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out || '(root)';
}

/** Bad input, detected before any network call. */
export class QlikValidationError extends QlikError {
  override name = 'QlikValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[] = [], options?: QlikErrorOptions) {
    const detail = issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join('; ');
    super(detail ? `${message}: ${detail}` : message, options, 'validation');
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** `paginate()` reached `maxPages` while the server still had more pages. */
export class QlikPageLimitError extends QlikError {
  override name = 'QlikPageLimitError';
  readonly maxPages: number;
  constructor(maxPages: number) {
    super(`Stopped after ${maxPages} pages (maxPages) while more pages were available`, undefined, 'page-limit');
    this.maxPages = maxPages;
  }
}

function kindOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const kind = (error as Record<symbol, unknown>)[BRAND];
  return typeof kind === 'string' ? kind : undefined;
}

export const isQlikError = (error: unknown): error is QlikError => kindOf(error) !== undefined;
export const isQlikHttpError = (error: unknown): error is QlikHttpError => HTTP_KINDS.has(kindOf(error) ?? '');
export const isQlikRateLimitError = (error: unknown): error is QlikRateLimitError => kindOf(error) === 'rate-limit';
export const isQlikAuthError = (error: unknown): error is QlikAuthError => kindOf(error) === 'auth';
export const isQlikNotFoundError = (error: unknown): error is QlikNotFoundError => kindOf(error) === 'not-found';
export const isQlikConflictError = (error: unknown): error is QlikConflictError => kindOf(error) === 'conflict';
export const isQlikTimeoutError = (error: unknown): error is QlikTimeoutError => kindOf(error) === 'timeout';
export const isQlikNetworkError = (error: unknown): error is QlikNetworkError => kindOf(error) === 'network';
export const isQlikValidationError = (error: unknown): error is QlikValidationError => kindOf(error) === 'validation';
export const isQlikPageLimitError = (error: unknown): error is QlikPageLimitError => kindOf(error) === 'page-limit';

/**
 * Reads the body of an error response (at most 64 KiB, never throws) and builds the matching
 * `QlikHttpError`. Use it when you hold a raw `Response`; openapi-fetch users can pass
 * `(response, error)` to `QlikHttpError.fromResponse` instead.
 */
export async function errorFromResponse(response: Response, request?: RequestInfoForError): Promise<QlikHttpError> {
  let body: unknown;
  try {
    if (!response.bodyUsed) {
      const text = (await response.text()).slice(0, 65_536);
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
  } catch {
    body = undefined;
  }
  return QlikHttpError.fromResponse(response, body, request);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function toItem(raw: unknown): QlikErrorItem | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const item: QlikErrorItem = {};
  const code = asString(r.code);
  const title = asString(r.title) ?? asString(r.message);
  const detail = asString(r.detail);
  if (code !== undefined) item.code = code;
  if (title !== undefined) item.title = title;
  if (detail !== undefined) item.detail = detail;
  if (typeof r.status === 'string' || typeof r.status === 'number') item.status = r.status;
  if (typeof r.source === 'object' && r.source !== null) item.source = r.source as QlikErrorItem['source'];
  if (r.meta !== undefined) item.meta = r.meta;
  return (code ?? title ?? detail) ? item : undefined;
}

/** Parses `{ errors: [...], traceId }` or a top-level `{ code, title, detail }`. */
export function parseErrorBody(body: unknown): { errors?: QlikErrorItem[]; traceId?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const traceId = asString(b.traceId);
  let errors: QlikErrorItem[] | undefined;
  if (Array.isArray(b.errors)) {
    errors = b.errors.map(toItem).filter((e): e is QlikErrorItem => e !== undefined);
  } else {
    const top = toItem(b);
    if (top) errors = [top];
  }
  return { ...(errors?.length ? { errors } : {}), ...(traceId ? { traceId } : {}) };
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (relative to `now`).
 * Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Method and URL of the request behind a response the transport returned (same package copy only). */
const responseRequests = new WeakMap<Response, { method: string; url: string }>();

/** @internal Used by the transport so `fromResponse` can name the request. */
export function recordResponseRequest(response: Response, method: string, url: string): void {
  responseRequests.set(response, { method, url });
}
