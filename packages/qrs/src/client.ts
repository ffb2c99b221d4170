import createClient from 'openapi-fetch';
import {
  createTransport,
  type ApiClient,
  QlikValidationError,
  type QlikFetch,
  type TokenProvider,
  type TransportOptions,
  type ValidationIssue,
} from '@qlik-oem/core';
import { DEFAULT_QRS_USER, formatQlikUserHeader, type QrsAuth } from './auth.js';
import type { paths } from './generated/qrs.js';
import { tlsRoute, type TlsMaterial } from './tls.js';
import { XRFKEY_HEADER, generateXrfkey, withXrfkeyQuery } from './xrfkey.js';

export interface QrsClientOptions extends Omit<TransportOptions, 'auth' | 'dispatcher'> {
  /** QSEoW host name, e.g. `qlik.partner.com` (no scheme, no path). */
  host: string;
  /** Default 4242 with certificate auth, else the HTTPS default (443). */
  port?: number;
  /** Virtual proxy prefix, e.g. `jwt` (for JWT or header auth). Omit for the default virtual proxy or port 4242. */
  prefix?: string;
  auth: QrsAuth;
}

export type QrsApi = ApiClient<paths>;

export interface QrsClient {
  /** `https://host[:port][/prefix]/qrs` */
  readonly baseUrl: string;
  /** `https://host[:port][/prefix]`: download paths (`/tempcontent/...`) and hds calls are relative to it. */
  readonly siteUrl: string;
  /** Typed low-level client over every QRS path (lowercase, relative to /qrs); returns `{ data, error, response }`. */
  readonly api: QrsApi;
  /** The authenticated fetch (Xrfkey, auth, retries, pacing) for calls outside the typed paths. */
  readonly fetch: QlikFetch;
  /**
   * The same auth, connections, retries and pacing without the Xrfkey, for the site's other services behind the same
   * proxy (e.g. `${siteUrl}/api/hds/v1/...`, which the public examples call without an Xrfkey).
   */
  readonly siteFetch: QlikFetch;
  /** A client sharing auth and connections whose calls use these overrides (timeout, signal, retry). */
  with(options: Parameters<QlikFetch['with']>[0]): QrsClient;
  /** Closes the TLS connections of certificate auth. */
  close(): Promise<void>;
}

function validate(options: QrsClientOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options.host !== 'string' || !/^[A-Za-z0-9.-]+$/.test(options.host))
    issues.push({ path: ['host'], message: 'must be a host name without scheme, port or path' });
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536))
    issues.push({ path: ['port'], message: 'must be an integer port' });
  if (options.prefix !== undefined && !/^[A-Za-z0-9_-]+$/.test(options.prefix.replace(/^\/+|\/+$/g, '')))
    issues.push({ path: ['prefix'], message: 'must be one path segment, e.g. "jwt"' });
  const auth = options.auth as QrsAuth | undefined;
  if (!auth || typeof auth !== 'object') issues.push({ path: ['auth'], message: 'is required' });
  else if (auth.type === 'certificate') {
    if (!auth.cert) issues.push({ path: ['auth', 'cert'], message: 'is required (PEM client certificate)' });
    if (!auth.key) issues.push({ path: ['auth', 'key'], message: 'is required (PEM private key)' });
    if (auth.user && (!auth.user.userDirectory || !auth.user.userId))
      issues.push({ path: ['auth', 'user'], message: 'needs userDirectory and userId' });
  } else if (auth.type === 'jwt') {
    const token: unknown = auth.token;
    const ok =
      (typeof token === 'string' && token.length > 0) ||
      typeof token === 'function' ||
      (typeof token === 'object' && token !== null && typeof (token as TokenProvider).getToken === 'function');
    if (!ok) {
      issues.push({
        path: ['auth', 'token'],
        message: 'must be a JWT string, a function returning one, or a TokenProvider',
      });
    }
  } else if (auth.type === 'header') {
    if (!auth.headerName || !/^[A-Za-z0-9-]+$/.test(auth.headerName))
      issues.push({ path: ['auth', 'headerName'], message: 'must be a header name' });
    if (!auth.user) issues.push({ path: ['auth', 'user'], message: 'is required' });
  } else issues.push({ path: ['auth', 'type'], message: 'must be "certificate", "jwt" or "header"' });
  if (issues.length) throw new QlikValidationError('Invalid QRS client options', issues);
}

