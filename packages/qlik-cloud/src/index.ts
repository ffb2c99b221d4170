// The root: the facade of all 28 APIs (createQlikCloud) and the helpers that take it, plus everything of
// `@qlik-oem/qlik-cloud/base`. Each API also has its own entry point (`@qlik-oem/qlik-cloud/spaces`, …).
export * from './base.js';
export { createQlikCloud, type QlikCloud, type QlikCloudClients } from './facade.js';
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
export { qlikCloudApiNames, type QlikCloudApiName, type QlikCloudApiPaths } from './generated/apis.js';
export type * from './generated/apis.js';
