import type { IncomingMessage } from 'node:http';
import type { SimClock } from '../clock.js';
import { ContentError } from '../content/errors.js';
import {
  connectionsVisibleToApp,
  connectionsInSpace,
  createConnection,
  deleteConnection,
  updateConnection,
} from '../content/connections.js';
import { runReload } from '../content/reload-runner.js';
import { databasesOf } from '../engine/script/plugin.js';
import type { LoadedData } from '../engine/table.js';
import { contentOf, type AppRecord, type ConnectionRecord, type ContentState } from '../content/state.js';
import { hostOf } from '../http/dispatcher.js';
import { requestAuthorization, resolveRequestAuth } from '../http/auth.js';
import { may } from '../auth/authorize.js';
import { authPrincipal, type AuthPrincipal } from '../auth/principal.js';
import { placedResource } from '../content/access.js';
import type { SimState } from '../state/sim-state.js';
import { QixErrorCode } from './errors.js';
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
 * The QIX engine's view of the simulated Qlik Cloud tenants: the same apps, scripts and data
 * connections the REST API serves, and the same reload run (`runReload`).
 */
export class ContentQixBackend implements QixBackend {
  /** The authorization view of each authenticated engine principal. */
  readonly #callers = new WeakMap<QixPrincipal, AuthPrincipal>();

  constructor(
    private readonly sim: SimState,
    private readonly clock: SimClock,
  ) {}

  /** Whether this backend serves the host (a Qlik Cloud tenant). */
  servesHost(host: string): boolean {
    return this.sim.tenantByHost(host) !== undefined;
  }

  authenticate(request: IncomingMessage): QixAuthResult {
    // A browser's engine socket carries the session cookie of a JWT login, a Node client the bearer token.
    const auth = resolveRequestAuth(
      this.sim,
      hostOf(request),
      requestAuthorization(this.sim, request.headers, 'GET'),
      'tenant',
    );
    if (!auth.ok) {
      const status = auth.response.status === 403 ? 403 : auth.response.status === 404 ? 404 : 401;
      return {
        ok: false,
        status,
        message: status === 404 ? 'Not found' : status === 403 ? 'Forbidden' : 'Unauthorized',
      };
    }
    if (!auth.tenant || !auth.principal) return { ok: false, status: 401, message: 'Unauthorized' };
    // Section access matches USERID to the user's subject and GROUP to its groups (the JWT `groups` claim).
    const user = auth.tenant.users.get(auth.principal.userId);
    const principal: QixPrincipal = {
      tenant: auth.tenant.id,
      userId: auth.principal.userId,
      flavor: 'cloud',
      ...(user ? { subject: user.subject, groups: user.assignedGroups.map((group) => group.name) } : {}),
    };
    this.#callers.set(principal, authPrincipal(auth.tenant, auth.principal, this.sim.authorization));
    return { ok: true, principal };
  }

  mayOpen(principal: QixPrincipal, appId: string): boolean {
    const caller = this.#callers.get(principal);
    const app = this.#content(principal).apps.get(appId);
    return !caller || !app || may(caller, 'app.open', placedResource(this.#content(principal), app));
  }

  #content(principal: QixPrincipal): ContentState {
    const tenant = this.sim.tenantById(principal.tenant);
    if (!tenant) throw new QixBackendError(QixErrorCode.ACCESS_DENIED, 'Tenant not available');
    return contentOf(tenant);
  }

  #app(principal: QixPrincipal, appId: string): AppRecord {
    const app = this.#content(principal).apps.get(appId);
    if (!app) throw new QixBackendError(QixErrorCode.APP_NOT_FOUND, 'App not found', appId);
    return app;
  }

  getApp(principal: QixPrincipal, appId: string) {
    const app = this.#content(principal).apps.get(appId);
    return app ? { id: app.id, name: app.name, published: app.published } : undefined;
  }

  getObjects(principal: QixPrincipal, appId: string): QixStoredObject[] {
    return this.#app(principal, appId).objects;
  }

  setObjects(principal: QixPrincipal, appId: string, objects: readonly QixStoredObject[]): void {
    const app = this.#app(principal, appId);
    app.objects = objects.map((object) => structuredClone(object));
    app.modifiedDate = this.clock.now();
  }

  getScript(principal: QixPrincipal, appId: string): string {
    return this.#app(principal, appId).script;
  }

  getData(principal: QixPrincipal, appId: string): LoadedData | undefined {
    return this.#app(principal, appId).data;
  }

  /** `DoSave` after a `DoReload`: the app keeps the engine's tables, as a REST reload would leave them. */
  setData(principal: QixPrincipal, appId: string, data: LoadedData): void {
    const app = this.#app(principal, appId);
    app.data = data;
    app.hasData = true;
    app.lastReloadTime = this.clock.now();
  }

  setScript(principal: QixPrincipal, appId: string, script: string): void {
    const app = this.#app(principal, appId);
    app.script = script;
    app.modifiedDate = this.clock.now();
  }

