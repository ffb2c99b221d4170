// OAuth user impersonation (`urn:qlik:oauth:user-impersonation`): the partner's backend gets an access token
// that acts as one end user, for embedding with qlik-embed or calling the APIs as that user.
import {
  createTransport,
  errorFromResponse,
  isQlikAuthError,
  QlikValidationError,
  type TokenProvider,
} from '@qlik-oem/core';
import { cachedTokenProvider, oauthClient, requireText, type OAuthClientOptions } from './oauth-token-provider.js';

const GRANT = 'urn:qlik:oauth:user-impersonation';
const LABEL = 'oauthImpersonation';

/** The end user, by their subject (the partner's id for them, the JWT `sub`) or by their Qlik user id. */
export type ImpersonatedUser = SubjectUser | { userId: string };

/** A user by subject, with the profile to create them with when the tenant does not know them. */
export interface SubjectUser {
  subject: string;
  name?: string;
  email?: string;
}

export interface OAuthImpersonationOptions extends OAuthClientOptions {
  /**
   * Creates an end user the tenant does not know yet, then asks once more (after a refused grant, the user is
   * looked up by subject: Qlik does not document the error code of an unknown user, so it is not relied on):
   * a token provider allowed to create users (e.g. the tenant's client credentials with `admin_classic`).
   * Only users given by `subject` can be created. Omit to let an unknown user fail with `QlikAuthError`.
   */
  createUsersWith?: TokenProvider;
}

export interface UserTokens {
  /**
   * A TokenProvider acting as `user`: the token is cached per user (across providers, like every OAuth token of
   * this process) until `refreshMarginMs` before it expires; concurrent callers share one request.
   */
  forUser(user: ImpersonatedUser): TokenProvider;
}

function lookupOf(user: ImpersonatedUser): { field: 'subject' | 'userId'; value: string } {
  if (typeof user !== 'object' || user === null) throw new QlikValidationError(`${LABEL}: a user is required`);
  if ('userId' in user) return { field: 'userId', value: requireText(user.userId, LABEL, 'userId') };
  return { field: 'subject', value: requireText(user.subject, LABEL, 'subject') };
}

/**
 * Tokens for end users from an OAuth client allowed to impersonate (its `allowedGrantTypes` include
 * `urn:qlik:oauth:user-impersonation`). Scope defaults to `user_default`. Options are checked before any request;
 * the client secret is never in an id, inspect output, JSON or error.
 */
export function oauthImpersonation(options: OAuthImpersonationOptions): UserTokens {
  const client = oauthClient({ ...options, scope: options.scope ?? 'user_default' }, LABEL);
  const admin = options.createUsersWith
    ? createTransport({ ...(options.fetch ? { fetch: options.fetch } : {}), auth: options.createUsersWith })
    : undefined;

  const usersUrl = `https://${client.hostname}/api/v1/users`;

  /** True when the tenant has a user with this subject (through the admin provider). */
  async function userExists(subject: string): Promise<boolean> {
    const url = `${usersUrl}?${new URLSearchParams({ filter: `subject eq "${subject.replace(/["\\]/g, '\\$&')}"`, limit: '1' }).toString()}`;
    const response = await admin!(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw await errorFromResponse(response, { method: 'GET', url: usersUrl });
    const body = (await response.json()) as { data?: unknown[] };
    return (body.data ?? []).length > 0;
  }

  async function createUser(user: SubjectUser): Promise<void> {
    const response = await admin!(usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        // No status: the users spec allows only "invited" on create; an impersonated user never signs in by email.
        subject: user.subject,
        ...(user.name ? { name: user.name } : {}),
        ...(user.email ? { email: user.email } : {}),
      }),
    });
    // 409: someone created them meanwhile, which is what we wanted.
    if (!response.ok && response.status !== 409)
      throw await errorFromResponse(response, { method: 'POST', url: usersUrl });
    await response.body?.cancel();
  }

  return {
    forUser(user) {
      const lookup = lookupOf(user);
      const subject = `${lookup.field}:${lookup.value}`;
      const id = `oauth-impersonation:${client.clientId}@${client.hostname}#${subject}`;
      const grant = { grant_type: GRANT, user_lookup: lookup };
      return cachedTokenProvider(client, id, subject, async () => {
        try {
          return await client.request(grant);
        } catch (error) {
          const refused = isQlikAuthError(error) && error.status === 400;
          if (!refused || !admin || !('subject' in user) || (await userExists(user.subject))) throw error;
          await createUser(user);
          return client.request(grant);
        }
      });
    },
  };
}
