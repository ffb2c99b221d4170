export type { SimRequest, SimResponse, SimContext, Route, RouteHandler } from './http/types.js';
export { qlikError, SimHttpError, type QlikErrorBody, type QlikErrorItem } from './http/errors.js';
export { resolveRequestAuth, bearerToken, type AuthMode, type AuthResult } from './http/auth.js';
export type { SimPlugin, SimPluginHost, UpgradeHandler, UpgradeContext, HostHandler } from './plugins.js';
export { createRealClock, createManualClock, type SimClock, type ManualClock } from './clock.js';
export {
  SimState,
  type OAuthClientRecord,
  type OAuthClientApiFields,
  type ClientSecretInfo,
  type CreateTenantInput,
} from './state/sim-state.js';
export {
  HDS_DEPLOYMENT_LIST_MODES,
  HDS_DEPLOYMENT_NAMES_MODES,
  REDISTRIBUTION_PUBLISH_TIME_MODES,
  RELOAD_TASKS_API_MODES,
  type AuthorizationMode,
  type HdsDeploymentListMode,
  type HdsDeploymentNamesMode,
  type ImportQuotaAnswer,
  type RedistributionPublishTimeMode,
  type ReloadTasksApiMode,
  type SimBehaviour,
} from './state/behaviour.js';
export type { AuthPrincipal } from './auth/principal.js';
export type { RouteAccess } from './auth/route-access.js';
export { TenantState, type TenantSeed, type TenantStatus } from './state/tenant.js';
export type { Principal } from './state/principal.js';
export type * from './state/records.js';
export {
  validateStateFile,
  defaultStateFile,
  StateFileError,
  type StateFile,
  type TenantDescription,
  type OAuthClientDescription,
} from './state/state-file.js';
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export { rateLimitLowerBoundMs, RateLimiter, type BucketCounter, type TakeResult } from './limits/rate-limiter.js';
export {
  FaultInjector,
  LOST_ANSWER_KINDS,
  seededRandom,
  type FaultKind,
  type FaultOptions,
  type LostAnswerKind,
} from './limits/faults.js';
export { LatencyModel, type LatencyOptions } from './limits/latency.js';
export { tierFromExtension, type RateLimitTier } from './spec/tiers.js';
export { SpecCatalog, type SpecOperation } from './spec/catalog.js';
export { SpecValidator, type SpecViolation } from './spec/validator.js';
export {
  BEYOND_SPEC,
  BEYOND_SPEC_BEHAVIOURS,
  type BeyondSpecBehaviour,
  BEHAVIOUR_SWITCHES,
  type BehaviourSwitch,
  type BeyondSpecEntry,
  type BodySpec,
  type JsonSchema,
} from './spec/beyond-spec.js';
export { BeyondSpecChecker, type MessageToCheck } from './spec/beyond-spec-check.js';
export { bundledSpecsDir, resolveSpecsDir, verifySpecsDir, readSpecSums, SpecsDirError } from './spec/spec-dir.js';
export { compileScimFilter } from './apis/scim-filter.js';
export { createSimFetch, type SimTarget } from './client/sim-fetch.js';
export { createSimSocket } from './client/sim-socket.js';
export { createSimDispatcher } from './client/sim-dispatcher.js';
export { REGION_DATACENTERS, registrationHost } from './state/regions.js';
export { rateLimited } from './http/dispatcher.js';
export { runCli, parseCliArgs, describeSimulator, CLI_USAGE, CliUsageError, type CliOptions } from './cli-run.js';
export { createCertificateAuthority, type CertificateAuthority } from './http/tls.js';
export * from './qix/index.js';
export {
  createQseowHost,
  createQseowPlugin,
  createQrsSpecValidator,
  type QseowHost,
  type QseowHostConfig,
  type CloudDistributionBackend,
} from './qseow/index.js';
export { encodeQvf, decodeQvf, QvfFormatError, QVF_MAGIC, type QvfContent, type QvfObject } from './content/qvf.js';
export { findConnectionReferences, expandVariables, type ConnectionReference } from './content/script.js';
export type { DistributedAppPayload, DistributionRecord } from './qseow/distribution.js';
export type { DistributedAppWriter } from './qseow/cloud-backend.js';
export type { QseowHostDeps } from './qseow/host.js';
export type {
  QseowState,
  QseowVirtualProxyConfig,
  SimDeployment,
  SimExecution,
  SimQrsApp,
  SimQrsRecord,
  QrsCustomPropertyValue,
  QrsUserRef,
} from './qseow/state.js';
export type { QrsSpecValidator } from './qseow/qrs-spec.js';
export type { QseowSiteSeed } from './qseow/site-seed.js';
export { sampleQseowSite, type SampleSiteOptions } from './qseow/sample-site.js';
export { IdGenerator } from './state/ids.js';
export { LicenseSigner, type LicensePayload } from './state/license-keys.js';
export type { JsonObject } from './spec/catalog.js';
export type { RecordFilter } from './apis/scim-filter.js';
export type { RequestToValidate, ResponseToValidate } from './spec/validator.js';
export type { TenantInit } from './state/tenant.js';
export type { TenantListener } from './state/sim-state.js';
