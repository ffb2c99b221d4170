import WebSocket, { type ClientOptions } from 'ws';
import type { SimTarget } from './sim-fetch.js';

/**
 * Opens a `ws` WebSocket to the simulator for a `wss://<tenant>/app/<id>` URL, keeping the tenant as
 * the Host header (and the SNI name over TLS). Usable as enigma.js `createSocket`.
 */
export function createSimSocket(target: SimTarget, url: string, options: ClientOptions = {}): WebSocket {
  const u = new URL(url);
  if (!target.serves(u.hostname)) throw new TypeError(`The simulator does not serve ${u.hostname}`);
  const scheme = target.protocol === 'https' ? 'wss' : 'ws';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  headers.host = u.host;
  return new WebSocket(`${scheme}://127.0.0.1:${target.port}${u.pathname}${u.search}`, {
    ...options,
    headers,
    ...(target.protocol === 'https' ? { servername: u.hostname, ...(target.caPem ? { ca: target.caPem } : {}) } : {}),
  });
}
