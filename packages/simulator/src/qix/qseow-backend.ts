import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimClock } from '../clock.js';
import { decodeQvf, encodeQvf, type QvfContent } from '../content/qvf.js';
import type { SimRequest } from '../http/types.js';
import type { QseowHost } from '../qseow/host.js';
import { authenticateRepositoryClient, createJwtVerifier, type QseowAuthResult } from '../qseow/proxy-auth.js';
import { QixErrorCode } from './errors.js';
import { Databases } from '../engine/script/databases.js';
import { reloadWithConnections } from './script-reload.js';
import {
  QixBackendError,
  type QixAuthResult,
  type QixBackend,
  type QixConnectionInput,
  type QixConnectionRecord,
  type QixPrincipal,
  type QixReloadResult,
  type QixStoredObject,
} from './types.js';

/**
 * The engine of a simulated QSEoW site. Apps are the site's QRS apps; `/app/...` (the engine port,
 * 4747) trusts `X-Qlik-User` as the repository port does, `/<prefix>/app/...` needs the virtual
 * proxy's JWT. The script lives in the app file the repository stores, so a saved script is what
 * export and distribution carry. Data connections are kept here: the QRS side does not model them.
 */
export class QseowQixBackend implements QixBackend {
  readonly #connections = new Map<string, QixConnectionRecord>();
  readonly #verifiers = new Map<string, ReturnType<typeof createJwtVerifier>>();

  /** @internal The simulator's QIX plugin builds it. */
  constructor(
    private readonly site: QseowHost,
    private readonly clock: SimClock,
    /** Where `LIB CONNECT TO` leads (the simulator's databases). */
    private readonly databases: Databases = new Databases(),
  ) {}

  async authenticate(request: IncomingMessage): Promise<QixAuthResult> {
    const simRequest = { headers: request.headers, raw: request } as unknown as SimRequest;
    const prefix = /^\/([^/]+)\/app\//.exec(request.url ?? '')?.[1];
    let result: QseowAuthResult;
    if (prefix === undefined) {
      result = authenticateRepositoryClient(this.site.state, simRequest);
    } else {
      const verify = this.#verifier(prefix);
      if (!verify) return { ok: false, status: 404, message: `No virtual proxy ${prefix}` };
      result = await verify(simRequest);
    }
    if (!result.ok) return { ok: false, status: result.status === 403 ? 403 : 401, message: result.message };
    const userId = `${result.user.userDirectory}\\${result.user.userId}`;
    return { ok: true, principal: { tenant: this.site.hostname, userId, flavor: 'qseow' } };
  }

  #verifier(prefix: string): ReturnType<typeof createJwtVerifier> | undefined {
    const key = prefix.toLowerCase();
    let verify = this.#verifiers.get(key);
    if (!verify) {
      const proxy = (this.site.state.config.virtualProxies ?? []).find(
        (candidate) => candidate.prefix.toLowerCase() === key,
      );
      if (!proxy) return undefined;
      verify = createJwtVerifier(proxy);
      this.#verifiers.set(key, verify);
    }
    return verify;
  }

  #app(appId: string) {
    const app = this.site.state.apps.get(appId);
    if (!app) throw new QixBackendError(QixErrorCode.APP_NOT_FOUND, 'App not found', appId);
    return app;
  }

  getApp(_principal: QixPrincipal, appId: string) {
    const app = this.site.state.apps.get(appId);
    return app ? { id: app.id, name: app.name, published: app.published } : undefined;
  }

  #content(appId: string): QvfContent | undefined {
    const stored = this.site.state.appContent.get(appId);
    return stored ? decodeQvf(stored.bytes) : undefined;
  }

  getScript(_principal: QixPrincipal, appId: string): string {
    this.#app(appId);
    return this.#content(appId)?.script ?? '';
  }

  setScript(principal: QixPrincipal, appId: string, script: string): void {
    this.#writeContent(principal, appId, { script });
  }

  getObjects(_principal: QixPrincipal, appId: string): QixStoredObject[] {
    this.#app(appId);
    return this.#content(appId)?.objects ?? [];
  }

  setObjects(principal: QixPrincipal, appId: string, objects: readonly QixStoredObject[]): void {
    this.#writeContent(principal, appId, { objects: objects.map((object) => structuredClone(object)) });
  }

  /** Rewrites the app file the repository stores (a new version), as saving in the engine does. */
  #writeContent(principal: QixPrincipal, appId: string, changes: Partial<QvfContent>): void {
    const app = this.#app(appId);
    const stored = this.site.state.appContent.get(appId);
    const content: QvfContent = this.#content(appId) ?? {
      name: app.name,
      description: app.description,
      script: '',
      properties: {},
      objects: [],
      hasData: false,
    };
    this.site.state.appContent.set(appId, {
      bytes: Buffer.from(encodeQvf({ ...content, ...changes })),
      version: (stored?.version ?? 0) + 1,
    });
    app.modifiedDate = new Date(this.clock.now()).toISOString();
    app.modifiedByUserName = principal.userId;
  }

  getProperties(_principal: QixPrincipal, appId: string): Record<string, unknown> {
    const app = this.#app(appId);
    return {
      qTitle: app.name,
      qLastReloadTime: app.lastReloadTime,
      description: app.description,
      published: app.published,
    };
  }

  setProperties(_principal: QixPrincipal, appId: string, properties: Record<string, unknown>): void {
    const app = this.#app(appId);
    if (typeof properties.qTitle === 'string' && properties.qTitle !== '') app.name = properties.qTitle;
    if (typeof properties.description === 'string') app.description = properties.description;
    if (typeof properties.qLastReloadTime === 'string' && properties.qLastReloadTime !== '')
      app.lastReloadTime = properties.qLastReloadTime;
  }

  listConnections(): QixConnectionRecord[] {
    return [...this.#connections.values()];
  }

  createConnection(
    _principal: QixPrincipal,
    _appId: string | undefined,
    input: QixConnectionInput,
  ): QixConnectionRecord {
    if (this.listConnections().some((connection) => connection.name.toLowerCase() === input.name.toLowerCase())) {
      throw new QixBackendError(QixErrorCode.CONNECTION_ALREADY_EXISTS, 'Connection already exists', input.name);
    }
    const record: QixConnectionRecord = {
      id: randomUUID(),
      name: input.name,
      connectionString: input.connectionString,
      type: input.type,
      modifiedDate: this.#now(),
    };
    this.#connections.set(record.id, record);
    return record;
  }

  modifyConnection(_principal: QixPrincipal, _appId: string | undefined, id: string, input: QixConnectionInput): void {
    const existing = this.#connections.get(id);
    if (!existing) throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
    this.#connections.set(id, {
      ...existing,
      name: input.name,
      connectionString: input.connectionString,
      modifiedDate: this.#now(),
    });
  }

  deleteConnection(_principal: QixPrincipal, _appId: string | undefined, id: string): void {
    if (!this.#connections.delete(id))
      throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
  }

  reload(_principal: QixPrincipal, _appId: string | undefined, script: string): Promise<QixReloadResult> {
    return reloadWithConnections(script, this.listConnections(), this.databases);
  }

  #now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
