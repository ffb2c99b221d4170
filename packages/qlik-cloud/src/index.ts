export { createQlikCloud, type QlikCloud, type QlikCloudClients, type QlikCloudOptions } from './facade.js';
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
  type RequiredKeys,
} from './pagination.js';
export { unwrap, type UnwrappedData } from './unwrap.js';
export {
  APP_IMPORTS_QUOTA_ID,
  QuotaExceededError,
  assertImportQuota,
  importWithinQuota,
  isQuotaExceededError,
  nextUtcMidnight,
  readQuota,
  type TenantQuota,
} from './quotas.js';
export {
  exportApp,
  exportAppStream,
  importApp,
  type ExportAppOptions,
  type ImportAppOptions,
  type ImportAppSource,
  type ImportedApp,
} from './app-transfer.js';
export {
  createMultiCloudIdentityProvider,
  multiCloudIdentityProviderBody,
  type MultiCloudIdentityProviderBody,
  type MultiCloudIdentityProviderInput,
  type IdentityProvidersClient,
} from './multi-cloud-idp.js';
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
export { qlikCloudApiNames, type QlikCloudApiName, type QlikCloudApiPaths } from './generated/apis.js';
export type * from './generated/apis.js';
export {
  ORGANIZATION_HOST,
  ORGANIZATION_TENANTS_SCOPE,
  createQlikOrganization,
  type OrganizationTenant,
  type QlikOrganization,
  type QlikOrganizationOptions,
} from './organization.js';
