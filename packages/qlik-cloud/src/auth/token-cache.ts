import type { AccessToken } from '@qlik-oem/core';
import { fingerprint } from './credential-display.js';

/**
 * Process-wide cache of OAuth tokens keyed by (token endpoint, client id, scope, secret fingerprint), so that
 * several facades built with the same credentials share one token and one in-flight request. The secret is
 * part of the key only as a hash, so a rotated secret never reuses a token obtained with the old one.
 */
interface CacheEntry {
  token?: AccessToken;
  inFlight?: Promise<AccessToken>;
}

const entries = new Map<string, CacheEntry>();

export function tokenCacheKey(parts: {
  endpoint: string;
  clientId: string;
  scope: string;
  clientSecret: string;
}): string {
  return JSON.stringify([parts.endpoint, parts.clientId, parts.scope, fingerprint(parts.clientSecret, 16)]);
}

export function cacheEntry(key: string): CacheEntry {
  let entry = entries.get(key);
  if (!entry) {
    entry = {};
    entries.set(key, entry);
  }
  return entry;
}

/** Forgets every cached OAuth token of this process (e.g. after rotating credentials, or between tests). */
export function clearOAuthTokenCache(): void {
  entries.clear();
}
