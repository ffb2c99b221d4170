import WebSocket from 'ws';
import type { ConnectionState } from './connection-state.js';
import type { EngineOptions, SocketInit, WebSocketLike } from './options.js';

type Listener = (...args: unknown[]) => void;
interface EventSource {
  on?: (event: string, listener: Listener) => void;
  addEventListener?: (event: string, listener: Listener) => void;
  terminate?: () => void;
}

/**
 * The enigma.js `createSocket` for one session: builds the socket with the auth headers and TLS
 * options, and records what enigma.js does not report (the HTTP status of a rejected upgrade, close codes).
 */
export function socketFactory(
  options: EngineOptions,
  headers: Record<string, string>,
  state: ConnectionState,
  onClose: () => void,
) {
  return (url: string): WebSocketLike => {
    const passThrough = options.webSocketOptions ?? {};
    const extraHeaders = (passThrough.headers ?? {}) as Record<string, string>;
    const init: SocketInit = { ...passThrough, headers: { ...extraHeaders, ...headers } };
    const socket: WebSocketLike = options.createSocket
      ? options.createSocket(url, init)
      : options.WebSocket
        ? new options.WebSocket(url, init)
        : new WebSocket(url, init);
    const events = socket as unknown as EventSource;
    const recordClose = (code: unknown, reason: unknown): void => {
      if (typeof code === 'number') state.closeCode ??= code;
      // ws passes the reason as a Buffer, a platform WebSocket's CloseEvent as a string.
      const text =
        typeof reason === 'string' ? reason : reason instanceof Uint8Array ? new TextDecoder().decode(reason) : '';
      if (text) state.closeReason ??= text;
      onClose();
    };
    if (typeof events.on === 'function') {
      events.on('unexpected-response', (_request, response) => {
        const res = response as { statusCode?: number; headers?: Record<string, string | string[] | undefined> };
        state.status = res.statusCode;
        const retryAfter = res.headers?.['retry-after'];
        const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
        if (Number.isFinite(seconds)) state.retryAfterMs = seconds * 1000;
        // Without terminate() the failed upgrade leaves enigma's open() pending forever.
        if (typeof events.terminate === 'function') events.terminate();
        else socket.close();
      });
      events.on('open', () => {
        state.opened = true;
      });
      events.on('close', (code, reason) => recordClose(code, reason));
    } else if (typeof events.addEventListener === 'function') {
      events.addEventListener('open', () => {
        state.opened = true;
      });
      events.addEventListener('close', (event) => {
        const close = event as { code?: unknown; reason?: unknown };
        recordClose(close.code, close.reason);
      });
    }
    return socket;
  };
}
