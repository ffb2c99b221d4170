import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isQlikRateLimitError, isQlikTimeoutError } from '@qlik-oem/core';
import { isEngineConnectError, openApp, SessionLimiter, type CreateSocket } from '../src/index.js';
import { staticToken } from './harness.js';

let server: Server | undefined;
const hanging = new Set<import('node:stream').Duplex>();

afterEach(async () => {
  for (const socket of hanging) socket.destroy();
  hanging.clear();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A socket factory that sends every upgrade to the local `server` on `port`. */
const towards =
  (port: number): CreateSocket =>
  (url, init) =>
    new WebSocket(`ws://127.0.0.1:${port}${new URL(url).pathname}`, init);

/** A server that answers every WebSocket upgrade with `status` (and the given headers). */
async function refusingServer(status: number, headers: Record<string, string> = {}): Promise<CreateSocket> {
  server = createServer();
  server.on('upgrade', (_request, socket) => {
    const lines = [
      `HTTP/1.1 ${status} Refused`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Content-Length: 0',
      'Connection: close',
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return towards((server.address() as AddressInfo).port);
}

/** Opens `app-1` through `createSocket` and returns what the open rejected with. */
function openAppError(
  createSocket: CreateSocket,
  extra: { sessionLimiter?: SessionLimiter; connectTimeoutMs?: number } = {},
): Promise<unknown> {
  return openApp(
    {
      platform: 'cloud',
      host: 'acme.eu.qlikcloud.com',
      auth: staticToken('t'),
      createSocket,
      sessionLimiter: extra.sessionLimiter ?? new SessionLimiter(),
      ...(extra.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: extra.connectTimeoutMs }),
    },
    'app-1',
  ).catch((caught: unknown) => caught);
}

describe('rejected upgrades', () => {
  it('maps 429 to QlikRateLimitError with Retry-After', async () => {
    const error = await openAppError(await refusingServer(429, { 'Retry-After': '7' }));
    expect(isQlikRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000 });
  });

  it('maps other statuses to EngineConnectError with the status', async () => {
    const error = await openAppError(await refusingServer(503));
    expect(isEngineConnectError(error)).toBe(true);
    expect(error).toMatchObject({ status: 503 });
  });

  it('gives up on an upgrade that never completes (QlikTimeoutError) and frees the slot', async () => {
    server = createServer();
    server.on('upgrade', (_request, socket) => hanging.add(socket)); // accepts the connection, never answers
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const limiter = new SessionLimiter();
    const started = Date.now();
    const error = await openAppError(towards((server.address() as AddressInfo).port), {
      sessionLimiter: limiter,
      connectTimeoutMs: 200,
    });
    expect(isQlikTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(limiter.active('cloud|acme.eu.qlikcloud.com|static:test')).toBe(0);
  });

  it('maps a refused connection to EngineConnectError with the system code', async () => {
    const error = await openAppError(towards(1));
    expect(isEngineConnectError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
