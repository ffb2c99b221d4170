import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { clearOAuthTokenCache } from '../src/index.js';

export const TENANT = 'acme.eu.qlikcloud.com';
export const BASE = `https://${TENANT}`;

/** One msw server per test file; any request without a handler fails the test. */
export function useMockServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    clearOAuthTokenCache();
  });
  afterAll(() => server.close());
  return server;
}

/**
 * globalThis.fetch with the response body buffered. msw's mocked bodies never settle `body.cancel()`, which
 * the core transport awaits before retrying (after a 401 or 429); a buffered body cancels at once.
 */
export async function mswSafeFetch(input: Request, init?: RequestInit): Promise<Response> {
  const response = await globalThis.fetch(input, init);
  if (response.body === null) return response;
  const buffered = new Response(await response.arrayBuffer(), response);
  // Keep the URL: pagination resolves relative links against it.
  Object.defineProperty(buffered, 'url', { value: response.url });
  return buffered;
}

/** No retries unless a test asks for them, short timeouts, and msw-safe bodies. */
export const fastTransport = { retry: false as const, timeoutMs: 5_000, fetch: mswSafeFetch };
