/**
 * The `@qlik-oem/qlik-cloud/base` entry point: everything of the package that names no API's generated types
 * (the connection, auth, results, pagination, host and tier helpers, embedding). With the per-API entry points
 * (`@qlik-oem/qlik-cloud/spaces`, …) a partner's type-check reads only the APIs it imports; the root adds the
 * facade of all 28 APIs and the helpers that take it.
 *
 * @module base
 */
export { createQlikCloudConnection, type QlikCloudConnection, type QlikCloudOptions } from './connection.js';
export { oauthClientCredentials, type OAuthClientCredentialsOptions } from './auth/oauth-client-credentials.js';
export {
  oauthImpersonation,
  type ImpersonatedUser,
  type SubjectUser,
  type OAuthImpersonationOptions,
  type UserTokens,
} from './auth/oauth-impersonation.js';
export type { OAuthClientOptions } from './auth/oauth-token-provider.js';
export { apiKey } from './auth/api-key.js';
export { clearOAuthTokenCache } from './auth/token-cache.js';
export { parseQlikHost, regionFromHost, registrationHost, type QlikHost } from './host.js';
export { qlikCloudTierResolver, qlikCloudTiers, tierFor, type QlikCloudTierName } from './tiers.js';
export {
  paginate,
  collectAll,
  type AnyPaths,
  type GetPaths,
  type ListInit,
  type ListItem,
  type ListPath,
  type ListResponse,
  type PaginateArgs,
  type PaginateOptions,
} from './pagination.js';
export { unwrap, type UnwrappedData, type UnwrappedOptionalData } from './unwrap.js';
export {
  signUserJwt,
  createJwtSession,
  JWT_SESSION_AUDIENCE,
  MAX_JWT_LIFETIME_SECONDS,
  type SignUserJwtOptions,
  type UserJwtAlgorithm,
  type CreateJwtSessionOptions,
  type JwtSession,
  type SessionCookie,
} from './embed/index.js';
export {
  ORGANIZATION_HOST,
  ORGANIZATION_TENANTS_SCOPE,
  createQlikOrganization,
  type OrganizationTenant,
  type QlikOrganization,
  type QlikOrganizationOptions,
} from './organization.js';
