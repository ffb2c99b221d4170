/** Who is calling: resolved from the bearer token. Never holds the token itself. */
export interface Principal {
  /**
   * 'user': a token for a tenant (the OAuth client's bot user); 'registration': a regional token on
   * register.<region>; 'organization': an organization-level token on console.qlikcloud.com.
   */
  kind: 'user' | 'registration' | 'organization';
  clientId: string;
  /** The bot user id in the tenant (kind 'user'); the client id on the registration host. */
  userId: string;
  tenantId?: string;
  region: string;
  scopes: string[];
  /** A JWT login session (cookie), not an OAuth token: scopes do not restrict it. */
  session?: boolean;
  /** An API key's token: it acts as the user with the user's roles; scopes do not restrict it. */
  apiKey?: boolean;
  /** Issued by the user-impersonation grant: the client acts as `userId`, not as its bot. */
  impersonated?: boolean;
  /** Simulated epoch ms. */
  expiresAt: number;
}