  getProperties(principal: QixPrincipal, appId: string): Record<string, unknown> {
    const app = this.#app(principal, appId);
    return {
      ...app.properties,
      qTitle: app.name,
      qLastReloadTime: app.lastReloadTime === undefined ? '' : new Date(app.lastReloadTime).toISOString(),
      description: app.description,
    };
  }

  setProperties(principal: QixPrincipal, appId: string, properties: Record<string, unknown>): void {
    const app = this.#app(principal, appId);
    const { qTitle, qLastReloadTime, description, ...rest } = properties;
    if (typeof qTitle === 'string' && qTitle !== '') app.name = qTitle;
    if (typeof description === 'string') app.description = description;
    if (typeof qLastReloadTime === 'string' && qLastReloadTime !== '') {
      const at = Date.parse(qLastReloadTime);
      // Saving after an engine reload persists its data, as DoSave does.
      if (!Number.isNaN(at) && at !== app.lastReloadTime) {
        app.lastReloadTime = at;
        app.hasData = true;
      }
    }
    app.properties = { ...app.properties, ...rest };
    app.modifiedDate = this.clock.now();
  }

  /** Connections in the app's space; for a session app, the user's personal space. */
  #visible(principal: QixPrincipal, appId: string | undefined): ConnectionRecord[] {
    const content = this.#content(principal);
    if (appId === undefined) return connectionsInSpace(content, undefined, principal.userId);
    return connectionsVisibleToApp(content, this.#app(principal, appId));
  }

  listConnections(principal: QixPrincipal, appId: string | undefined): QixConnectionRecord[] {
    return this.#visible(principal, appId).map(toRecord);
  }

  createConnection(principal: QixPrincipal, appId: string | undefined, input: QixConnectionInput): QixConnectionRecord {
    const content = this.#content(principal);
    const app = appId === undefined ? undefined : this.#app(principal, appId);
    const created = mapContentErrors(() =>
      createConnection(
        content,
        {
          name: input.name,
          type: input.type,
          connectStatement: input.connectionString,
          spaceId: app?.spaceId,
          username: input.userName,
          password: input.password,
        },
        app?.ownerId ?? principal.userId,
        this.clock.now(),
      ),
    );
    return toRecord(created);
  }

  modifyConnection(principal: QixPrincipal, appId: string | undefined, id: string, input: QixConnectionInput): void {
    const connection = this.#visible(principal, appId).find((candidate) => candidate.id === id);
    if (!connection) throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
    // The engine cannot change a connection's type.
    const changes = {
      name: input.name,
      connectStatement: input.connectionString,
      ...(input.userName !== undefined ? { username: input.userName } : {}),
      ...(input.password !== undefined ? { password: input.password } : {}),
    };
    mapContentErrors(() => updateConnection(this.#content(principal), connection, changes, this.clock.now()));
  }

  deleteConnection(principal: QixPrincipal, appId: string | undefined, id: string): void {
    const connection = this.#visible(principal, appId).find((candidate) => candidate.id === id);
    if (!connection) throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
    mapContentErrors(() => deleteConnection(this.#content(principal), connection.id));
  }

  async reload(principal: QixPrincipal, appId: string | undefined, script: string): Promise<QixReloadResult> {
    const content = this.#content(principal);
    // The engine reloads its working copy of the script; saving persists script and data together.
    const stored = appId === undefined ? undefined : this.#app(principal, appId);
    const target = { ...(stored ?? sessionAppRecord(principal)), script };
    const outcome = await runReload(content, target, databasesOf(this.sim), this.clock.now());
    const log = outcome.log.split('\n').filter((line) => line !== '');
    if (outcome.success) return { success: true, log, errors: [], ...(outcome.data ? { data: outcome.data } : {}) };
    const error = {
      message: outcome.errorReason ?? outcome.errorMessage ?? 'Reload failed',
      ...(outcome.errorLine !== undefined ? { line: outcome.errorLine } : {}),
      ...(outcome.errorStatement !== undefined ? { statement: outcome.errorStatement } : {}),
    };
    return { success: false, log, errors: [error] };
  }
}

/** The fields `runReload` reads, for a session app: it lives in the user's personal space. */
function sessionAppRecord(principal: QixPrincipal): Pick<AppRecord, 'id' | 'spaceId' | 'ownerId' | 'name'> {
  return { id: 'SessionApp', spaceId: undefined, ownerId: principal.userId, name: 'Session app' };
}

function toRecord(connection: ConnectionRecord): QixConnectionRecord {
  return {
    id: connection.id,
    name: connection.name,
    connectionString: connection.connectStatement,
    type: connection.type,
    modifiedDate: new Date(connection.updated).toISOString(),
    logOn: connection.logOn === 1 ? 'LOG_ON_CURRENT_USER' : 'LOG_ON_SERVICE_USER',
  };
}

function mapContentErrors<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof ContentError) {
      const code =
        error.status === 409
          ? QixErrorCode.CONNECTION_ALREADY_EXISTS
          : error.status === 404
            ? QixErrorCode.CONNECTION_NOT_FOUND
            : QixErrorCode.INVALID_PARAMETERS;
      throw new QixBackendError(code, error.detail ?? error.title);
    }
    throw error;
  }
}
