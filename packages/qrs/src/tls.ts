import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import type { FetchFunction } from '@qlik-oem/core';

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
 * An undici Agent that presents the client certificate and trusts the given CA (in addition to nothing else: a
 * self-signed QSEoW is trusted by passing its root.pem). Certificate verification is never turned off.
 */
export function createTlsDispatcher(material: TlsMaterial): Agent {
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
 */
export const undiciBridgeFetch: FetchFunction = async (input, init) => {
  const request = input;
  const dispatcher = (init as { dispatcher?: Dispatcher } | undefined)?.dispatcher;
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
