import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { OpenDocs } from './open-docs.js';
import { QixSession } from './session.js';
import type { QixBackend, QixPrincipal } from './types.js';

export interface QixEngineOptions {
  readonly backend: QixBackend;
  /**
   * Parallel engine sessions one user may hold. QSEoW's proxy allows 5 per user; the default is 5 for
   * `qseow` principals and 50 for Qlik Cloud ones.
   */
  readonly maxParallelSessionsPerUser?: number | ((principal: QixPrincipal) => number);
  /** Simulated duration of each reload (default 100 ms), so GetProgress and CancelReload can be used. */
  readonly reloadDurationMs?: number;
  /** Waits simulated time (default: real time). The simulator passes its clock's `sleep`. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Reported by `EngineVersion`. */
  readonly engineVersion?: string;
}

export interface QixEngine {
  /**
   * Handles a WebSocket upgrade if its path is an engine path (`[/<prefix>]/app/<appId|engineData>`
   * with optional `/identity/<id>` and `/ttl/<s>`). Returns false for other paths, leaving the socket alone.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Sends a notification to every session, as Qlik's proxy does before ending sessions (e.g.
   * `OnSessionTimedOut` with `{ severity: 'fatal', ... }`); with `closeCode`, then closes them with it.
   */
  notifyAll(method: string, params: Record<string, unknown>, closeCode?: number): void;
  /** Number of open engine sessions. */
  readonly sessionCount: number;
  /**
   * Closes every session with `code` (default 1001 "going away"); e.g. 4003 simulates an engine
   * terminating, 1000 a normal proxy close.
   */
  close(code?: number, reason?: string): void;
}

const ENGINE_PATH = /^(?:\/[^/]+)?\/app\/([^/?]+)(?:\/identity\/([^/?]+))?(?:\/ttl\/(\d+))?\/?$/;

/** Parses an engine socket path; `appId` is `undefined` for `engineData` (Global only). */
export function parseEnginePath(url: string): { appId: string | undefined; identity: string | undefined } | undefined {
  const path = url.split('?')[0] ?? '';
  const match = ENGINE_PATH.exec(path);
  if (!match?.[1]) return undefined;
  let appId: string;
  try {
    appId = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { appId: appId === 'engineData' ? undefined : appId, identity: match[2] };
}

/** A QIX engine (JSON-RPC 2.0 over WebSocket) that real enigma.js talks to. */
export function createQixEngine(options: QixEngineOptions): QixEngine {
  const server = new WebSocketServer({ noServer: true });
  const docs = new OpenDocs(options.backend);
  const sessionsPerUser = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const limitFor = (principal: QixPrincipal): number => {
    const configured = options.maxParallelSessionsPerUser;
    if (typeof configured === 'function') return configured(principal);
    if (typeof configured === 'number') return configured;
    return principal.flavor === 'qseow' ? 5 : 50;
  };

  const accept = (
    socket: WebSocket,
    principal: QixPrincipal,
    appId: string | undefined,
    sessionAppId?: string,
  ): void => {
    sockets.add(socket);
    const userKey = `${principal.tenant}\u0000${principal.userId}`;
    const active = sessionsPerUser.get(userKey) ?? 0;
    const send = (frame: Record<string, unknown>): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    socket.on('close', () => sockets.delete(socket));
    if (active >= limitFor(principal)) {
      // What Qlik's proxy does: a fatal notification, then it closes the socket normally.
      send({
        jsonrpc: '2.0',
        method: 'OnMaxParallelSessionsExceeded',
        params: {
          severity: 'fatal',
          timestamp: new Date().toISOString(),
          message: 'The maximum number of parallel sessions for this user has been exceeded.',
        },
      });
      socket.close(1000, 'Max parallel sessions exceeded');
      return;
    }
    sessionsPerUser.set(userKey, active + 1);
    const session = new QixSession({
      backend: options.backend,
      docs,
      principal,
      urlAppId: appId,
      reloadDurationMs: options.reloadDurationMs ?? 100,
      sleep: options.sleep ?? realSleep,
      engineVersion: options.engineVersion ?? '12.2027.0',
      send,
    });
    // `/app/SessionApp_<id>` starts the session with a fresh session app as the active doc.
    if (sessionAppId) session.openSessionApp(sessionAppId);
    socket.on('message', (data) => {
      // ws delivers Buffers (binaryType 'nodebuffer'); a fragmented message may arrive as a list of them.
      const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      void session.receive(text.toString('utf8'));
    });
    socket.on('close', () => {
      session.close();
      const remaining = (sessionsPerUser.get(userKey) ?? 1) - 1;
      if (remaining <= 0) sessionsPerUser.delete(userKey);
      else sessionsPerUser.set(userKey, remaining);
    });
    send({ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } });
  };

  return {
    handleUpgrade(request, socket, head) {
      const target = parseEnginePath(request.url ?? '');
      if (!target) return false;
      void Promise.resolve()
        .then(() => options.backend.authenticate(request))
        .then(
          (auth) => {
            if (!auth.ok) return rejectUpgrade(socket, auth.status, auth.message);
            const sessionApp = target.appId?.startsWith('SessionApp_') ?? false;
            if (target.appId !== undefined && !sessionApp && !options.backend.getApp(auth.principal, target.appId)) {
              // Qlik Cloud's engine proxy accepts the socket and closes it with 4204 "App not found"
              // (@qlik/api src/qix/session/websocket-errors.ts closeCodeNotFound; registry: engine-app-not-found-4204).
              return server.handleUpgrade(request, socket, head, (ws) => ws.close(4204, 'App not found'));
            }
            if (
              target.appId !== undefined &&
              !sessionApp &&
              options.backend.mayOpen?.(auth.principal, target.appId) === false
            ) {
              // The same proxy closes with 4203 when the user has no access (closeCodePermissions there).
              return server.handleUpgrade(request, socket, head, (ws) => ws.close(4203, 'Access denied'));
            }
            server.handleUpgrade(request, socket, head, (ws) =>
              accept(ws, auth.principal, sessionApp ? undefined : target.appId, sessionApp ? target.appId : undefined),
            );
          },
          () => rejectUpgrade(socket, 500, 'Internal error'),
        );
      return true;
    },
    get sessionCount() {
      return [...sessionsPerUser.values()].reduce((sum, count) => sum + count, 0);
    },
    notifyAll(method, params, closeCode) {
      for (const socket of sockets) {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
        if (closeCode !== undefined) socket.close(closeCode);
      }
    },
    close(code = 1001, reason = 'Engine shutting down') {
      for (const socket of sockets) socket.close(code, reason);
      server.close();
    },
  };
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ errors: [{ title: message, code: String(status), status: String(status) }] });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
