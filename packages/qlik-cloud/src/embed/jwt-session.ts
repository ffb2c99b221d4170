import { QlikError, QlikValidationError, REDACTED, errorFromResponse } from '@qlik-oem/core';
import { parseQlikHost } from '../host.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface CreateJwtSessionOptions {
  /** The tenant host, e.g. `acme.eu.qlikcloud.com`. */
  host: string;
  /** A JWT from `signUserJwt` (or your own signer). */
  jwt: string;
  /** A fetch-compatible function (default: the global fetch); e.g. the simulator's `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** One cookie the tenant set: hand `setCookie` to the browser, or send `name=value` from a server. */
export interface SessionCookie {
  readonly name: string;
  readonly value: string;
  /** The `Set-Cookie` header value as the tenant sent it (attributes included). */
  readonly setCookie: string;
}

/**
 * A Qlik Cloud session for one end user. It holds credentials: its `util.inspect` and JSON forms show the
 * cookie names only.
 */
export interface JwtSession {
  /** The tenant host the session belongs to. */
  readonly host: string;
  /** Every cookie the tenant set (`eas.sid`, `_csrfToken`, ...). */
  readonly cookies: readonly SessionCookie[];
  /**
   * The `Set-Cookie` values as the tenant sent them. The cookies belong to the tenant's domain: forward them to a
   * browser only when you serve the tenant through your own reverse proxy; otherwise let the browser do the exchange.
   */
  readonly setCookieHeaders: readonly string[];
  /** The value of the `_csrfToken` cookie: send it as the `qlik-csrf-token` header on writes with the session cookie. */
  readonly csrfToken: string | undefined;
  /** `name=value; name=value` of every cookie, for server-side calls with the session. */
  readonly cookieHeader: string;
}

function parseSetCookie(setCookie: string): SessionCookie | undefined {
  const pair = setCookie.split(';', 1)[0] ?? '';
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), setCookie };
}

function createSession(host: string, setCookieHeaders: string[]): JwtSession {
  const cookies = setCookieHeaders.map(parseSetCookie).filter((c): c is SessionCookie => c !== undefined);
  const safe = () => ({ host, cookies: cookies.map((c) => c.name), csrfToken: REDACTED });
  return Object.freeze({
    host,
    cookies: Object.freeze(cookies),
    setCookieHeaders: Object.freeze([...setCookieHeaders]),
    csrfToken: cookies.find((c) => c.name === '_csrfToken')?.value,
    cookieHeader: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    toJSON: safe,
    [INSPECT]: () => `JwtSession ${JSON.stringify(safe())}`,
  });
}

/**
 * Exchanges an end user's JWT for a Qlik Cloud session: `POST https://<host>/login/jwt-session` with the JWT as
 * bearer token. Returns the session cookies (`eas.sid`, `_csrfToken`, and any signature cookies) and the CSRF
 * token, for calls as that user. A refused JWT throws `QlikAuthError` with Qlik's `code`/`detail` (never the JWT).
 */
export async function createJwtSession(options: CreateJwtSessionOptions): Promise<JwtSession> {
  if (typeof options !== 'object' || options === null)
    throw new QlikValidationError('createJwtSession: options are required');
  const { hostname, origin } = parseQlikHost(options.host);
  if (typeof options.jwt !== 'string' || !COMPACT_JWS.test(options.jwt)) {
    throw new QlikValidationError('createJwtSession: invalid options', [
      { path: ['jwt'], message: 'must be a signed JWT (three base64url parts)' },
    ]);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new QlikValidationError('createJwtSession: invalid options', [
      { path: ['fetch'], message: 'must be a fetch-compatible function' },
    ]);
  }
  const url = `${origin}/login/jwt-session`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const response = await doFetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.jwt}`, accept: 'application/json' },
    // A redirect would carry the JWT elsewhere; the endpoint answers directly.
    redirect: 'manual',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) throw await errorFromResponse(response, { method: 'POST', url });
  await response.body?.cancel();
  const session = createSession(hostname, response.headers.getSetCookie());
  if (!session.cookies.some((c) => c.name === 'eas.sid')) {
    throw new QlikError(`POST ${url} answered ${response.status} without an eas.sid session cookie`);
  }
  return session;
}
