// The HTTP errors: QlikHttpError and one subclass per status family, built from a response.
import { redactText, redactUrl } from '../redact.js';
import { QlikError, type QlikErrorKind, type QlikErrorOptions } from './base.js';
import { parseErrorBody, parseRetryAfter } from './body.js';

/** One entry of Qlik's error body `{ errors: [{ code, title, detail, ... }] }`. */
export interface QlikErrorItem {
  code?: string;
  title?: string;
  detail?: string;
  status?: string | number;
  source?: { pointer?: string; parameter?: string };
  meta?: unknown;
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

/** Qlik's error entry with its free texts scrubbed: a server may echo a request field (a password) back. */
function redactItem(item: QlikErrorItem): QlikErrorItem {
  const out: QlikErrorItem = { ...item };
  if (typeof item.title === 'string') out.title = redactText(item.title);
  if (typeof item.detail === 'string') out.detail = redactText(item.detail);
  return out;
}

/**
 * An HTTP response with a status of 400 or more. `url` has secret query values removed; the server's
 * `title` and `detail` pass through the redactor, since servers echo request values in them.
 */
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
    const errors = (init.errors ?? []).map(redactItem);
    const first = errors[0];
    const what = [init.method, url].filter(Boolean).join(' ');
    const reason = first?.title ?? (init.statusText ? redactText(init.statusText) : '');
    const extra = first?.code ? ` (${first.code})` : '';
    super(`${what ? `${what} ` : ''}failed with ${init.status}${reason ? ` ${reason}` : ''}${extra}`, init, kind);
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.errors = errors;
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
   * Builds the right subclass for a response (429 → rate limit, 401 → auth, 403 → permission, 404 → not found,
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
      retriedByTransport: recorded?.retriedByTransport ?? false,
      ...parseErrorBody(body),
    };
    init.traceId ??= response.headers.get('x-qlik-trace-id') ?? response.headers.get('x-request-id') ?? undefined;
    return QlikHttpError.forStatus(init, parseRetryAfter(response.headers.get('retry-after')));
  }

  /** The subclass for `init.status`: 429, 401, 403, 404 and 409 have their own; others are a QlikHttpError. */
  static forStatus(init: QlikHttpErrorInit, retryAfterMs?: number): QlikHttpError {
    switch (init.status) {
      case 429:
        return new QlikRateLimitError({ ...init, retryAfterMs });
      case 401:
        return new QlikAuthError(init);
      case 403:
        return new QlikPermissionError(init);
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

/** Not authenticated: 401, or a credential the token endpoint refused. A fresh token or credential may help. */
export class QlikAuthError extends QlikHttpError {
  override name = 'QlikAuthError';
  constructor(init: QlikHttpErrorInit) {
    super(init, 'auth');
  }
}

/** 403: authenticated, but not allowed (a missing role, scope or space permission). A new token will not help. */
export class QlikPermissionError extends QlikHttpError {
  override name = 'QlikPermissionError';
  constructor(init: QlikHttpErrorInit) {
    super(init, 'permission');
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

/** Method and URL of the request behind a response the transport returned (same package copy only). */
const responseRequests = new WeakMap<Response, { method: string; url: string; retriedByTransport: boolean }>();

/** @internal Used by the transport so `fromResponse` can name the request and know whether it was retried. */
export function recordResponseRequest(
  response: Response,
  method: string,
  url: string,
  retriedByTransport = false,
): void {
  responseRequests.set(response, { method, url, retriedByTransport });
}
