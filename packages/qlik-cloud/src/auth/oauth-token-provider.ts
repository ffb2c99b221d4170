// One OAuth client at Qlik's token endpoint, whatever the grant: the request, the process-wide token cache,
// refresh before expiry, one request in flight, and the secret scrubbed from everything the server sends back.
import {
  QlikAuthError,
  QlikHttpError,
  QlikValidationError,
  createTransport,
  type QlikErrorItem,
  type AccessToken,
  type TokenProvider,
  type TransportOptions,
} from '@qlik-oem/core';
import { parseErrorBody, raceAbort } from '@qlik-oem/core/advanced';
import { INSPECT_CUSTOM } from './credential-display.js';
import { qlikCloudTiers } from '../generated/tiers.js';
import { parseQlikHost } from '../host.js';
import { cacheEntry, tokenCacheKey } from './token-cache.js';

/** What every OAuth token provider takes. */
export interface OAuthClientOptions {
  /** Tenant host (`acme.eu.qlikcloud.com`) or registration host (`register.eu.qlikcloud.com`); a full https URL also works. */
  host: string;
  clientId: string;
  clientSecret: string;
  /**
   * Space-separated scopes (or an array), e.g. `admin_classic`. Qlik grants the client's assigned scopes when
   * omitted; set it explicitly for admin work so a change in defaults cannot silently reduce access.
   */
  scope?: string | readonly string[];
  /** fetch to use (e.g. `@qlik-oem/simulator`'s); defaults to globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Refresh this long before `expires_at` (default 60 s), so a token never expires in flight. */
  refreshMarginMs?: number;
  /** Transport options for the token request itself (retries, timeout, logger, a shared pacing limiter). */
  transport?: Omit<TransportOptions, 'fetch' | 'auth'>;
  /** Clock, for tests. */
  now?: () => number;
}

interface TokenResponse {
  access_token?: unknown;
  expires_at?: unknown;
  expires_in?: unknown;
}

export function requireText(value: unknown, label: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new QlikValidationError(`${label}: ${name} must be a non-empty string`);
  }
  return value.trim();
}

function normaliseScope(scope: OAuthClientOptions['scope'], label: string): string {
  if (scope === undefined) return '';
  const parts = typeof scope === 'string' ? scope.split(/\s+/) : [...scope];
  if (parts.some((part) => typeof part !== 'string'))
    throw new QlikValidationError(`${label}: scope must be a string or an array of strings`);
  return [...new Set(parts.filter((part) => part !== ''))].sort().join(' ');
}

/** Qlik sends `expires_at` (a date-time); `expires_in` (seconds) is accepted for compatibility. */
function expiryOf(body: TokenResponse, requestedAt: number): number | undefined {
  if (typeof body.expires_at === 'string') {
    const parsed = Date.parse(body.expires_at);
    if (Number.isFinite(parsed)) return parsed;
  }
  if (typeof body.expires_in === 'number' && Number.isFinite(body.expires_in))
    return requestedAt + body.expires_in * 1000;
  return undefined;
}

/** OAuth errors are `{ error, error_description }`; Qlik's API errors are `{ errors: [...] }`. Keep either. */
function oauthErrorItems(body: Record<string, unknown> | undefined): QlikErrorItem[] {
  if (body && typeof body.error === 'string') {
    const title = typeof body.error_description === 'string' ? body.error_description : 'The OAuth request was refused';
    return [{ code: body.error, title }];
  }
  return parseErrorBody(body).errors ?? [{ title: 'The OAuth request was refused' }];
}

/** Removes every occurrence of the secret from text that comes back from the server. */
function scrub(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('[REDACTED]');
}

/** A checked client: host, endpoint, normalised scope, and the transport for its token requests. */
export interface OAuthClient {
  readonly label: string;
  readonly hostname: string;
  readonly endpoint: string;
  readonly clientId: string;
  readonly scope: string;
  readonly refreshMarginMs: number;
  readonly now: () => number;
  /** Sends one token request with the grant's own fields; answers the token or throws QlikAuthError/QlikHttpError. */
  request(grant: Record<string, unknown>): Promise<AccessToken>;
  /** The cache entry of this client's tokens for `subject` (the grant's user, or '' for the client itself). */
  cache(subject: string): ReturnType<typeof cacheEntry>;
}

