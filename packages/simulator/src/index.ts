export type { SimRequest, SimResponse, SimContext, Route, RouteHandler } from './http/types.js';
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
  TOKEN_REQUEST_BUCKETS,
  RELOAD_TASKS_API_MODES,
  type AuthorizationMode,
  type HdsDeploymentListMode,
  type HdsDeploymentNamesMode,
  type ImportQuotaAnswer,
  type RedistributionPublishTimeMode,
  type ReloadTasksApiMode,
  type SimBehaviour,
  type TokenRequestBucket,
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
export { rateLimitLowerBoundMs, type BucketCounter } from './limits/rate-limiter.js';
// Named by SimState's members; their values are in `@qlik-oem/simulator/advanced`.
export type { IdGenerator } from './state/ids.js';
export type { LicenseSigner, LicensePayload } from './state/license-keys.js';
export { bundledSpecsDir, SpecsDirError } from './spec/spec-dir.js';
export type { SpecViolation } from './spec/validator.js';
export { encodeQvf, decodeQvf, QvfFormatError, QVF_MAGIC, type QvfContent, type QvfObject } from './content/qvf.js';
export {
  FaultInjector,
  LOST_ANSWER_KINDS,
  type FaultKind,
  type FaultOptions,
  type LostAnswerKind,
} from './limits/faults.js';
export { seededRandom } from './random.js';
export { LatencyModel, type LatencyOptions } from './limits/latency.js';
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
export { createSimFetch, type SimTarget } from './client/sim-fetch.js';
export { createSimSocket } from './client/sim-socket.js';
export { createSimDispatcher } from './client/sim-dispatcher.js';
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
export type { TenantInit } from './state/tenant.js';
export type { TenantListener } from './state/sim-state.js';
