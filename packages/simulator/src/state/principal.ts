/** Who is calling: resolved from the bearer token. Never holds the token itself. */
export interface Principal {
  /** 'user': a token for a tenant (the OAuth client's bot user); 'registration': a regional token on register.<region>. */
  kind: 'user' | 'registration';
  clientId: string;
  /** The bot user id in the tenant (kind 'user'); the client id on the registration host. */
  userId: string;
  tenantId?: string;
  region: string;
  scopes: string[];
  /** Simulated epoch ms. */
  expiresAt: number;
}
