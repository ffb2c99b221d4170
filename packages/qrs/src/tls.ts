import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import { QlikValidationError, type FetchFunction, type TransportOptions } from '@qlik-oem/core';

type Undici = typeof import('undici');

// undici is loaded on the first TLS dispatcher, not at import: partners without QSEoW never load it. It is
// CommonJS, so this require gives the same instance an `import` from the application would.
let undici: Undici | undefined;
const loadUndici = (): Undici => (undici ??= createRequire(import.meta.url)('undici') as Undici);

export interface TlsMaterial {
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  ca?: string | Buffer;
}

/**
 * Bun answers `undici` with a stand-in whose `Agent` dispatches nothing and whose `fetch` is Bun's own, which
 * ignores a `dispatcher`; Bun's fetch takes the TLS material itself instead (its `tls` option).
 */
const onBun = (): boolean => typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

const bunRefusal = (what: string) =>
  new QlikValidationError(`${what} on Bun`, [
    {
      path: ['dispatcher'],
      message:
        "Bun's fetch and its stand-in for undici ignore undici dispatchers; createQrsClient passes the TLS material through Bun's fetch `tls` option instead",
    },
  ]);

/**
 * How a QRS client's requests carry its TLS material: an undici dispatcher (with undici's own fetch unless the
 * caller brought one) where undici is real, or Bun's fetch `tls` option (around the caller's fetch, or Bun's).
 * Verification stays on either way.
 */
export function tlsRoute(
  material: TlsMaterial,
  callerFetch: FetchFunction | undefined,
): { transport: Pick<TransportOptions, 'fetch' | 'dispatcher'>; close(): Promise<void> } {
  if (onBun()) {
    const { cert, key, passphrase, ca } = material;
    const tls = {
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(ca !== undefined ? { ca } : {}),
      rejectUnauthorized: true,
    };
    const fetch: FetchFunction = (request, init) =>
      (callerFetch ?? globalThis.fetch)(request, { ...init, tls } as RequestInit);
    return { transport: { fetch }, close: async () => undefined };
  }
  const dispatcher = createTlsDispatcher(material);
  return { transport: { dispatcher, fetch: callerFetch ?? undiciBridgeFetch }, close: () => dispatcher.close() };
}

/**
 * An undici Agent that presents the client certificate and trusts the given CA (in addition to nothing else: a
 * self-signed QSEoW is trusted by passing its root.pem). Certificate verification is never turned off.
 */
export function createTlsDispatcher(material: TlsMaterial): Agent {
  if (onBun()) throw bunRefusal('createTlsDispatcher: no undici dispatcher');
  return new (loadUndici().Agent)({
    connect: {
      ...(material.cert !== undefined ? { cert: material.cert } : {}),
      ...(material.key !== undefined ? { key: material.key } : {}),
      ...(material.passphrase !== undefined ? { passphrase: material.passphrase } : {}),
      ...(material.ca !== undefined ? { ca: material.ca } : {}),
      rejectUnauthorized: true,
    },
  });
}

/**
 * A fetch that sends through undici's own `fetch`, so an undici `dispatcher` from this package is used by the same
 * undici that created it (Node's global fetch bundles another undici copy, and mixing the two is unreliable).
 * The request is handed over as URL + plain init so no Request object crosses between the two implementations.
 * On Bun, whose undici is a stand-in, a dispatcher is refused (`QlikValidationError`) rather than ignored.
 */
export const undiciBridgeFetch: FetchFunction = async (input, init) => {
  const request = input;
  const dispatcher = (init as { dispatcher?: Dispatcher } | undefined)?.dispatcher;
  if (dispatcher && onBun()) throw bunRefusal('undiciBridgeFetch: a dispatcher would be ignored');
  const hasBody = request.body !== null && request.method !== 'GET' && request.method !== 'HEAD';
  const response = await loadUndici().fetch(request.url, {
    method: request.method,
    headers: [...request.headers.entries()],
    body: hasBody ? Buffer.from(await request.arrayBuffer()) : null,
    redirect: request.redirect,
    signal: init?.signal ?? request.signal,
    ...(dispatcher ? { dispatcher } : {}),
  });
  return response;
};
