/**
 * What the scopes of an OAuth token let through. Scopes only restrict: the user must still hold the
 * tenant role or space role the operation needs (qlik.dev authenticate/oauth/scopes: "scopes limit what
 * an OAuth client can do on behalf of a user").
 *
 * - `admin_classic`: "Full administrator access to your tenant", OAuth only (qlik.dev
 *   manage/access-control/scopes). Needed by every administration operation.
 * - `user_default`: "Full user access to your tenant", the default scope of `@qlik/api`
 *   (qlik-oss/qlik-api-ts docs/authentication.md). Enough for content (spaces, apps, items, reloads, ...).
 * - `admin.apps`: lets an M2M bot reach personal and private content (qlik.dev changelog 86,
 *   "m2m-access-personal-metadata").
 *
 * Beyond the docs (unverified): `admin_classic` alone also passes user operations (it is the wider of the
 * two); other fine-grained scopes (`apps:read`, ...) are not modelled and pass nothing. Registry:
 * auth-admin-classic-passes-user.
 */
export type ScopeNeed = 'admin' | 'user';

export const ADMIN_SCOPE = 'admin_classic';
export const USER_SCOPE = 'user_default';
export const PERSONAL_CONTENT_SCOPE = 'admin.apps';

/** True when the token's scopes allow an operation of this kind (a JWT session has no scopes: always). */
export function scopesAllow(scopes: ReadonlySet<string> | undefined, need: ScopeNeed): boolean {
  if (scopes === undefined) return true;
  if (need === 'admin') return scopes.has(ADMIN_SCOPE);
  return scopes.has(USER_SCOPE) || scopes.has(ADMIN_SCOPE);
}
