export type {
  paths,
  components,
  operations,
  Schemas,
  Responses,
  RequestBodies,
  JsonBody,
  JsonOf,
} from './generated/qrs.js';
export { createQrsClient, type QrsApi, type QrsClient, type QrsClientOptions } from './client.js';
export {
  DEFAULT_QRS_USER,
  type QrsAuth,
  type QrsCertificateAuth,
  type QrsHeaderAuth,
  type QrsJwtAuth,
} from './auth.js';
export { createTlsDispatcher, undiciBridgeFetch, type TlsMaterial } from './tls.js';
export { dataOrThrow, filterLiteral, type FetchResultLike } from './errors.js';
export { updateWithConflictRetry, type ConflictRetryOptions, type ConflictRetrySteps } from './conflict-retry.js';
export {
  copyApp,
  downloadAppExport,
  exportApp,
  getApp,
  publishApp,
  replaceApp,
  startAppExport,
  uploadApp,
  type UploadAppOptions,
} from './apps.js';
export { ensureStream, findStreamByName } from './streams.js';
export {
  ensureCustomPropertyDefinition,
  findCustomPropertyDefinition,
  setAppCustomProperty,
  type CustomPropertyDefinitionInput,
  type SetAppCustomPropertyInput,
} from './custom-properties.js';
export { ensureSystemRule, QRS_RULE_ACTIONS, type SystemRuleInput } from './system-rules.js';
export {
  QrsTaskTimeoutError,
  runTask,
  startTask,
  TASK_EXECUTION_STATUS,
  waitForTaskExecution,
  type TaskExecutionStatusName,
  type TaskRunResult,
  type WaitForTaskOptions,
} from './tasks.js';
export type {
  QrsAbout,
  QrsApp,
  QrsAppExportResponse,
  QrsCustomPropertyDefinition,
  QrsCustomPropertyValue,
  QrsExecutionResult,
  QrsStream,
  QrsSystemRule,
} from './types.js';
