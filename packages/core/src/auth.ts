/** A bearer token and, when known, when it stops working (epoch ms). */
export interface AccessToken {
  token: string;
  expiresAt?: number;
}

/**
 * A source of bearer tokens. `id` is a stable, non-secret name of the credential
 * (e.g. `oauth:<clientId>@<host>#<scope>`), used in pacing keys and logs.
 */
export interface TokenProvider {
  readonly id: string;
  getToken(options?: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<AccessToken>;
  /** Called after a 401 with that token, so the next `getToken()` does not return it again. */
  invalidate(token: string): void;
}
