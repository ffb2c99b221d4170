/**
 * The content API other simulator modules call directly (the QIX engine server, the QSEoW host), so
 * that the engine, QSEoW distribution and the REST API all see the same apps and connections.
 *
 * Every function takes the tenant (sim-core's `TenantState`, or anything with `id` and `ext`) and the
 * simulated time where it matters. Errors are `ContentError`s (status 404 for unknown apps or
 * connections, 409 for a name clash, 400 for bad input).
 */
import { Databases } from '../engine/script/databases.js';
import { getApp, upsertDistributedApp } from './apps.js';
import {
  connectionsVisibleToApp,
  createConnection,
  deleteConnection,
  updateConnection,
  type ConnectionInput,
} from './connections.js';
import { ContentError, notFoundError } from './errors.js';
import type { QvfContent } from './qvf.js';
import { reloadNow, setReloadTiming, type ReloadOutcome, type ReloadTiming } from './reload-runner.js';
import { settleContent } from './settle.js';
import { contentOf, type AppRecord, type ConnectionRecord, type TenantSlot } from './state.js';

/** The engine's view of a connection: what `Doc.GetConnection` returns. Never the password. */
export interface EngineConnection {
  id: string;
  name: string;
  type: string;
  connectionString: string;
  logOn: 'LOG_ON_SERVICE_USER' | 'LOG_ON_CURRENT_USER';
  spaceId: string | undefined;
  /** Simulated epoch ms of the last change. */
  modified: number;
}

function toEngineConnection(c: ConnectionRecord): EngineConnection {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    connectionString: c.connectStatement,
    logOn: c.logOn === 1 ? 'LOG_ON_CURRENT_USER' : 'LOG_ON_SERVICE_USER',
    spaceId: c.spaceId,
    modified: c.updated,
  };
}

/** The app, or undefined when the tenant has no app with that id. The record is live: treat it as read-only. */
export function findApp(tenant: TenantSlot, appId: string, now?: number): Readonly<AppRecord> | undefined {
  const state = contentOf(tenant);
  if (now !== undefined) void settleContent(state, now);
  return state.apps.get(appId);
}

export function getAppScript(tenant: TenantSlot, appId: string): string {
  return getApp(contentOf(tenant), appId).script;
}

/** `Doc.SetScript` + `DoSave`: the REST API, exports and reloads see the new script. */
export function setAppScript(tenant: TenantSlot, appId: string, script: string, now: number): void {
  const app = getApp(contentOf(tenant), appId);
  app.script = script;
  app.modifiedDate = now;
}

/** The app's properties (`Doc.GetAppProperties`), with `qTitle` and `qLastReloadTime` filled in. */
export function getAppProperties(tenant: TenantSlot, appId: string): Record<string, unknown> {
  const app = getApp(contentOf(tenant), appId);
  const props: Record<string, unknown> = { ...structuredClone(app.properties), qTitle: app.name };
  if (app.lastReloadTime !== undefined) props.qLastReloadTime = new Date(app.lastReloadTime).toISOString();
  return props;
}

/** `Doc.SetAppProperties`: stores the properties; `qTitle` renames the app. */
export function setAppProperties(
  tenant: TenantSlot,
  appId: string,
  properties: Record<string, unknown>,
  now: number,
): void {
  const app = getApp(contentOf(tenant), appId);
  const { qTitle, qLastReloadTime: _ignored, ...rest } = properties;
  if (typeof qTitle === 'string' && qTitle !== '') app.name = qTitle;
  app.properties = structuredClone(rest);
  app.modifiedDate = now;
}

/** Connections the app can use: those in its space (or its owner's personal space). */
export function listAppConnections(tenant: TenantSlot, appId: string): EngineConnection[] {
  const state = contentOf(tenant);
  return connectionsVisibleToApp(state, getApp(state, appId)).map(toEngineConnection);
}

function visibleConnection(tenant: TenantSlot, appId: string, connectionId: string): ConnectionRecord {
  const state = contentOf(tenant);
  const app = getApp(state, appId);
  const connection = connectionsVisibleToApp(state, app).find((c) => c.id === connectionId);
  if (!connection) throw notFoundError(`data connection ${connectionId}`);
  return connection;
}

export function getAppConnection(tenant: TenantSlot, appId: string, connectionId: string): EngineConnection {
  return toEngineConnection(visibleConnection(tenant, appId, connectionId));
}

