import createClient from 'openapi-fetch';
import {
  QlikValidationError,
  createTransport,
  type ApiClient,
  type QlikFetch,
  type TokenProvider,
  type TransportOptions,
} from '@qlik-oem/core';
import { qlikCloudApiNames, type QlikCloudApiName, type QlikCloudApiPaths } from './generated/apis.js';
import { parseQlikHost } from './host.js';
import { qlikCloudTierResolver } from './tiers.js';

export interface QlikCloudOptions extends Omit<TransportOptions, 'auth'> {
  /** `acme.eu.qlikcloud.com` or `https://acme.eu.qlikcloud.com`. */
  host: string;
  /** `oauthClientCredentials(...)`, `apiKey(...)`, or any TokenProvider. */
  auth: TokenProvider;
}

/** One typed openapi-fetch client per Qlik Cloud API, all sharing one transport (auth, pacing, retries). */
export type QlikCloudClients = { readonly [Name in QlikCloudApiName]: ApiClient<QlikCloudApiPaths[Name]> };

export type QlikCloud = QlikCloudClients & {
  /** The host as validated, e.g. `acme.eu.qlikcloud.com`. */
  readonly host: string;
  /** `https://<host>`: the base URL of every client. */
  readonly baseUrl: string;
  readonly auth: TokenProvider;
  /** The fetch-compatible transport every client uses; `transport.with({ timeoutMs, signal, ... })` for per-call options. */
  readonly transport: QlikFetch;
};

function isTokenProvider(value: unknown): value is TokenProvider {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<TokenProvider>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.getToken === 'function' &&
    typeof candidate.invalidate === 'function'
  );
}

/**
 * Creates the Qlik Cloud facade for one tenant (or registration) host. Each API client is created on first
 * access, so unused APIs cost nothing. Every request is paced by its spec tier without the caller knowing it.
 *
 * ```ts
 * const qc = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth: apiKey(process.env.QLIK_API_KEY!) });
 * const { data } = await qc.spaces.GET('/api/v1/spaces', { params: { query: { type: 'managed' } } });
 * ```
 */
export function createQlikCloud(options: QlikCloudOptions): QlikCloud {
  if (typeof options !== 'object' || options === null)
    throw new QlikValidationError('createQlikCloud: options are required');
  const { host, auth, ...transportOptions } = options;
  const { hostname, origin } = parseQlikHost(host);
  if (!isTokenProvider(auth)) {
    throw new QlikValidationError(
      'createQlikCloud: auth must be a TokenProvider, e.g. oauthClientCredentials({...}) or apiKey(key)',
    );
  }
  const { pacing } = transportOptions;
  // The spec's tiers are always used; callers may still share a limiter (fleets) or turn pacing off.
  const transport = createTransport({
    ...transportOptions,
    auth,
    pacing: pacing === false ? false : { ...pacing, tierOf: pacing?.tierOf ?? qlikCloudTierResolver },
  });
  const facade = { host: hostname, baseUrl: origin, auth, transport } as Record<string, unknown>;
  for (const name of qlikCloudApiNames) {
    Object.defineProperty(facade, name, {
      enumerable: true,
      configurable: true,
      get() {
        const client = createClient({ baseUrl: origin, fetch: transport }) as unknown as ApiClient<
          QlikCloudApiPaths[typeof name]
        >;
        // Replace the getter with the value so later reads are plain property reads.
        Object.defineProperty(facade, name, { value: client, enumerable: true, writable: false, configurable: false });
        return client;
      },
    });
  }
  return facade as QlikCloud;
}
