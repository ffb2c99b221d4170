// One tenant's connection (host, auth and the paced transport) and the typed client of one API on it: what the
// facade (createQlikCloud) and every per-API entry point (`@qlik-oem/qlik-cloud/spaces`, …) are built from.
import createClient from 'openapi-fetch';
import {
  QlikValidationError,
  createTransport,
  type ApiClient,
  type QlikFetch,
  type TokenProvider,
  type TransportOptions,
} from '@qlik-oem/core';
import { parseQlikHost } from './host.js';
import { qlikCloudTierResolver } from './tiers.js';

export interface QlikCloudOptions extends Omit<TransportOptions, 'auth'> {
  /** `acme.eu.qlikcloud.com` or `https://acme.eu.qlikcloud.com`. */
  host: string;
  /** `oauthClientCredentials(...)`, `apiKey(...)`, or any TokenProvider. */
  auth: TokenProvider;
}

/** One tenant (or registration) host with its auth and the one transport (pacing, retries) its clients share. */
export interface QlikCloudConnection {
  /** The host as validated, e.g. `acme.eu.qlikcloud.com`. */
  readonly host: string;
  /** `https://<host>`: the base URL of every client. */
  readonly baseUrl: string;
  readonly auth: TokenProvider;
  /** The fetch-compatible transport every client uses; `transport.with({ timeoutMs, signal, ... })` for per-call options. */
  readonly transport: QlikFetch;
}

function isTokenProvider(value: unknown): value is TokenProvider {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<TokenProvider>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.getToken === 'function' &&
    typeof candidate.invalidate === 'function'
  );
}

/** The connection `caller` (`createQlikCloud`, `createQlikCloudConnection`) builds; validated before any request. */
export function connect(options: QlikCloudOptions, caller: string): QlikCloudConnection {
  if (typeof options !== 'object' || options === null) throw new QlikValidationError(`${caller}: options are required`);
  const { host, auth, ...transportOptions } = options;
  const { hostname, origin } = parseQlikHost(host);
  if (!isTokenProvider(auth)) {
    throw new QlikValidationError(
      `${caller}: auth must be a TokenProvider, e.g. oauthClientCredentials({...}) or apiKey(key)`,
    );
  }
  const { pacing } = transportOptions;
  // The spec's tiers are always used; callers may still share a limiter (fleets) or turn pacing off.
  const transport = createTransport({
    ...transportOptions,
    auth,
    pacing: pacing === false ? false : { ...pacing, tierOf: pacing?.tierOf ?? qlikCloudTierResolver },
  });
  return { host: hostname, baseUrl: origin, auth, transport };
}

/**
 * Connects to one Qlik Cloud tenant (or registration) host without creating any API client: pass the connection to
 * the per-API entry points (`createSpacesClient(connection)` from `@qlik-oem/qlik-cloud/spaces`, …), which then
 * share its transport (one pacing per tier, one retry budget). Nothing is sent until a client makes a call.
 *
 * ```ts
 * import { apiKey, createQlikCloudConnection } from '@qlik-oem/qlik-cloud/base';
 * import { createSpacesClient } from '@qlik-oem/qlik-cloud/spaces';
 *
 * const connection = createQlikCloudConnection({ host: 'acme.eu.qlikcloud.com', auth: apiKey(process.env.QLIK_API_KEY!) });
 * const spaces = createSpacesClient(connection);
 * const { data } = await spaces.GET('/api/v1/spaces', { params: { query: { type: 'managed' } } });
 * ```
 */
export function createQlikCloudConnection(options: QlikCloudOptions): QlikCloudConnection {
  return connect(options, 'createQlikCloudConnection');
}

/** The typed client of one API on `connection`; `caller` names the entry point in a validation error. */
export function createApiClient<Paths>(connection: QlikCloudConnection, caller: string): ApiClient<Paths> {
  if (
    typeof connection !== 'object' ||
    connection === null ||
    typeof connection.baseUrl !== 'string' ||
    typeof connection.transport !== 'function'
  ) {
    throw new QlikValidationError(
      `${caller}: expected a connection from createQlikCloudConnection({ host, auth }) (or a createQlikCloud facade)`,
    );
  }
  return createClient({ baseUrl: connection.baseUrl, fetch: connection.transport }) as unknown as ApiClient<Paths>;
}
