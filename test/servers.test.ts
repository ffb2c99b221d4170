// test/servers.ts: a missing server variable skips with its name, or fails when CI requires the servers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverUrl } from './servers.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

describe('serverUrl', () => {
  it('returns the URL when the variable is set', () => {
    process.env.TEST_REDIS_URL = 'redis://127.0.0.1:6390';
    expect(serverUrl('TEST_REDIS_URL')).toBe('redis://127.0.0.1:6390');
  });

  it('warns with the missing variable and returns undefined when servers are optional', () => {
    delete process.env.TEST_POSTGRES_URL;
    delete process.env.QLIK_OEM_REQUIRE_SERVERS;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(serverUrl('TEST_POSTGRES_URL')).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toContain('TEST_POSTGRES_URL is not set');
  });

  it('throws, naming the variable, when QLIK_OEM_REQUIRE_SERVERS=1', () => {
    delete process.env.TEST_POSTGRES_URL;
    process.env.QLIK_OEM_REQUIRE_SERVERS = '1';
    expect(() => serverUrl('TEST_POSTGRES_URL')).toThrow(/TEST_POSTGRES_URL is not set.*QLIK_OEM_REQUIRE_SERVERS=1/);
  });
});
