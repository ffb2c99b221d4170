import { QlikValidationError, type AccessToken, type TokenProvider } from '@qlik-oem/core';
import { INSPECT_CUSTOM, fingerprint } from './credential-display.js';

/**
 * A TokenProvider for a Qlik Cloud API key (sent as `Authorization: Bearer <key>`). The key never appears in
 * the provider's `id`, its inspect output or its JSON; `id` carries a short fingerprint so pacing can tell keys apart.
 */
export function apiKey(key: string): TokenProvider {
  if (typeof key !== 'string' || key.trim() === '') {
    throw new QlikValidationError('apiKey(key): the API key must be a non-empty string');
  }
  if (/\s/.test(key.trim())) throw new QlikValidationError('apiKey(key): the API key must not contain whitespace');
  const token: AccessToken = { token: key.trim() };
  const id = `apikey:${fingerprint(token.token, 12)}`;
  const describe = () => `ApiKeyTokenProvider { id: '${id}' }`;
  return {
    id,
    async getToken() {
      return token;
    },
    // An API key cannot be refreshed: a 401 means it is revoked or expired, which the caller must see.
    invalidate() {},
    toJSON: () => ({ id }),
    toString: describe,
    [INSPECT_CUSTOM]: describe,
  } as TokenProvider;
}
