import { connect, createApiClient, type QlikCloudConnection, type QlikCloudOptions } from './connection.js';
import { qlikCloudApiNames, type QlikCloudApiClients, type QlikCloudApiPaths } from './generated/apis.js';

/**
 * One typed client per Qlik Cloud API (the one its entry point creates: `SpacesClient`, …), all sharing one
 * transport (auth, pacing, retries).
 */
export type QlikCloudClients = Readonly<QlikCloudApiClients>;

/** The connection (host, auth, transport) and a client of every API on it. */
export type QlikCloud = QlikCloudClients & QlikCloudConnection;

/**
 * Creates the Qlik Cloud facade for one tenant (or registration) host. Each API client is created on first
 * access, so unused APIs cost nothing at run time. Every request is paced by its spec tier without the caller
 * knowing it. The facade's type names all 28 APIs, so a type-check reads all their declarations: a partner who
 * uses a few APIs can import them one by one instead (`createQlikCloudConnection` from `@qlik-oem/qlik-cloud/base`,
 * `createSpacesClient` from `@qlik-oem/qlik-cloud/spaces`, …).
 *
 * ```ts
 * const qc = createQlikCloud({ host: 'acme.eu.qlikcloud.com', auth: apiKey(process.env.QLIK_API_KEY!) });
 * const { data } = await qc.spaces.GET('/api/v1/spaces', { params: { query: { type: 'managed' } } });
 * ```
 */
export function createQlikCloud(options: QlikCloudOptions): QlikCloud {
  const connection = connect(options, 'createQlikCloud');
  const facade = { ...connection } as Record<string, unknown>;
  for (const name of qlikCloudApiNames) {
    Object.defineProperty(facade, name, {
      enumerable: true,
      configurable: true,
      get() {
        const client = createApiClient<QlikCloudApiPaths[typeof name]>(connection, 'createQlikCloud');
        // Replace the getter with the value so later reads are plain property reads.
        Object.defineProperty(facade, name, { value: client, enumerable: true, writable: false, configurable: false });
        return client;
      },
    });
  }
  return facade as unknown as QlikCloud;
}
