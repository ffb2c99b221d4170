import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { TokenProvider } from '@qlik-oem/core';
import { afterEach, beforeEach } from 'vitest';
import { SessionLimiter, type CloudEngineOptions, type CreateSocket } from '../src/index.js';
// The simulator's QIX engine; the simulator package does not export it from its root yet.
import {
  createQixEngine,
  MemoryQixBackend,
  type MemoryBackendInit,
  type QixEngine,
  type QixEngineOptions,
} from '@qlik-oem/simulator';

export const TENANT = 'acme.eu.qlikcloud.com';
export const TOKEN = 'secret-token-acme';

export interface EngineHarness {
  backend: MemoryQixBackend;
  engine: QixEngine;
  server: Server;
  port: number;
  /** Routes `wss://<any host>/...` to the local server, keeping the Host header. */
  createSocket: CreateSocket;
  /** URLs the client asked for. */
  urls: string[];
  close(): Promise<void>;
}

export const defaultBackendInit = (): MemoryBackendInit => ({
  tokens: { [TOKEN]: { tenant: TENANT, userId: 'svc-broker' } },
  apps: [
    {
      id: 'app-1',
      name: 'Template',
      tenant: TENANT,
      script: "// main\nLIB CONNECT TO 'Template data';\nSales: LOAD * INLINE [\nRegion\nNorth\n];\n",
    },
  ],
  connections: [
    { tenant: TENANT, name: 'Template data', connectionString: 'host=template', type: 'folder' },
    { tenant: TENANT, name: 'Customer 42', connectionString: 'host=c42', type: 'folder' },
  ],
});

export async function startEngine(
  init: MemoryBackendInit = defaultBackendInit(),
  options: Omit<QixEngineOptions, 'backend'> = {},
): Promise<EngineHarness> {
  const backend = new MemoryQixBackend(init);
  const engine = createQixEngine({ backend, reloadDurationMs: 150, ...options });
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => {
    if (!engine.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const urls: string[] = [];
  const createSocket: CreateSocket = (url, init) => {
    urls.push(url);
    const target = new URL(url);
    const local = `ws://127.0.0.1:${port}${target.pathname}${target.search}`;
    return new WebSocket(local, {
      ...init,
      headers: { ...init.headers, host: target.host },
    });
  };
  return {
    backend,
    engine,
    server,
    port,
    createSocket,
    urls,
    async close() {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function staticToken(token: string, id = 'static:test'): TokenProvider {
  return {
    id,
    async getToken() {
      return { token };
    },
    invalidate() {},
  };
}

/** The engine a test runs against and the Qlik Cloud session options that reach it. */
export interface CloudEngineTest {
  harness: EngineHarness;
  options: CloudEngineOptions;
}

/**
 * Starts an engine before each test of the file (closed after it) and holds it, with options for a Qlik Cloud
 * session of `TENANT` with `TOKEN` through it. A test may replace `harness` (it is then the one closed).
 */
export function startEngineForEachTest(...args: Parameters<typeof startEngine>): CloudEngineTest {
  const current = {} as CloudEngineTest;
  beforeEach(async () => {
    current.harness = await startEngine(...args);
    current.options = {
      platform: 'cloud',
      host: TENANT,
      auth: staticToken(TOKEN),
      createSocket: current.harness.createSocket,
      sessionLimiter: new SessionLimiter(),
    };
  });
  afterEach(async () => {
    await current.harness.close();
  });
  return current;
}
