import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { SimTarget } from './sim-fetch.js';

/**
 * An undici dispatcher that connects requests for simulated hostnames to the simulator's socket (TLS
 * with the original name as SNI) and everything else to the real host. undici keeps the URL's Host
 * header, so `fetch(url, { dispatcher })` or `setGlobalDispatcher(dispatcher)` reach the right tenant.
 */
export function createSimDispatcher(target: SimTarget): Dispatcher {
  const toSimulator = buildConnector({ ...(target.caPem ? { ca: target.caPem } : {}) });
  const direct = buildConnector({});
  return new Agent({
    connect(options, callback) {
      if (!target.serves(options.hostname)) return direct(options, callback);
      return toSimulator(
        {
          ...options,
          hostname: '127.0.0.1',
          host: `127.0.0.1:${target.port}`,
          port: String(target.port),
          protocol: `${target.protocol}:`,
          servername: options.hostname,
        },
        callback,
      );
    },
  });
}