/** Checks the options (a `QlikValidationError` before any request) and builds the client. */
export function oauthClient(options: OAuthClientOptions, label: string): OAuthClient {
  if (typeof options !== 'object' || options === null) throw new QlikValidationError(`${label}: options are required`);
  const { origin, hostname } = parseQlikHost(options.host);
  const clientId = requireText(options.clientId, label, 'clientId');
  requireText(options.clientSecret, label, 'clientSecret');
  // Used exactly as given: whitespace could be part of a secret.
  const clientSecret = options.clientSecret;
  const scope = normaliseScope(options.scope, label);
  const refreshMarginMs = options.refreshMarginMs ?? 60_000;
  if (!Number.isFinite(refreshMarginMs) || refreshMarginMs < 0)
    throw new QlikValidationError(`${label}: refreshMarginMs must be a non-negative number`);
  const now = options.now ?? Date.now;
  const endpoint = `${origin}/oauth/token`;
  // Token requests are safe to repeat, so the transport may retry them (5xx, 429); they are tier 2 in the spec.
  const transport = createTransport({ ...options.transport, ...(options.fetch ? { fetch: options.fetch } : {}) }).with({
    idempotent: true,
    tier: qlikCloudTiers.tier2,
  });

  async function request(grant: Record<string, unknown>): Promise<AccessToken> {
    const requestedAt = now();
    const body: Record<string, unknown> = { client_id: clientId, client_secret: clientSecret, ...grant };
    if (scope !== '') body.scope = scope;
    const response = await transport(
      new Request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    const text = scrub(await response.text(), clientSecret);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const details = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      // A refused credential or grant is an auth problem whatever the status (Qlik answers 400, 401 or 403).
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        throw new QlikAuthError({
          status: response.status,
          method: 'POST',
          url: endpoint,
          errors: oauthErrorItems(details),
        });
      }
      throw QlikHttpError.fromResponse(response, details, { method: 'POST', url: endpoint });
    }
    const token = (parsed ?? {}) as TokenResponse;
    if (typeof token.access_token !== 'string' || token.access_token === '') {
      throw new QlikAuthError({
        status: response.status,
        method: 'POST',
        url: endpoint,
        errors: [{ code: 'missing_access_token', title: 'The token response has no access_token' }],
      });
    }
    const expiresAt = expiryOf(token, requestedAt);
    return expiresAt === undefined ? { token: token.access_token } : { token: token.access_token, expiresAt };
  }

  return {
    label,
    hostname,
    endpoint,
    clientId,
    scope,
    refreshMarginMs,
    now,
    request,
    cache: (subject) =>
      cacheEntry(
        tokenCacheKey({ endpoint, clientId, scope: subject ? `${scope}\u0000${subject}` : scope, clientSecret }),
      ),
  };
}

/**
 * A TokenProvider over one cache entry: fresh tokens are reused until `refreshMarginMs` before expiry, and
 * concurrent callers share one request. `fetchToken` is the grant's request; `id` names the provider (no secret).
 */
export function cachedTokenProvider(
  client: OAuthClient,
  id: string,
  subject: string,
  fetchToken: () => Promise<AccessToken>,
): TokenProvider {
  const cache = client.cache(subject);
  const isFresh = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined && (token.expiresAt === undefined || token.expiresAt - client.refreshMarginMs > client.now());

  function refresh(): Promise<AccessToken> {
    if (!cache.inFlight) {
      const inFlight = fetchToken().then(
        (token) => {
          cache.token = token;
          return token;
        },
        (error: unknown) => {
          cache.token = undefined;
          throw error;
        },
      );
      cache.inFlight = inFlight;
      // Cleared once settled so the next refresh starts a new request.
      inFlight.then(
        () => void (cache.inFlight === inFlight && (cache.inFlight = undefined)),
        () => void (cache.inFlight === inFlight && (cache.inFlight = undefined)),
      );
    }
    return cache.inFlight;
  }

  const describe = () => `${client.label} { id: '${id}' }`;
  return {
    id,
    getToken(getOptions) {
      if (!getOptions?.forceRefresh && isFresh(cache.token)) return Promise.resolve(cache.token);
      if (getOptions?.forceRefresh && !cache.inFlight) cache.token = undefined;
      return raceAbort(refresh(), getOptions?.signal);
    },
    invalidate(token: string) {
      if (cache.token?.token === token) cache.token = undefined;
    },
    toJSON: () => ({ id }),
    toString: describe,
    [INSPECT_CUSTOM]: describe,
  } as TokenProvider;
}
