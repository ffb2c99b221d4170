/** Placeholder that replaces a secret value in logs and errors. */
export const REDACTED = '[REDACTED]';

// Query parameters whose values are secrets. Exact names first, then substrings that mark a secret
// in any spelling (client_secret, x-api-token, userPassword, ...).
const SECRET_QUERY_NAMES = new Set([
  'key',
  'code',
  'sig',
  'jwt',
  'auth',
  'authorization',
  'cookie',
  'session',
  'assertion',
]);
const SECRET_QUERY_PARTS = [
  'secret',
  'token',
  'password',
  'passwd',
  'apikey',
  'api_key',
  'api-key',
  'signature',
  'credential',
  'privatekey',
  'private_key',
];

/** True when a query parameter of this name must never be logged. */
export function isSecretQueryParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_QUERY_NAMES.has(lower)) return true;
  for (const part of SECRET_QUERY_PARTS) if (lower.includes(part)) return true;
  return false;
}

/**
 * Returns the URL as a string that is safe to log: secret query values become `[REDACTED]` and
 * user-info (`https://user:pass@host`) is dropped. Relative URLs stay relative.
 */
export function redactUrl(url: string | URL): string {
  const text = typeof url === 'string' ? url : url.href;
  let parsed: URL;
  let relative = false;
  try {
    parsed = new URL(text);
  } catch {
    try {
      parsed = new URL(text, 'http://relative.invalid');
      relative = true;
    } catch {
      return '[unparseable URL]';
    }
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    let changed = false;
    const params = parsed.searchParams;
    for (const name of new Set(params.keys())) {
      if (isSecretQueryParam(name)) {
        params.set(name, REDACTED);
        changed = true;
      }
    }
    // URLSearchParams re-encodes `[` and `]`; keep the placeholder readable.
    if (changed) parsed.search = params.toString().replaceAll('%5BREDACTED%5D', REDACTED);
  }
  if (relative) return parsed.pathname + parsed.search + parsed.hash;
  return parsed.href;
}

// Headers whose values carry no secrets. Everything else is redacted (allow list, not deny list:
// a new auth header from a proxy or IdP must not leak just because nobody listed it).
const SAFE_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-encoding',
  'content-length',
  'content-type',
  'date',
  'etag',
  'if-match',
  'if-none-match',
  'last-modified',
  'location',
  'retry-after',
  'traceparent',
  'tracestate',
  'user-agent',
  'x-request-id',
  'x-qlik-trace-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/** True when a header's value may be logged. */
export function isSafeHeader(name: string): boolean {
  return SAFE_HEADERS.has(name.toLowerCase());
}

// Duck-typed rather than `instanceof Headers`: undici's, a polyfill's and the platform's classes differ.
const isHeadersLike = (headers: object): headers is Headers =>
  typeof (headers as Partial<Headers>).forEach === 'function' && !Array.isArray(headers);

/** Headers as a plain object with every value outside the allow list replaced by `[REDACTED]`. */
export function redactHeaders(
  headers: Headers | Record<string, string | string[] | undefined> | Array<[string, string]> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const put = (name: string, value: string) => {
    const lower = name.toLowerCase();
    out[lower] = isSafeHeader(lower) ? value : REDACTED;
  };
  if (isHeadersLike(headers)) {
    headers.forEach((value, name) => put(name, value));
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) put(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) put(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  return out;
}

// Credentials that show up in free text: a driver error quoting a connection string, a server's
// `detail` echoing a request field, a builder's message. Patterns, not values: the text is unknown.
const SECRET_TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user-info in a URL: postgres://app:hunter2@db/sales
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  [
    /\b((?:client[_-]?secret|secret|password|passwd|pwd|token|api[_-]?key|access[_-]?token|refresh[_-]?token|private[_-]?key)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&"'}]+)/gi,
    `$1${REDACTED}`,
  ],
];

/** Free text with anything that looks like a credential replaced by `[REDACTED]`. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
