import enigma from 'enigma.js';
import { QlikTimeoutError } from '@qlik-oem/core';
import { raceAbort } from '@qlik-oem/core/advanced';
import { ConnectionState } from './connection-state.js';
import { EngineSessionClosedError } from './errors.js';
import {
  authHeaders,
  defaultMaxParallelSessions,
  engineUrl,
  limiterKey,
  newIdentity,
  validateEngineOptions,
  type EngineOptions,
} from './options.js';
import type { EngineDoc, EngineGlobal } from './qix-types.js';
import { qixSchema } from './schema.js';
import { defaultSessionLimiter } from './session-limiter.js';
import { socketFactory } from './socket.js';

/** The part of an enigma.js session this package drives. */
export interface EnigmaSession {
  open(): Promise<unknown>;
  close(code?: number, reason?: string): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

/** Lets `reload()` find the Global of a Doc opened here. */
const globalsByDoc = new WeakMap<object, EngineGlobal>();

/** The Global object of the session `doc` belongs to. */
export function globalOf(doc: EngineDoc): EngineGlobal | undefined {
  const known = globalsByDoc.get(doc);
  if (known) return known;
  const session = (doc as unknown as { session?: { getObjectApi?: (args: object) => unknown } }).session;
  return session?.getObjectApi?.({ handle: -1, id: 'Global', type: 'Global', genericType: 'Global' }) as
    EngineGlobal | undefined;
}

/** An open engine session. Always close it: `close()`, `await using`, or use `withApp()`. */
export class EngineSession {
  readonly global: EngineGlobal;
  /** The engine session identity (the `/identity/<id>` of the URL). */
  readonly identity: string;
  readonly url: string;
  readonly #session: EnigmaSession;
  readonly #release: () => void;
  #closing: Promise<void> | undefined;

  /** @internal */
  constructor(init: {
    global: EngineGlobal;
    identity: string;
    url: string;
    session: EnigmaSession;
    release: () => void;
  }) {
    this.global = init.global;
    this.identity = init.identity;
    this.url = init.url;
    this.#session = init.session;
    this.#release = init.release;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Closes the socket and frees the session slot. Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= closeQuietly(this.#session).finally(() => this.#release());
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** A session with one app open. */
export class EngineAppSession extends EngineSession {
  readonly doc: EngineDoc;
  readonly appId: string;

  /** @internal */
  constructor(init: ConstructorParameters<typeof EngineSession>[0] & { doc: EngineDoc; appId: string }) {
    super(init);
    this.doc = init.doc;
    this.appId = init.appId;
  }
}

/**
 * Opens a session on `/app/engineData` (Global only: engine version, app lists). Waits for a free
 * session slot first.
 */
export async function openEngine(options: EngineOptions): Promise<EngineSession> {
  validateEngineOptions(options, undefined);
  const opened = await connect(options, undefined);
  return new EngineSession(opened);
}

/**
 * Opens app `appId` in a new engine session with its own identity. The caller must `close()` it;
 * prefer `withApp()`. Connect failures become typed errors (QlikAuthError for 401, QlikPermissionError for 403,
 * QlikNotFoundError for 404, QlikRateLimitError for 429, EngineConnectError, EngineSessionClosedError).
 */
export async function openApp(
  options: EngineOptions,
  appId: string,
  open: OpenAppOptions = {},
): Promise<EngineAppSession> {
  validateEngineOptions(options, appId);
  const opened = await connect(options, appId);
  try {
    const global = opened.global;
    const doc = appId.startsWith('SessionApp_')
      ? await global.getActiveDoc()
      : open.noData
        ? await global.openDoc(appId, '', '', '', true)
        : await global.openDoc(appId);
    globalsByDoc.set(doc, global);
    return new EngineAppSession({ ...opened, doc, appId });
  } catch (error) {
    await closeQuietly(opened.session);
    opened.release();
    // The close code may arrive after the call it failed: read it once the socket is closed (4204 → not found).
    throw error instanceof EngineSessionClosedError ? opened.state.closedError(error.cause ?? error) : error;
  }
}

/** How an app is opened. */
export interface OpenAppOptions {
  /**
   * Open the app without its data (`OpenDoc` with `qNoData`): scripts, objects and properties only. Much
   * lighter on the engine's memory, e.g. for reading every app of a site.
   */
  noData?: boolean;
}

/** Opens `appId`, runs `work(doc, session)`, and always closes the session, also when `work` throws. */
export async function withApp<T>(
  options: EngineOptions,
  appId: string,
  work: (doc: EngineDoc, session: EngineAppSession) => Promise<T>,
  open: OpenAppOptions = {},
): Promise<T> {
  const session = await openApp(options, appId, open);
  try {
    return await work(session.doc, session);
  } finally {
    await session.close();
  }
}

interface Connected {
  global: EngineGlobal;
  state: ConnectionState;
  identity: string;
  url: string;
  session: EnigmaSession;
  release: () => void;
}

async function connect(options: EngineOptions, appId: string | undefined): Promise<Connected> {
  const { signal } = options;
  const limiter = options.sessionLimiter ?? defaultSessionLimiter;
  const release = await limiter.acquire(limiterKey(options), defaultMaxParallelSessions(options), signal);
  let session: EnigmaSession | undefined;
  try {
    const headers = await authHeaders(options, signal);
    signal?.throwIfAborted();
    const identity = options.identity ?? newIdentity();
    const url = engineUrl(options, appId, identity);
    const state = new ConnectionState(url);
    const created: EnigmaSession = enigma.create({
      schema: qixSchema(),
      url,
      createSocket: socketFactory(options, headers, state, release) as unknown as (url: string) => WebSocket,
      suspendOnClose: false,
      // Plain results: provisioning payloads are small and the patch cache would hold whole scripts.
      protocol: { delta: false },
      responseInterceptors: [
        {
          onRejected: (_session: unknown, request: { method?: string }, error: unknown) => {
            throw state.callError(error, request?.method);
          },
        },
      ],
    });
    session = created;
    created.on('notification:*', (method, params) => {
      // A fatal notification ends the session; closing rejects every pending call instead of hanging.
      if (state.notify(String(method), params)) void closeQuietly(created);
    });
    const timeoutMs = options.connectTimeoutMs ?? 30_000;
    const global = (await withTimeout(
      raceAbort(
        created.open().catch((error: unknown) => {
          throw state.openError(error);
        }),
        signal,
      ),
      timeoutMs,
      () => new QlikTimeoutError({ method: 'GET', url, timeoutMs }),
    )) as EngineGlobal;
    return { global, identity, url, session: created, release, state };
  } catch (error) {
    if (session) await closeQuietly(session);
    release();
    throw error;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Closes an enigma.js session, ignoring failures (enigma throws synchronously if it never opened). */
async function closeQuietly(session: EnigmaSession): Promise<void> {
  try {
    await session.close();
  } catch {
    // already closed, or never opened
  }
}
