// Step runner
export { defineRecipe, type Recipe, type RecipeOptions } from './recipe.js';
export {
  defineStep,
  type Inspection,
  type StepAction,
  type StepContext,
  type StepDefinition,
  type StepJournalView,
  type WriteInspection,
} from './step.js';
export {
  applyRecipe,
  planRecipe,
  DEFAULT_JOURNAL_DIRECTORY,
  type ApplyOptions,
  type ApplyResult,
  type PlanOptions,
  type PlanResult,
  type PlannedStep,
  type StepResult,
} from './runner.js';
export {
  runFleet,
  planFleet,
  FleetStoppedError,
  type CustomerPlan,
  type CustomerResult,
  type FleetOptions,
  type FleetPlanOptions,
  type FleetResult,
} from './fleet.js';
export { isRetryableStepError, type StepRetryOptions } from './retry.js';

// Events and errors
export {
  RecipeEvents,
  type RecipeEvent,
  type RecipeEventHandler,
  type RecipeEventMap,
  type RecipeEventName,
} from './events.js';
export type { EventOptions } from './emit.js';
export { RecipeStepError, isRecipeStepError } from './errors.js';
export { serializeError, type SerializedError } from './serialize-error.js';

// Journal
export {
  JOURNAL_VERSION,
  isJournalEntry,
  type JournalEntry,
  type JournalStore,
  type RunStatus,
} from './journal/types.js';
export { FileJournalStore, createFileJournalStore, type FileJournalStoreOptions } from './journal/file-store.js';
export { MemoryJournalStore, createMemoryJournalStore } from './journal/memory-store.js';
export { CustomerLockedError, LeaseLostError, type LockHolder } from './journal/lock-error.js';
export {
  DEFAULT_LEASE_MS,
  acquireLease,
  type JournalLock,
  type Lease,
  type LeaseBackend,
  type LeaseHolder,
  type LeaseOptions,
} from './journal/lease.js';
export { compactJournal } from './journal/compact.js';
export { replaceFileDurably, type ReplaceFileOptions } from './journal/durable-file.js';

// Secrets (the input schemas and `parseInput` are the `@qlik-oem/recipes/schemas` entry)
export { Secret } from './validation/secret.js';

// Onboarding recipes: the provisioning environment
export {
  createProvisioningEnvironment,
  type ProvisioningEngineAccess,
  type ProvisioningEnvironment,
  type ProvisioningEnvironmentOptions,
} from './recipes/context.js';

// Onboarding recipes: onboardTenant and its inputs
export {
  spaceNameFor,
  type Customer,
  type CustomerInput,
  type OnboardInput,
  type OnboardInputRaw,
  type PartnerConfig,
  type PartnerConfigInput,
} from './recipes/customer.js';
export {
  onboardTenant,
  onboardTenantRecipe,
  onboardedTenantOf,
  readSourceLicenseKey,
  tenantAliasHost,
  TenantDeactivatedError,
  TenantOwnershipError,
  TenantCreateAmbiguousError,
  TenantCreateUncertainError,
  ownershipMarkName,
  type OnboardedTenant,
  type OnboardRecipeOptions,
  type OnboardTenantOutputs,
  type OnboardTenantRecipe,
} from './recipes/onboard-tenant.js';
export type { TenantCreateIntent, TenantLedger } from './recipes/onboard/tenant-ledger.js';
export {
  findGroupByName,
  findSpaceByExactName,
  findTenantByHost,
  findUserByEmail,
  type SpaceSummary,
  type TenantSummary,
} from './recipes/finders.js';
export {
  deprovisionTenant,
  deprovisionTenantRecipe,
  reactivateTenant,
  reactivateTenantRecipe,
  type DeprovisionInput,
  type TenantLifecycleInput,
} from './recipes/deprovision-tenant.js';
export {
  provisionFleet,
  planProvisionFleet,
  createCustomerProvisioner,
  type CustomerProvisioner,
  type FleetConfig,
  type FleetHydrateConfig,
  type FleetMultiCloudConfig,
  type ProvisionedCustomer,
  type ProvisionFleetInput,
  type ProvisionFleetOptions,
  type ProvisionFleetResult,
} from './recipes/provision-fleet.js';