function jwtProvider(token: string | (() => string | Promise<string>) | TokenProvider, host: string): TokenProvider {
  if (typeof token === 'object') return token;
  const id = `qrs-jwt@${host}`;
  if (typeof token === 'string') return { id, getToken: async () => ({ token }), invalidate: () => {} };
  return { id, getToken: async () => ({ token: await token() }), invalidate: () => {} };
}

const toRequest = (input: string | URL | Request, init?: RequestInit): Request =>
  input instanceof Request && init === undefined ? input : new Request(input, init);

/** Adds the auth headers the transport does not add itself (X-Qlik-User, a header-auth user). */
function withHeaders(transport: QlikFetch, headers: Array<[string, string]>): QlikFetch {
  const wrapped = ((input: string | URL | Request, init?: RequestInit) => {
    const request = toRequest(input, init);
    for (const [name, value] of headers) request.headers.set(name, value);
    return transport(request);
  }) as QlikFetch;
  wrapped.with = (options) => withHeaders(transport.with(options), headers);
  return wrapped;
}

/** Adds a fresh Xrfkey to every call, in the query and in the header. */
function qrsFetch(siteFetch: QlikFetch): QlikFetch {
  const wrapped = ((input: string | URL | Request, init?: RequestInit) => {
    const original = toRequest(input, init);
    const key = generateXrfkey();
    const request = new Request(withXrfkeyQuery(original.url, key), original);
    request.headers.set(XRFKEY_HEADER, key);
    return siteFetch(request);
  }) as QlikFetch;
  wrapped.with = (options) => qrsFetch(siteFetch.with(options));
  return wrapped;
}

/**
 * A QRS client for QSEoW: certificate auth on port 4242, or JWT / header auth through a virtual proxy. Every call
 * carries a fresh Xrfkey; TLS verification stays on (pass the site's CA to trust a self-signed server).
 */
export function createQrsClient(options: QrsClientOptions): QrsClient {
  validate(options);
  const { host, port, prefix, auth, ...transportOptions } = options;
  const effectivePort = port ?? (auth.type === 'certificate' ? 4242 : undefined);
  const cleanPrefix = prefix?.replace(/^\/+|\/+$/g, '');
  const siteUrl = `https://${host}${effectivePort && effectivePort !== 443 ? `:${effectivePort}` : ''}${cleanPrefix ? `/${cleanPrefix}` : ''}`;

  let tls: TlsMaterial | undefined;
  const extraHeaders: Array<[string, string]> = [];
  let tokenProvider: TokenProvider | undefined;
  if (auth.type === 'certificate') {
    tls = auth;
    extraHeaders.push(['X-Qlik-User', formatQlikUserHeader(auth.user ?? DEFAULT_QRS_USER)]);
  } else {
    if (auth.ca !== undefined) tls = { ca: auth.ca };
    if (auth.type === 'jwt') tokenProvider = jwtProvider(auth.token, host);
    else extraHeaders.push([auth.headerName, auth.user]);
  }
  const route = tls ? tlsRoute(tls, transportOptions.fetch) : undefined;

  const transport = createTransport({
    ...transportOptions,
    ...route?.transport,
    ...(tokenProvider ? { auth: tokenProvider } : {}),
  });
  const build = (siteFetch: QlikFetch): QrsClient => {
    const fetch = qrsFetch(siteFetch);
    return {
      baseUrl: `${siteUrl}/qrs`,
      siteUrl,
      fetch,
      siteFetch,
      api: createClient({
        baseUrl: `${siteUrl}/qrs`,
        fetch: (request: Request) => fetch(request),
      }) as unknown as QrsApi,
      with: (callOptions) => build(siteFetch.with(callOptions)),
      close: async () => {
        await route?.close();
      },
    };
  };
  return build(withHeaders(transport, extraHeaders));
}
