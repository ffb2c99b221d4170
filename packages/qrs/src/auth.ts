import type { TokenProvider } from '@qlik-oem/core';

/** How the QRS client authenticates. */
export type QrsAuth = QrsCertificateAuth | QrsJwtAuth | QrsHeaderAuth;

/**
 * Mutual TLS with the certificates exported from the QMC (client.pem, client_key.pem, root.pem), straight to the
 * repository on port 4242. The user is sent in `X-Qlik-User`.
 */
export interface QrsCertificateAuth {
  type: 'certificate';
  /** PEM client certificate. */
  cert: string | Buffer;
  /** PEM private key of the client certificate. */
  key: string | Buffer;
  /** Passphrase of the key, if it is encrypted. */
  passphrase?: string;
  /** PEM CA that signed the server certificate (QSEoW's root.pem). TLS verification always stays on. */
  ca?: string | Buffer;
  /** The user QRS acts as. Default: `{ userDirectory: 'INTERNAL', userId: 'sa_repository' }`. */
  user?: { userDirectory: string; userId: string };
}

/** A JWT sent as `Authorization: Bearer` through a virtual proxy configured for JWT authentication. */
export interface QrsJwtAuth {
  type: 'jwt';
  /**
   * The signed JWT, a function that returns a fresh one, or a `TokenProvider` from `@qlik-oem/core`
   * (refreshed before `expiresAt` and once after a 401).
   */
  token: string | (() => string | Promise<string>) | TokenProvider;
  /** PEM CA to trust a self-signed proxy certificate. */
  ca?: string | Buffer;
}

/** Header authentication through a virtual proxy configured with a header name (e.g. `hdr-usr: DIR\user`). */
export interface QrsHeaderAuth {
  type: 'header';
  /** The header the virtual proxy reads the user from. */
  headerName: string;
  /** The user, as the virtual proxy expects it (typically `DIRECTORY\userid`). */
  user: string;
  /** PEM CA to trust a self-signed proxy certificate. */
  ca?: string | Buffer;
}

export const DEFAULT_QRS_USER = { userDirectory: 'INTERNAL', userId: 'sa_repository' } as const;

/** `X-Qlik-User: UserDirectory=<dir>; UserId=<id>`, both URL-encoded as QRS expects. */
export function formatQlikUserHeader(user: { userDirectory: string; userId: string }): string {
  return `UserDirectory=${encodeURIComponent(user.userDirectory)}; UserId=${encodeURIComponent(user.userId)}`;
}
