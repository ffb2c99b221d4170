/** QIX `LocalizedErrorCode` values and JSON-RPC codes the simulated engine answers with. */
export const QixErrorCode = {
  NOT_FOUND: 2,
  ALREADY_EXISTS: 3,
  ACCESS_DENIED: 5,
  INVALID_PATH: 4,
  INVALID_PARAMETERS: 8,
  ABORTED: 15,
  APP_ALREADY_OPEN: 1002,
  APP_NOT_FOUND: 1003,
  APP_SAVE_FAILED: 1005,
  APP_NOT_OPEN: 1017,
  CONNECTION_ALREADY_EXISTS: 2000,
  CONNECTION_NOT_FOUND: 2001,
  CONNECTION_NAME_IS_INVALID: 2004,
  JSON_RPC_INVALID_REQUEST: -32600,
  JSON_RPC_METHOD_NOT_FOUND: -32601,
  JSON_RPC_INVALID_PARAMETERS: -32602,
  JSON_RPC_INTERNAL_ERROR: -32603,
  JSON_RPC_PARSE_ERROR: -32700,
} as const;

/**
 * A failure answered with a QIX error frame (e.g. 2001 connection not found): thrown by the engine's methods and
 * by a backend alike (the backend contract in `types.ts` exports it).
 */
export class QixBackendError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly parameter = '',
  ) {
    super(message);
    this.name = 'QixBackendError';
  }
}
