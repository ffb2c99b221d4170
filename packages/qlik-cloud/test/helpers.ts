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

/** Tokens and retries without real waiting: no retries unless a test asks for them. */
export const fastTransport = { retry: false as const, timeoutMs: 5_000 };
