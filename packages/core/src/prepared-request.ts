import { QlikValidationError } from './errors.js';
import { redactUrl } from './redact.js';

/**
 * A request normalised once per call, able to produce what `fetch` needs for each attempt.
 * Plain `(url, init)` calls to the global fetch skip building a `Request` (fetch builds one anyway);
 * `Request` inputs and streamed bodies are cloned per attempt so the body can be sent again.
 */
export interface PreparedRequest {
  readonly method: string;
  readonly url: string;
  /** The caller's own signal (the Request's, or `init.signal`). */
  readonly signal: AbortSignal | undefined;
  /** Arguments for one `fetch` call. `extra` carries the attempt's signal and dispatcher. */
  forAttempt(authorization: string | undefined, extra: Record<string, unknown>): [Request | string, RequestInit];
}

function invalid(shown: string): QlikValidationError {
  // The platform's TypeError repeats the URL, which may carry secrets; say what is wrong without it.
  return new QlikValidationError('Invalid request', [
    { path: ['url'], message: `must be an absolute http(s) URL with a valid init (got ${redactUrl(shown)})` },
  ]);
}

function isStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as ReadableStream).getReader === 'function';
}

function fromRequest(request: Request, defaults: ReadonlyArray<[string, string]>): PreparedRequest {
  return {
    method: request.method.toUpperCase(),
    url: request.url,
    signal: request.signal,
    forAttempt(authorization, extra) {
      // Never modify the caller's Request (openapi-fetch middleware sees it later): headers go on a copy.
      const needsHeaders = authorization !== undefined || defaults.length > 0;
      const attempt = request.body !== null ? request.clone() : needsHeaders ? new Request(request) : request;
      for (const [name, value] of defaults) if (!attempt.headers.has(name)) attempt.headers.set(name, value);
      if (authorization !== undefined) attempt.headers.set('authorization', authorization);
      return [attempt, extra];
    },
  };
}

interface RequestLike {
  url: string;
  method: string;
  headers: RequestInit['headers'];
  body: RequestInit['body'];
  signal?: AbortSignal;
}

/** A Request from another fetch implementation (e.g. the npm `undici` package). */
function isRequestLike(input: unknown): input is RequestLike {
  if (typeof input !== 'object' || input === null || input instanceof URL) return false;
  const r = input as Partial<RequestLike>;
  return typeof r.url === 'string' && typeof r.method === 'string' && typeof r.headers === 'object';
}

function fromForeignRequest(input: RequestLike): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: input.method, headers: input.headers };
  if (input.body !== null && input.body !== undefined) {
    init.body = input.body;
    init.duplex = 'half';
  }
  if (input.signal) init.signal = input.signal;
  return new Request(input.url, init);
}

export function prepareRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  defaults: ReadonlyArray<[string, string]>,
  withAuth: boolean,
  /** Injected fetch functions always receive a `Request` (the documented `FetchFunction` shape). */
  needRequest: boolean,
): PreparedRequest {
  if (input instanceof Request) {
    if (init === undefined) return fromRequest(input, defaults);
    try {
      return fromRequest(new Request(input, init), defaults);
    } catch {
      throw invalid(input.url);
    }
  }
  if (isRequestLike(input)) {
    try {
      return fromRequest(fromForeignRequest(input), defaults);
    } catch {
      throw invalid(input.url);
    }
  }
  const text = typeof input === 'string' ? input : String(input);
  let url: string;
  try {
    url = new URL(text).href;
  } catch {
    throw invalid(text);
  }
  if (needRequest || (init && isStream(init.body))) {
    try {
      return fromRequest(new Request(url, init), defaults);
    } catch {
      throw invalid(url);
    }
  }

  // The caller's signal is combined with the attempt's by the transport, so it is not passed on.
  const base: RequestInit = {};
  if (init)
    for (const name in init)
      if (name !== 'signal') (base as Record<string, unknown>)[name] = (init as Record<string, unknown>)[name];
  let headers: Headers | undefined;
  if (withAuth || defaults.length > 0) {
    try {
      headers = new Headers(init?.headers);
    } catch {
      throw invalid(url);
    }
    for (const [name, value] of defaults) if (!headers.has(name)) headers.set(name, value);
    base.headers = headers;
  }
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    url,
    signal: init?.signal ?? undefined,
    forAttempt(authorization, extra) {
      // fetch copies the headers when it is called, so updating them per attempt is safe.
      if (authorization !== undefined) headers!.set('authorization', authorization);
      return [url, { ...base, ...extra }];
    },
  };
}
