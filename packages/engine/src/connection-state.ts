import {
  EngineConnectError,
  EngineRpcError,
  EngineSessionClosedError,
  upgradeError,
  type EngineNotification,
} from './errors.js';

/** Proxy and engine notifications after which the session is over (QPS closes the socket after them). */
const FATAL_NOTIFICATIONS = new Set([
  'OnSessionClosed',
  'OnSessionLoggedOut',
  'OnSessionTimedOut',
  'OnMaxParallelSessionsExceeded',
  'OnLicenseAccessDenied',
  'OnLicenseAccessDeniedPendingUserSync',
  'OnEngineWebsocketFailed',
  'OnNoEngineAvailable',
  'OnRepositoryWebsocketFailed',
  'OnNoRepositoryAvailable',
  'OnExcessLicenseAssignment',
]);

/** `OnConnected` session states that mean the engine will not serve this session. */
const FATAL_SESSION_STATES = /^(SESSION_ERROR_|SESSION_ACCESS_CONTROL_SETUP_FAILURE)/;

/** What one engine socket told us: upgrade status, close code and fatal notifications. */
export class ConnectionState {
  status: number | undefined;
  retryAfterMs: number | undefined;
  closeCode: number | undefined;
  closeReason: string | undefined;
  fatal: EngineNotification | undefined;
  sessionState: string | undefined;
  /** Whether the WebSocket handshake completed. */
  opened = false;

  constructor(readonly url: string) {}

  /** Records a notification; returns true when it ends the session. */
  notify(method: string, params: unknown): boolean {
    const body = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
    if (method === 'OnConnected') {
      this.sessionState = typeof body.qSessionState === 'string' ? body.qSessionState : undefined;
      if (this.sessionState && FATAL_SESSION_STATES.test(this.sessionState)) {
        this.fatal ??= { method: 'OnConnected', message: this.sessionState };
        return true;
      }
      return false;
    }
    if (FATAL_NOTIFICATIONS.has(method) || body.severity === 'fatal') {
      this.fatal ??= {
        method,
        ...(typeof body.message === 'string' ? { message: body.message } : {}),
        ...(typeof body.severity === 'string' ? { severity: body.severity } : {}),
      };
      return true;
    }
    return false;
  }

  /** The typed error for a failed `session.open()` (a rejected upgrade, a refused connection, ...). */
  openError(error: unknown): Error {
    const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    const status = this.status ?? statusFromMessage(message);
    if (status !== undefined) return upgradeError(this.url, status, this.retryAfterMs);
    if (this.fatal || (this.opened && this.closeCode !== undefined)) return this.closedError(error);
    const code =
      (error as { error?: { code?: unknown }; code?: unknown })?.error?.code ?? (error as { code?: unknown })?.code;
    return new EngineConnectError({
      url: this.url,
      message,
      ...(typeof code === 'string' ? { code } : {}),
      cause: error,
    });
  }

  closedError(cause?: unknown): Error {
    // Qlik Cloud's engine proxy accepts the upgrade and then closes with 4203/4204 (@qlik/api websocket-errors.ts).
    const status = this.closeCode === 4204 ? 404 : this.closeCode === 4203 ? 403 : undefined;
    if (status !== undefined) return upgradeError(this.url, status);
    return new EngineSessionClosedError({
      ...(this.closeCode !== undefined ? { closeCode: this.closeCode } : {}),
      ...(this.closeReason ? { closeReason: this.closeReason } : {}),
      ...(this.fatal ? { notification: this.fatal } : {}),
      cause,
    });
  }

  /** Maps a rejected QIX call to a typed error. */
  callError(error: unknown, method: string | undefined): unknown {
    const raw = error as { enigmaError?: boolean; code?: unknown; message?: unknown; parameter?: unknown };
    if (raw?.enigmaError) {
      // -1 NOT_CONNECTED ("Socket closed" / "Not connected"), -11 SESSION_SUSPENDED.
      if (raw.code === -1 || raw.code === -11) return this.closedError(error);
      return error;
    }
    if (typeof raw?.code === 'number' && typeof raw.message === 'string') {
      return new EngineRpcError({
        code: raw.code,
        message: raw.message,
        ...(typeof raw.parameter === 'string' && raw.parameter !== '' ? { parameter: raw.parameter } : {}),
        ...(method ? { method } : {}),
      });
    }
    return error;
  }
}

function statusFromMessage(message: string): number | undefined {
  const match = /Unexpected server response: (\d{3})/.exec(message);
  return match?.[1] ? Number(match[1]) : undefined;
}
