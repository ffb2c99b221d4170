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
export {
  createInProcessCoordination,
  type FleetCoordination,
  type TenantClaims,
} from './journal/fleet-coordination.js';
export {
  createFleetGate,
  createInProcessGate,
  type FleetGate,
  type FleetGateBackend,
  type FleetGateRelease,
} from './journal/fleet-gate.js';
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

// The recipes. Each entry point below loads the recipes' implementation on its first call (`lazy.ts`), so
// importing the package compiles only the runner, the journal and the environment. What recipes are built of
// (recipe factories, step builders, finders, schedule helpers) is `@qlik-oem/recipes/steps`; the QSEoW
// assessment is `@qlik-oem/recipes/assessment`.
export * from './entry-points.js';
export { createCustomerProvisioner } from './customer-provisioner.js';

// Errors the recipes throw, and their guards
export {
  TenantDeactivatedError,
  TenantOwnershipError,
  TenantCreateAmbiguousError,
  TenantCreateUncertainError,
  AutomationRunFailedError,
} from './recipes/errors.js';
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
export { RELOAD_SCHEDULE_ANNOTATION } from './recipes/hydrate/reload-schedule.js';
export { CSP_DIRECTIVES, CustomizationFile, type CspDirective } from './recipes/customize-tenant-values.js';

// Types of the recipes' inputs, outputs and options
export type {
  Customer,
  CustomerInput,
  OnboardInput,
  OnboardInputRaw,
  PartnerConfig,
  PartnerConfigInput,
} from './recipes/customer.js';
export type {
  OnboardedTenant,
  OnboardRecipeOptions,
  OnboardTenantOutputs,
  OnboardTenantRecipe,
  GroupIds,
  OutputsOf,
} from './recipes/onboard-tenant.js';
export type { TenantCreateIntent, TenantLedger } from './recipes/onboard/tenant-ledger.js';
export type { SpaceSummary, TenantSummary } from './recipes/finders.js';
export type { DeprovisionInput, TenantLifecycleInput } from './recipes/deprovision-tenant.js';
export type {
  CustomerProvisioner,
  FleetConfig,
  FleetHydrateConfig,
  FleetMultiCloudConfig,
  ProvisionedCustomer,
  ProvisionFleetInput,
  ProvisionFleetOptions,
  ProvisionFleetResult,
} from './recipes/provision-fleet.js';
export type {
  HydrateEnvironment,
  HydrateFromTemplateInput,
  HydrateFromTemplateOptions,
  HydrateFromTemplateOutputs,
  HydrateFromTemplateParsedInput,
} from './recipes/hydrate/input.js';
export type { HydrateFromTemplateRecipe } from './recipes/hydrate-from-template.js';
export type { TemplateExportOutputs } from './recipes/hydrate/template-steps.js';
export type { TemplateExportCache, TemplateMetadata, TemplateSource } from './recipes/template-export.js';
export type { FetchedTable } from './recipes/reload-log.js';
export type {
  ReloadSchedule,
  ReloadScheduleInput,
  ScheduleDefinition,
  SchedulingTask,
} from './recipes/hydrate/reload-schedule.js';
export type {
  Automation,
  AutomationChange,
  DeployAutomationsEnvironment,
  DeployAutomationsOutputs,
} from './recipes/deploy-automations.js';
export type {
  AutomationDefinition,
  AutomationSpec,
  AutomationSpecInput,
  DeployAutomationsInput,
} from './recipes/deploy-automations-input.js';
export type {
  MultiCloudCustomer,
  MultiCloudCustomerInput,
  SetupMultiCloudOutputs,
  SetupMultiCloudRecipe,
} from './recipes/setup-multi-cloud.js';
export type { QseowSite, QseowSiteOptions, WaitClock } from './recipes/setup-multi-cloud-site.js';
export type { AnyStep } from './recipe.js';
export type {
  CustomizeTenantOutputs,
  CustomizeTenantStepsOptions,
  CustomizeTenantTarget,
  TenantAccess,
  WebIntegrationOutputs,
  CspOriginsOutputs,
  BrandOutputs,
  ExtensionsOutputs,
  ThemesOutputs,
  ImpersonationClientOutputs,
} from './recipes/customize-tenant.js';
export type {
  ImpersonationClientSecretStore,
  ImpersonationClientUpdate,
  NewImpersonationClientSecret,
  RotatedClientSecret,
} from './recipes/customize-tenant-impersonation.js';
export type {
  CustomizeTenantInput,
  CustomizeTenantInputRaw,
  TenantCustomization,
  TenantCustomizationInput,
} from './recipes/customize-tenant-input.js';
export type { S3DataConnection, S3DataConnectionOptions } from './recipes/customize-tenant-s3-connection.js';

// Types that appear in the public signatures above.
export type { EntryBase } from './journal/types.js';
export type { BrandFileId, BrandUpdate } from './recipes/customize-tenant-brand.js';
export type { CspChange, CspOriginSpec } from './recipes/customize-tenant-embedding.js';
export type { BundleChange, BundleSpec } from './recipes/customize-tenant-bundles.js';
export type { ReloadScheduleOutputs } from './recipes/hydrate/schedule-step.js';
export type { MigrateReloadTasksOutputs } from './recipes/hydrate/migrate-reload-tasks-step.js';
export type { ReloadOutputs } from './recipes/hydrate/reload-step.js';
