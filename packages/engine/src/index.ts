export {
  openApp,
  openEngine,
  withApp,
  EngineSession,
  EngineAppSession,
  type EnigmaSession,
  type OpenAppOptions,
} from './session.js';
export { SessionLimiter, defaultSessionLimiter } from './session-limiter.js';
export type {
  CommonEngineOptions,
  EngineOptions,
  CloudEngineOptions,
  QseowCertificateEngineOptions,
  QseowProxyEngineOptions,
  CreateSocket,
  SocketInit,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketOptions,
} from './options.js';
export { getScript, setScript, rewriteAppConnection, save } from './app-script.js';
export { rewriteConnection, type RewriteConnectionOptions } from './script/rewrite-connection.js';
export {
  findConnectionReferences,
  type ConnectionReference,
  type ConnectionNameQuote,
} from './script/connection-references.js';
export {
  listConnections,
  findConnection,
  createConnection,
  modifyConnection,
  deleteConnection,
  type ConnectionDefinition,
  type ConnectionInfo,
} from './connections.js';
export { reload, type ReloadOptions, type ReloadProgressEvent, type ReloadResult } from './reload.js';
export {
  EngineConnectError,
  EngineSessionClosedError,
  EngineRpcError,
  ReloadFailedError,
  isEngineConnectError,
  isEngineSessionClosedError,
  isEngineRpcError,
  isReloadFailedError,
  type EngineNotification,
  type ReloadErrorDetail,
} from './errors.js';
export { QIX_SCHEMA_VERSION } from './schema.js';
export type * from './qix-types.js';
