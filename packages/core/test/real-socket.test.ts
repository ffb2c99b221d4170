import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, isQlikNetworkError, isQlikTimeoutError } from '../src/index.js';

// A real server on 127.0.0.1, to check that the errors Node's fetch really throws are recognised.
let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const path = req.url ?? '';
    if (path.startsWith('/reset-once') && hits % 2 === 1) {
      req.socket.destroy(); // the client sees the connection drop mid-request
      return;
    }
    if (path.startsWith('/reset-always')) {
      req.socket.destroy();
      return;
    }
    if (path.startsWith('/slow')) {
      const timer = setTimeout(() => res.end('late'), 2_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 }, pacing: false as const };

describe('against a real socket', () => {
  it('retries a GET whose connection was dropped', async () => {
    hits = 0;
    const response = await createTransport(fast)(`${base}/reset-once`);
    expect(await response.text()).toBe('ok');
    expect(hits).toBe(2);
  });

  it('does not re-send a POST whose connection was dropped, and says why', async () => {
    hits = 0;
    const error = await createTransport(fast)(`${base}/reset-always`, { method: 'POST', body: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(isQlikNetworkError(error)).toBe(true);
    expect((error as { code?: string }).code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    expect(hits).toBe(1);
  });

  it('times out each attempt and gives up with QlikTimeoutError', async () => {
    hits = 0;
    const started = Date.now();
    // 500 ms per attempt: long enough for each attempt's request to reach the server on a loaded machine.
    const error = await createTransport({ ...fast, timeoutMs: 500, retry: { ...fast.retry, maxAttempts: 2 } })(
      `${base}/slow`,
    ).catch((e: unknown) => e);
    expect(isQlikTimeoutError(error)).toBe(true);
    expect(hits).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a refused connection is a QlikNetworkError with ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await createTransport({ ...fast, retry: { ...fast.retry, maxAttempts: 2 } })(
      `http://127.0.0.1:${port}/`,
    ).catch((e: unknown) => e);
    expect(isQlikNetworkError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
