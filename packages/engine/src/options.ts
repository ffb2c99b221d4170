import { randomUUID } from 'node:crypto';
import { QlikValidationError, type TokenProvider, type ValidationIssue } from '@qlik-oem/core';
import type { SessionLimiter } from './session-limiter.js';

/** TLS and other options handed to the WebSocket constructor (the `ws` options shape). */
export interface WebSocketOptions {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: string | Buffer;
  passphrase?: string;
  /** Keep `true` (the default). Trust self-signed servers by passing their `ca` instead. */
  rejectUnauthorized?: boolean;
  [option: string]: unknown;
}

/** What a socket factory receives: the `ws` options plus the auth headers this package computed. */
export interface SocketInit extends WebSocketOptions {
  headers: Record<string, string>;
}

/** A WebSocket as enigma.js uses it (the `ws` package's WebSocket, or the simulator's). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: unknown;
  onclose: unknown;
  onerror: unknown;
  onmessage: unknown;
}

export type CreateSocket = (url: string, init: SocketInit) => WebSocketLike;
export type WebSocketConstructor = new (url: string, init: SocketInit) => WebSocketLike;

/** The options every kind of engine connection takes. */
export interface CommonEngineOptions {
  /**
   * Engine session identity appended as `/identity/<id>`. Defaults to a new random id per session, so
   * a job never attaches to another job's (or a user's) session.
   */
  identity?: string;
  /** Builds the socket (the simulator supplies one). Default: `new WebSocket(url, init)` from `ws`. */
  createSocket?: CreateSocket;
  /** A WebSocket constructor to use instead of `ws` (ignored when `createSocket` is given). */
  WebSocket?: WebSocketConstructor;
  /** Passed through to the WebSocket constructor: `ca`, `cert`, `key`, `pfx`, ... */
  webSocketOptions?: WebSocketOptions;
  /**
   * Parallel sessions per host and user. Extra sessions wait for a free slot. Default: 5 for QSEoW
   * (the proxy's fixed limit), 20 for Qlik Cloud.
   */
  maxParallelSessions?: number;
  /** The limiter that enforces `maxParallelSessions`; shared by every session in the process by default. */
  sessionLimiter?: SessionLimiter;
  /** Aborts waiting for a session slot and opening the socket. */
  signal?: AbortSignal;
  /** How long opening the socket may take (not counting the wait for a session slot). Default 30 s. */
  connectTimeoutMs?: number;
}

/** A Qlik Cloud tenant: `wss://<host>/app/<appId>` with `Authorization: Bearer`. */
export interface CloudEngineOptions extends CommonEngineOptions {
  platform: 'cloud';
  /** Tenant hostname, e.g. `acme.eu.qlikcloud.com`. */
  host: string;
  /** The same token provider the REST clients use (API key or OAuth). */
  auth: TokenProvider;
}

/** QSEoW straight to the engine on port 4747 with client certificates and `X-Qlik-User`. */
export interface QseowCertificateEngineOptions extends CommonEngineOptions {
  platform: 'qseow';
  host: string;
  /** Engine port, 4747 by default. */
  port?: number;
  /** The user the engine acts as: `X-Qlik-User: UserDirectory=<directory>; UserId=<id>`. */
  user: { directory: string; id: string };
}

/** QSEoW through a virtual proxy that accepts a JWT: `wss://<host>/<prefix>/app/<appId>`. */
export interface QseowProxyEngineOptions extends CommonEngineOptions {
  platform: 'qseow';
  host: string;
  port?: number;
  /** The virtual proxy prefix, e.g. `jwt`. */
  virtualProxy: string;
  /** Supplies the signed JWT sent as `Authorization: Bearer`. */
  auth: TokenProvider;
}

export type EngineOptions = CloudEngineOptions | QseowCertificateEngineOptions | QseowProxyEngineOptions;

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i;
const PREFIX = /^[a-z0-9_-]+$/i;

