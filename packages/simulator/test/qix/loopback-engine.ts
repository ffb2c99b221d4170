/** A QIX engine over a backend, served on a loopback HTTP server for the tests' WebSocket clients. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQixEngine, type QixBackend, type QixEngine, type QixEngineOptions } from '../../src/qix/index.js';

export interface LoopbackEngine {
  readonly engine: QixEngine;
  readonly port: number;
  close(): Promise<void>;
}

export async function startLoopbackEngine(
  backend: QixBackend,
  options: Omit<QixEngineOptions, 'backend'> = {},
): Promise<LoopbackEngine> {
  const engine = createQixEngine({ backend, ...options });
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    if (!engine.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    engine,
    port: (server.address() as AddressInfo).port,
    async close() {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
