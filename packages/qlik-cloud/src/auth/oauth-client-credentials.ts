// OAuth 2 client credentials (machine-to-machine) as a TokenProvider.
import type { TokenProvider } from '@qlik-oem/core';
import { cachedTokenProvider, oauthClient, type OAuthClientOptions } from './oauth-token-provider.js';

export type OAuthClientCredentialsOptions = OAuthClientOptions;

/**
 * A TokenProvider for OAuth 2 client credentials (machine-to-machine) against `POST https://<host>/oauth/token`.
 * Tokens are cached per (host, client, scope) across providers, refreshed `refreshMarginMs` before `expires_at`,
 * and concurrent callers share one request. The client secret is never in `id`, inspect output, JSON or errors.
 */
export function oauthClientCredentials(options: OAuthClientCredentialsOptions): TokenProvider {
  const client = oauthClient(options, 'oauthClientCredentials');
  const id = `oauth:${client.clientId}@${client.hostname}${client.scope === '' ? '' : `#${client.scope}`}`;
  return cachedTokenProvider(client, id, '', () => client.request({ grant_type: 'client_credentials' }));
}