/** Checks options before any network call; throws `QlikValidationError` naming every problem. */
export function validateEngineOptions(options: EngineOptions, appId: string | undefined): void {
  const issues: ValidationIssue[] = [];
  const add = (path: string[], message: string) => issues.push({ path, message });
  if (options === null || typeof options !== 'object')
    throw new QlikValidationError('Invalid engine options', [{ path: [], message: 'must be an object' }]);
  if (options.platform !== 'cloud' && options.platform !== 'qseow') add(['platform'], "must be 'cloud' or 'qseow'");
  if (typeof options.host !== 'string' || !HOST.test(options.host))
    add(['host'], 'must be a hostname without scheme, port or path');
  if (appId !== undefined && (typeof appId !== 'string' || appId.trim() === '' || /[/?#\s]/.test(appId))) {
    add(['appId'], 'must be a non-empty app id without /, ?, # or spaces');
  }
  if (
    'port' in options &&
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)
  ) {
    add(['port'], 'must be an integer between 1 and 65535');
  }
  if (
    options.identity !== undefined &&
    (typeof options.identity !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(options.identity))
  ) {
    add(['identity'], 'must be 1-128 characters of letters, digits, _ . -');
  }
  if (
    options.maxParallelSessions !== undefined &&
    !(Number.isInteger(options.maxParallelSessions) && options.maxParallelSessions > 0)
  ) {
    add(['maxParallelSessions'], 'must be a positive integer');
  }
  if (
    options.connectTimeoutMs !== undefined &&
    !(Number.isFinite(options.connectTimeoutMs) && options.connectTimeoutMs > 0)
  ) {
    add(['connectTimeoutMs'], 'must be a positive number of milliseconds');
  }
  if (options.platform === 'cloud' && !isTokenProvider(options.auth)) add(['auth'], 'must be a TokenProvider');
  if (options.platform === 'qseow') {
    if ('virtualProxy' in options && options.virtualProxy !== undefined) {
      if (typeof options.virtualProxy !== 'string' || !PREFIX.test(options.virtualProxy))
        add(['virtualProxy'], 'must be a virtual proxy prefix such as "jwt"');
      if (!isTokenProvider(options.auth)) add(['auth'], 'must be a TokenProvider that returns the JWT');
    } else if ('user' in options) {
      const user = options.user;
      if (typeof user?.directory !== 'string' || user.directory === '' || /[;=]/.test(user.directory))
        add(['user', 'directory'], 'must be a non-empty name without ; or =');
      if (typeof user?.id !== 'string' || user.id === '' || /[;=]/.test(user.id))
        add(['user', 'id'], 'must be a non-empty name without ; or =');
    } else {
      add(['user'], 'QSEoW needs either `user` (certificates, port 4747) or `virtualProxy` + `auth` (JWT)');
    }
  }
  if (issues.length > 0) throw new QlikValidationError('Invalid engine options', issues);
}

function isTokenProvider(value: unknown): value is TokenProvider {
  return typeof value === 'object' && value !== null && typeof (value as TokenProvider).getToken === 'function';
}

/** The engine URL: `wss://host[:port][/prefix]/app/<appId|engineData>/identity/<identity>`. */
export function engineUrl(options: EngineOptions, appId: string | undefined, identity: string): string {
  let base = `wss://${options.host}`;
  if (options.platform === 'qseow') {
    const proxy = 'virtualProxy' in options ? options.virtualProxy : undefined;
    const port = options.port ?? (proxy ? undefined : 4747);
    if (port !== undefined) base += `:${port}`;
    if (proxy) base += `/${proxy}`;
  }
  return `${base}/app/${encodeURIComponent(appId ?? 'engineData')}/identity/${encodeURIComponent(identity)}`;
}

export function newIdentity(): string {
  return `oem-${randomUUID()}`;
}

/** The key sessions are counted under: one host and one user (or credential). */
export function limiterKey(options: EngineOptions): string {
  if (options.platform === 'cloud') return `cloud|${options.host}|${options.auth.id}`;
  if ('virtualProxy' in options && options.virtualProxy)
    return `qseow|${options.host}/${options.virtualProxy}|${options.auth.id}`;
  const user = (options as QseowCertificateEngineOptions).user;
  return `qseow|${options.host}:${options.port ?? 4747}|${user.directory}\\${user.id}`;
}

export function defaultMaxParallelSessions(options: EngineOptions): number {
  return options.maxParallelSessions ?? (options.platform === 'qseow' ? 5 : 20);
}

/** The auth headers for one socket; tokens are fetched per socket so refreshed tokens are used. */
export async function authHeaders(
  options: EngineOptions,
  signal: AbortSignal | undefined,
): Promise<Record<string, string>> {
  if (options.platform === 'qseow' && !('virtualProxy' in options && options.virtualProxy)) {
    const { user } = options as QseowCertificateEngineOptions;
    return { 'X-Qlik-User': `UserDirectory=${user.directory}; UserId=${user.id}` };
  }
  const provider = options.auth;
  const { token } = await provider.getToken(signal ? { signal } : undefined);
  return { Authorization: `Bearer ${token}` };
}
