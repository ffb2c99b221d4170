import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoadedData } from '../engine/table.js';
import { QixErrorCode } from './errors.js';
import { Databases } from '../engine/script/databases.js';
import { reloadWithConnections } from './script-reload.js';
import {
  QixBackendError,
  type QixBackend,
  type QixConnectionInput,
  type QixConnectionRecord,
  type QixPrincipal,
  type QixReloadResult,
  type QixStoredObject,
} from './types.js';

export interface MemoryApp {
  id: string;
  name: string;
  tenant: string;
  script: string;
  properties: Record<string, unknown>;
  objects: QixStoredObject[];
  published?: boolean;
  /** The app's data, as a saved reload left it. */
  data?: LoadedData;
}

export interface MemoryBackendInit {
  /** Bearer token → principal. */
  tokens?: Record<string, QixPrincipal>;
  /** `X-Qlik-User` header users are accepted for these tenants (QSEoW certificate mode). */
  qseowTenants?: string[];
  apps?: Array<
    Omit<MemoryApp, 'properties' | 'objects'> & { properties?: Record<string, unknown>; objects?: QixStoredObject[] }
  >;
  connections?: Array<{ tenant: string } & Omit<QixConnectionRecord, 'modifiedDate' | 'id'> & { id?: string }>;
}

/**
 * A self-contained in-memory QixBackend: tenants by bearer token (or `X-Qlik-User` for QSEoW),
 * apps and tenant-wide connections. For running the engine without the rest of the simulator.
 */
export class MemoryQixBackend implements QixBackend {
  readonly apps = new Map<string, MemoryApp>();
  /** Its connections reach real database servers only (no embedded ones). */
  readonly #databases = new Databases();
  readonly connections = new Map<string, QixConnectionRecord & { tenant: string }>();
  readonly #tokens: Record<string, QixPrincipal>;
  readonly #qseowTenants: Set<string>;

  constructor(init: MemoryBackendInit = {}) {
    this.#tokens = init.tokens ?? {};
    this.#qseowTenants = new Set(init.qseowTenants ?? []);
    for (const app of init.apps ?? [])
      this.apps.set(this.#key(app.tenant, app.id), { properties: {}, objects: [], ...app });
    for (const connection of init.connections ?? []) {
      const id = connection.id ?? randomUUID();
      this.connections.set(id, { ...connection, id, modifiedDate: new Date().toISOString() });
    }
  }

  #key(tenant: string, appId: string): string {
    return `${tenant}\u0000${appId}`;
  }

  #app(principal: QixPrincipal, appId: string): MemoryApp {
    const app = this.apps.get(this.#key(principal.tenant, appId));
    if (!app) throw new QixBackendError(QixErrorCode.APP_NOT_FOUND, 'App not found', appId);
    return app;
  }

  authenticate(request: IncomingMessage): ReturnType<QixBackend['authenticate']> {
    const host = (request.headers.host ?? '').split(':')[0]?.toLowerCase() ?? '';
    const user = request.headers['x-qlik-user'];
    if (typeof user === 'string' && this.#qseowTenants.has(host)) {
      const match = /UserDirectory=([^;]+);\s*UserId=(.+)$/i.exec(user);
      if (match?.[1] && match[2])
        return { ok: true, principal: { tenant: host, userId: `${match[1]}\\${match[2].trim()}`, flavor: 'qseow' } };
      return { ok: false, status: 403, message: 'Invalid X-Qlik-User header' };
    }
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const principal = token ? this.#tokens[token] : undefined;
    if (!principal || principal.tenant !== host) return { ok: false, status: 401, message: 'Unauthorized' };
    return { ok: true, principal };
  }

  getApp(principal: QixPrincipal, appId: string) {
    const app = this.apps.get(this.#key(principal.tenant, appId));
    return app ? { id: app.id, name: app.name, published: app.published ?? false } : undefined;
  }

  getObjects(principal: QixPrincipal, appId: string): QixStoredObject[] {
    return this.#app(principal, appId).objects;
  }

  setObjects(principal: QixPrincipal, appId: string, objects: readonly QixStoredObject[]): void {
    this.#app(principal, appId).objects = objects.map((object) => structuredClone(object));
  }

  getData(principal: QixPrincipal, appId: string): LoadedData | undefined {
    return this.#app(principal, appId).data;
  }

  setData(principal: QixPrincipal, appId: string, data: LoadedData): void {
    this.#app(principal, appId).data = data;
  }

  getScript(principal: QixPrincipal, appId: string): string {
    return this.#app(principal, appId).script;
  }

  setScript(principal: QixPrincipal, appId: string, script: string): void {
    this.#app(principal, appId).script = script;
  }

  getProperties(principal: QixPrincipal, appId: string): Record<string, unknown> {
    const app = this.#app(principal, appId);
    return { qTitle: app.name, ...app.properties };
  }

  setProperties(principal: QixPrincipal, appId: string, properties: Record<string, unknown>): void {
    const app = this.#app(principal, appId);
    app.properties = { ...app.properties, ...properties };
    if (typeof properties.qTitle === 'string') app.name = properties.qTitle;
  }

  listConnections(principal: QixPrincipal): QixConnectionRecord[] {
    return [...this.connections.values()]
      .filter((connection) => connection.tenant === principal.tenant)
      .map(({ tenant: _tenant, ...record }) => record);
  }

  createConnection(
    principal: QixPrincipal,
    _appId: string | undefined,
    input: QixConnectionInput,
  ): QixConnectionRecord {
    if (
      this.listConnections(principal).some((connection) => connection.name.toLowerCase() === input.name.toLowerCase())
    ) {
      throw new QixBackendError(QixErrorCode.CONNECTION_ALREADY_EXISTS, 'Connection already exists', input.name);
    }
    const record = {
      id: randomUUID(),
      name: input.name,
      connectionString: input.connectionString,
      type: input.type,
      modifiedDate: new Date().toISOString(),
    };
    this.connections.set(record.id, { ...record, tenant: principal.tenant });
    return record;
  }

  modifyConnection(principal: QixPrincipal, _appId: string | undefined, id: string, input: QixConnectionInput): void {
    const existing = this.connections.get(id);
    if (!existing || existing.tenant !== principal.tenant)
      throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
    this.connections.set(id, {
      ...existing,
      name: input.name,
      connectionString: input.connectionString,
      modifiedDate: new Date().toISOString(),
    });
  }

  deleteConnection(principal: QixPrincipal, _appId: string | undefined, id: string): void {
    const existing = this.connections.get(id);
    if (!existing || existing.tenant !== principal.tenant)
      throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
    this.connections.delete(id);
  }

  reload(principal: QixPrincipal, _appId: string | undefined, script: string): Promise<QixReloadResult> {
    return reloadWithConnections(script, this.listConnections(principal), this.#databases);
  }
}
