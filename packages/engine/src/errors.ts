import { QlikError, QlikHttpError } from '@qlik-oem/core';

const ENGINE_BRAND = Symbol.for('@qlik-oem/engine/error');
type EngineErrorKind = 'connect' | 'session-closed' | 'rpc' | 'reload-failed';

function brand(error: QlikError, kind: EngineErrorKind): void {
  Object.defineProperty(error, ENGINE_BRAND, { value: kind, enumerable: false });
}
function engineKindOf(error: unknown): EngineErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as Record<symbol, EngineErrorKind | undefined>)[ENGINE_BRAND];
}

/** The engine WebSocket could not be opened (refused, TLS failure, or an HTTP status other than 401/403/404/429). */
export class EngineConnectError extends QlikError {
  override name = 'EngineConnectError';
  /** The HTTP status of the rejected upgrade, when the server answered one. */
  readonly status: number | undefined;
  /** The system error code (e.g. `ECONNREFUSED`), when there was one. */
  readonly code: string | undefined;
  readonly url: string;
  constructor(init: { url: string; status?: number; code?: string; message?: string; cause?: unknown }) {
    const why = init.status !== undefined ? `HTTP ${init.status}` : (init.code ?? init.message ?? 'connection failed');
    super(`Could not open the engine socket ${init.url}: ${why}`, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.url = init.url;
    brand(this, 'connect');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, code: this.code, url: this.url };
  }
}

/** A fatal proxy or engine notification, e.g. `OnMaxParallelSessionsExceeded`. */
export interface EngineNotification {
  readonly method: string;
  readonly message?: string;
  readonly severity?: string;
}

/**
 * The engine session ended under a call: the server closed the socket (see `closeCode`), or sent a fatal
 * notification such as `OnMaxParallelSessionsExceeded`, `OnLicenseAccessDenied` or `OnSessionTimedOut`
 * (see `notification`).
 */
export class EngineSessionClosedError extends QlikError {
  override name = 'EngineSessionClosedError';
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  readonly notification: EngineNotification | undefined;
  constructor(init: { closeCode?: number; closeReason?: string; notification?: EngineNotification; cause?: unknown }) {
    const what = init.notification
      ? `${init.notification.method}${init.notification.message ? `: ${init.notification.message}` : ''}`
      : init.closeCode !== undefined
        ? `socket closed with code ${init.closeCode}${describeCloseCode(init.closeCode)}${init.closeReason ? ` (${init.closeReason})` : ''}`
        : 'socket closed';
    super(`Engine session ended: ${what}`, { cause: init.cause });
    this.closeCode = init.closeCode;
    this.closeReason = init.closeReason;
    this.notification = init.notification;
    brand(this, 'session-closed');
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      closeCode: this.closeCode,
      closeReason: this.closeReason,
      notification: this.notification,
    };
  }
}

/** The engine answered a call with a JSON-RPC error, e.g. 1003 "App not found". */
export class EngineRpcError extends QlikError {
  override name = 'EngineRpcError';
  /** QIX `LocalizedErrorCode` or JSON-RPC code (e.g. -32601 method not found). */
  readonly code: number;
  readonly parameter: string | undefined;
  /** The QIX method that failed, e.g. `OpenDoc`. */
  readonly method: string | undefined;
  constructor(init: { code: number; message: string; parameter?: string; method?: string }) {
    super(
      `${init.method ? `${init.method} failed: ` : ''}${init.message} (${init.code})${init.parameter ? ` [${init.parameter}]` : ''}`,
    );
    this.code = init.code;
    this.parameter = init.parameter;
    this.method = init.method;
    brand(this, 'rpc');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code, parameter: this.parameter, method: this.method };
  }
}

/** One error the script reported during a reload. */
export interface ReloadErrorDetail {
  readonly message: string;
  /** The script line or statement that failed, when the engine said. */
  readonly line?: string;
  readonly lineNumber?: number;
}

/** The engine ran the reload and it failed (`DoReload` returned false / `qSuccess:false`). */
export class ReloadFailedError extends QlikError {
  override name = 'ReloadFailedError';
  /** The script log the engine reported while reloading (GetProgress persistent messages). */
  readonly log: string;
  readonly errors: readonly ReloadErrorDetail[];
  /** Where the engine wrote the full script log (`DoReloadEx`'s `qScriptLogFile`), when it said. */
  readonly scriptLogFile: string | undefined;
  constructor(init: { log: string; errors: ReloadErrorDetail[]; scriptLogFile?: string; appId?: string }) {
    const first = init.errors[0]?.message;
    super(`Reload${init.appId ? ` of app ${init.appId}` : ''} failed${first ? `: ${first}` : ''}`);
    this.log = init.log;
    this.errors = init.errors;
    this.scriptLogFile = init.scriptLogFile;
    brand(this, 'reload-failed');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errors: this.errors, scriptLogFile: this.scriptLogFile };
  }
}

export const isEngineConnectError = (error: unknown): error is EngineConnectError => engineKindOf(error) === 'connect';
export const isEngineSessionClosedError = (error: unknown): error is EngineSessionClosedError =>
  engineKindOf(error) === 'session-closed';
export const isEngineRpcError = (error: unknown): error is EngineRpcError => engineKindOf(error) === 'rpc';
export const isReloadFailedError = (error: unknown): error is ReloadFailedError =>
  engineKindOf(error) === 'reload-failed';

/**
 * The typed error for a rejected WebSocket upgrade: 401 → QlikAuthError, 403 → QlikPermissionError, 404 → QlikNotFoundError,
 * 429 → QlikRateLimitError, anything else → EngineConnectError.
 */
export function upgradeError(url: string, status: number, retryAfterMs?: number): QlikError {
  if (!HTTP_ERROR_STATUSES.has(status)) return new EngineConnectError({ url, status });
  return QlikHttpError.forStatus({ status, method: 'GET', url }, retryAfterMs);
}

const HTTP_ERROR_STATUSES = new Set([401, 403, 404, 429]);

const CLOSE_CODES: Record<number, string> = {
  4001: 'idle timeout',
  4002: 'license renewal',
  4003: 'engine terminating',
  4004: 'app deleted',
  4005: 'session limit reached',
  4006: 'authentication failed',
  4007: 'app mode changed',
  4200: 'proxy error',
  4201: 'client timeout',
  4202: 'bad request',
  4203: 'no permission to open the app',
  4204: 'app not found',
  4205: 'too many requests',
  4206: 'network error',
  4210: 'dependency error',
  4211: 'dependency unavailable',
  4220: 'engine error',
  4222: 'reserved session missing',
  4230: 'not entitled',
  4240: 'no engines available',
};

function describeCloseCode(code: number): string {
  const meaning = CLOSE_CODES[code];
  return meaning ? ` (${meaning})` : '';
}