// hydrateFromTemplate: template export cache, reload wait, reload schedule
export {
  hydrateFromTemplate,
  hydrateFromTemplateRecipe,
  hydrateOutputs,
  planHydrateFromTemplate,
  type HydrateEnvironment,
  type HydrateFromTemplateInput,
  type HydrateFromTemplateOptions,
  type HydrateFromTemplateOutputs,
  type HydrateFromTemplateParsedInput,
  type HydrateFromTemplateRecipe,
} from './recipes/hydrate-from-template.js';
export type { TemplateExportOutputs } from './recipes/hydrate/template-steps.js';
export {
  createTemplateExportCache,
  type TemplateExportCache,
  type TemplateMetadata,
  type TemplateSource,
} from './recipes/template-export.js';
export {
  AppReloadFailedError,
  ReloadWaitTimeoutError,
  isAppReloadFailedError,
  isReloadWaitTimeoutError,
  startReload,
  waitForReload,
  type ReloadRecord,
  type WaitForReloadOptions,
} from './recipes/reload-wait.js';
export type { FetchedTable } from './recipes/reload-log.js';
export {
  reloadScheduleTask,
  findSchedulingTasks,
  createReloadSchedule,
  updateReloadSchedule,
  deleteReloadSchedule,
  RELOAD_SCHEDULE_ANNOTATION,
  type ReloadSchedule,
  type ReloadScheduleInput,
  type ScheduleDefinition,
  type SchedulingTask,
} from './recipes/hydrate/reload-schedule.js';

export {
  deployAutomations,
  deployAutomationsRecipe,
  deployAutomationsStep,
  planDeployAutomations,
  readAutomationFile,
  findAutomationByName,
  automationDifferences,
  AutomationRunFailedError,
  type Automation,
  type AutomationChange,
  type AutomationDefinition,
  type AutomationSpec,
  type AutomationSpecInput,
  type DeployAutomationsEnvironment,
  type DeployAutomationsInput,
  type DeployAutomationsOutputs,
} from './recipes/deploy-automations.js';

// Multi-cloud: QSEoW distributes apps to the customers' tenants
export {
  setupMultiCloud,
  setupMultiCloudFleet,
  setupMultiCloudRecipe,
  setupMultiCloudSteps,
  type MultiCloudCustomer,
  type MultiCloudCustomerInput,
  type SetupMultiCloudOutputs,
  type SetupMultiCloudRecipe,
} from './recipes/setup-multi-cloud.js';
export {
  createQseowSite,
  type QseowSite,
  type QseowSiteOptions,
  type WaitClock,
} from './recipes/setup-multi-cloud-site.js';
export type { AnyStep } from './recipe.js';

// White-label and embedding: customizeTenant (web integration, CSP origins, brand, extensions, themes, impersonation client)
export {
  customizeTenant,
  replaceImpersonationClientSecret,
  rotateImpersonationClientSecret,
  findImpersonationClientId,
  planCustomizeTenant,
  createCustomizeTenantRecipe,
  customizeTenantSteps,
  type CustomizeTenantOutputs,
  type CustomizeTenantStepsOptions,
  type CustomizeTenantTarget,
  type TenantAccess,
  type WebIntegrationOutputs,
  type CspOriginsOutputs,
  type BrandOutputs,
  type ExtensionsOutputs,
  type ThemesOutputs,
  type ImpersonationClientOutputs,
} from './recipes/customize-tenant.js';
export type {
  ImpersonationClientSecretStore,
  NewImpersonationClientSecret,
  RotatedClientSecret,
} from './recipes/customize-tenant-impersonation.js';
export { CSP_DIRECTIVES, CustomizationFile, type CspDirective } from './recipes/customize-tenant-values.js';
export type {
  CustomizeTenantInput,
  CustomizeTenantInputRaw,
  TenantCustomization,
  TenantCustomizationInput,
} from './recipes/customize-tenant-input.js';
export { CONTENT_TAG_PREFIX } from './recipes/customize-tenant-bundles.js';
export type { ImpersonationClientUpdate } from './recipes/customize-tenant-impersonation.js';
export {
  s3DataConnection,
  S3_CONNECTOR,
  type S3DataConnection,
  type S3DataConnectionOptions,
} from './recipes/customize-tenant-s3-connection.js';

// Types that appear in the public signatures above.
export type { EntryBase } from './journal/types.js';
export type { GroupIds, OutputsOf } from './recipes/onboard-tenant.js';
export type { BrandFileId, BrandUpdate } from './recipes/customize-tenant-brand.js';
export type { CspChange, CspOriginSpec } from './recipes/customize-tenant-embedding.js';
export type { BundleChange, BundleSpec } from './recipes/customize-tenant-bundles.js';
export type { ReloadScheduleOutputs } from './recipes/hydrate/schedule-step.js';
export type { MigrateReloadTasksOutputs } from './recipes/hydrate/migrate-reload-tasks-step.js';
export {
  assessQseowSite,
  type AppDisposition,
  type AssessedApp,
  type AssessmentOptions,
  type QseowAssessment,
} from './assessment/assess-qseow-site.js';
export { RULE_DOCS, type Finding, type Severity } from './assessment/rules.js';
export { renderAssessmentHtml, type AssessmentHtmlOptions } from './assessment/report-html.js';
export type { InventoryApp, SiteInventory } from './assessment/inventory.js';
export type { ReloadOutputs } from './recipes/hydrate/reload-step.js';