export interface EngineConnectionInput {
  name: string;
  connectionString: string;
  type: string;
  username?: string;
  password?: string;
  logOn?: 'LOG_ON_SERVICE_USER' | 'LOG_ON_CURRENT_USER';
}

const logOnValue = (logOn: EngineConnectionInput['logOn']): 0 | 1 => (logOn === 'LOG_ON_CURRENT_USER' ? 1 : 0);

/** `Doc.CreateConnection`: creates it in the app's space (or its owner's personal space). 409 on a name clash. */
export function createAppConnection(
  tenant: TenantSlot,
  appId: string,
  input: EngineConnectionInput,
  userId: string,
  now: number,
): EngineConnection {
  const state = contentOf(tenant);
  const app = getApp(state, appId);
  const connectionInput: ConnectionInput = {
    name: input.name,
    type: input.type,
    connectStatement: input.connectionString,
    spaceId: app.spaceId,
    username: input.username,
    password: input.password,
    logOn: logOnValue(input.logOn),
  };
  return toEngineConnection(
    createConnection(state, connectionInput, app.spaceId === undefined ? app.ownerId : userId, now),
  );
}

/**
 * `Doc.ModifyConnection`. The type cannot change (the engine refuses); credentials change only with
 * `overrideCredentials`. The connection is shared: every app in the space sees the change.
 */
export function modifyAppConnection(
  tenant: TenantSlot,
  appId: string,
  connectionId: string,
  input: Partial<EngineConnectionInput>,
  options: { overrideCredentials?: boolean; now: number },
): EngineConnection {
  const connection = visibleConnection(tenant, appId, connectionId);
  if (input.type !== undefined && input.type.toLowerCase() !== connection.type.toLowerCase()) {
    throw new ContentError(400, 'HTTP-400', 'Bad request', 'the type of a connection cannot be modified');
  }
  const changes: Partial<ConnectionInput> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.connectionString !== undefined) changes.connectStatement = input.connectionString;
  if (input.logOn !== undefined) changes.logOn = logOnValue(input.logOn);
  if (options.overrideCredentials) {
    if (input.username !== undefined) changes.username = input.username;
    if (input.password !== undefined) changes.password = input.password;
  }
  return toEngineConnection(updateConnection(contentOf(tenant), connection, changes, options.now));
}

export function deleteAppConnection(tenant: TenantSlot, appId: string, connectionId: string): void {
  deleteConnection(contentOf(tenant), visibleConnection(tenant, appId, connectionId).id);
}

/** Looks up any connection of the tenant by id (REST and engine share ids). */
export function findConnection(tenant: TenantSlot, connectionId: string): EngineConnection | undefined {
  const connection = contentOf(tenant).connections.get(connectionId);
  return connection ? toEngineConnection(connection) : undefined;
}

/**
 * Runs the app's script now (the engine's `DoReload`): the same run as a REST reload (the
 * load-script interpreter over the app's files and connections, opened through `databases`), but
 * no Reload record. On success the app's `lastReloadTime` is `now` and its data the new tables.
 */
export function reloadApp(
  tenant: TenantSlot,
  appId: string,
  now: number,
  options: { partial?: boolean; databases?: Databases } = {},
): Promise<ReloadOutcome> {
  const state = contentOf(tenant);
  return reloadNow(state, getApp(state, appId), options.databases ?? NO_DATABASES, now, options);
}

/** Reloads of callers that name no databases reach real servers only. */
const NO_DATABASES = new Databases();

/** Creates or replaces a distributed (multi-cloud) app with a QSEoW app id: new ones arrive staged; replacements keep their space. */
export function putDistributedApp(
  tenant: TenantSlot,
  input: { id: string; name: string; ownerId?: string; content: Omit<QvfContent, 'name'> },
  now: number,
): Readonly<AppRecord> {
  return upsertDistributedApp(
    contentOf(tenant),
    { id: input.id, name: input.name, ownerId: input.ownerId ?? '', content: input.content },
    now,
  );
}

/** Changes how long REST reloads stay QUEUED and RELOADING in this tenant (simulated ms). */
export function configureReloads(tenant: TenantSlot, timing: Partial<ReloadTiming>): void {
  setReloadTiming(contentOf(tenant), timing);
}

export type { ReloadOutcome, ReloadTiming } from './reload-runner.js';
export { findConnectionReferences, type ConnectionReference } from './script.js';
export { encodeQvf, decodeQvf, QvfFormatError, type QvfContent, type QvfObject } from './qvf.js';
export { ContentError } from './errors.js';
