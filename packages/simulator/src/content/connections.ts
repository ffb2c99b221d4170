/**
 * Data connection and data credential logic. A connection lives in a space, or in its owner's
 * personal space (`spaceId` undefined); its name is unique within that space. Passwords and
 * connection secrets are stored for the engine but never rendered (see `connection-routes.ts`).
 */
import { placedIn } from './access.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { guid } from './ids.js';
import { seal, sealOptional } from './secret.js';
import { findSpaceByName, getSpace } from './spaces.js';
import type { AppRecord, ConnectionRecord, ContentState, CredentialRecord } from './state.js';

export interface ConnectionInput {
  name: string;
  type: string;
  connectStatement: string;
  datasourceID?: string | undefined;
  spaceId?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  connectionSecret?: string | undefined;
  logOn?: 0 | 1 | undefined;
  architecture?: 0 | 1 | undefined;
  separateCredentials?: boolean | undefined;
  credentialsName?: string | undefined;
  credentialsId?: string | undefined;
  connectionProperties?: Record<string, unknown> | undefined;
  tags?: string[] | undefined;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Connections in one space (`spaceId` undefined: the owner's personal space). */
export function connectionsInSpace(
  state: ContentState,
  spaceId: string | undefined,
  ownerId: string,
): ConnectionRecord[] {
  return [...state.connections.values()].filter((c) => placedIn(c, spaceId, ownerId));
}

export function findConnectionByName(
  state: ContentState,
  name: string,
  spaceId: string | undefined,
  ownerId: string,
): ConnectionRecord | undefined {
  return connectionsInSpace(state, spaceId, ownerId).find((c) => sameName(c.name, name));
}

export function getConnection(state: ContentState, id: string): ConnectionRecord {
  const connection = state.connections.get(id);
  if (!connection) throw notFoundError(`data connection ${id}`);
  return connection;
}

/**
 * Looks a connection up by name (`?type=connectionname`): in `spaceId` when given, else the first
 * match anywhere in the tenant, preferring the caller's personal space.
 */
export function getConnectionByName(
  state: ContentState,
  name: string,
  spaceId: string | undefined,
  userId: string,
): ConnectionRecord {
  const found =
    spaceId !== undefined
      ? findConnectionByName(state, name, spaceId, userId)
      : (findConnectionByName(state, name, undefined, userId) ??
        [...state.connections.values()].find((c) => sameName(c.name, name)));
  if (!found) throw notFoundError(`data connection named ${name}`);
  return found;
}

function assertNameFree(
  state: ContentState,
  name: string,
  spaceId: string | undefined,
  ownerId: string,
  exceptId?: string,
): void {
  const clash = findConnectionByName(state, name, spaceId, ownerId);
  if (clash && clash.id !== exceptId) {
    throw new ContentError(
      409,
      'HTTP-409',
      'Conflict',
      `a data connection named "${name}" already exists in this space`,
    );
  }
}

function credentialFor(state: ContentState, input: ConnectionInput, now: number): string | undefined {
  if (input.credentialsId !== undefined) {
    if (!state.credentials.has(input.credentialsId)) throw notFoundError(`data credential ${input.credentialsId}`);
    return input.credentialsId;
  }
  if (!input.separateCredentials || input.username === undefined) return undefined;
  const credential: CredentialRecord = {
    id: guid(),
    name: input.credentialsName ?? `${input.name} credential`,
    type: input.type,
    datasourceID: input.datasourceID ?? input.type,
    username: input.username,
    password: seal(input.password ?? ''),
    created: now,
    updated: now,
  };
  state.credentials.set(credential.id, credential);
  return credential.id;
}

export function createConnection(
  state: ContentState,
  input: ConnectionInput,
  ownerId: string,
  now: number,
): ConnectionRecord {
  if (input.name.trim() === '') throw badRequestError('qName is required');
  if (input.spaceId !== undefined) getSpace(state, input.spaceId);
  assertNameFree(state, input.name, input.spaceId, ownerId);
  const connection: ConnectionRecord = {
    id: guid(),
    name: input.name,
    type: input.type,
    connectStatement: input.connectStatement,
    datasourceID: input.datasourceID ?? input.type,
    spaceId: input.spaceId,
    ownerId,
    logOn: input.logOn ?? 0,
    architecture: input.architecture ?? 0,
    engineObjectID: guid(),
    separateCredentials: input.separateCredentials ?? false,
    credentialsId: credentialFor(state, input, now),
    username: input.separateCredentials ? undefined : input.username,
    password: input.separateCredentials ? undefined : sealOptional(input.password),
    connectionSecret: sealOptional(input.connectionSecret),
    connectionProperties: input.connectionProperties,
    tags: input.tags ?? [],
    created: now,
    updated: now,
  };
  state.connections.set(connection.id, connection);
  return connection;
}

/** Applies a change set to a connection (PATCH and PUT, and the engine's ModifyConnection). */
export function updateConnection(
  state: ContentState,
  connection: ConnectionRecord,
  changes: Partial<ConnectionInput>,
  now: number,
): ConnectionRecord {
  const name = changes.name ?? connection.name;
  const spaceId = 'spaceId' in changes ? changes.spaceId : connection.spaceId;
  if (spaceId !== undefined && spaceId !== connection.spaceId) getSpace(state, spaceId);
  assertNameFree(state, name, spaceId, connection.ownerId, connection.id);
  connection.name = name;
  connection.spaceId = spaceId;
  if (changes.type !== undefined) connection.type = changes.type;
  if (changes.connectStatement !== undefined) connection.connectStatement = changes.connectStatement;
  if (changes.datasourceID !== undefined) connection.datasourceID = changes.datasourceID;
  if (changes.username !== undefined) connection.username = changes.username;
  if (changes.password !== undefined) connection.password = seal(changes.password);
  // An empty secret clears it; an absent one leaves it unchanged (data-connections.json, qConnectionSecret).
  if (changes.connectionSecret !== undefined)
    connection.connectionSecret = changes.connectionSecret === '' ? undefined : seal(changes.connectionSecret);
  if (changes.logOn !== undefined) connection.logOn = changes.logOn;
  if (changes.architecture !== undefined) connection.architecture = changes.architecture;
  if (changes.separateCredentials !== undefined) connection.separateCredentials = changes.separateCredentials;
  if (changes.credentialsId !== undefined) connection.credentialsId = changes.credentialsId;
  if (changes.connectionProperties !== undefined) connection.connectionProperties = changes.connectionProperties;
  if (changes.tags !== undefined) connection.tags = changes.tags;
  connection.updated = now;
  return connection;
}

export function deleteConnection(state: ContentState, id: string): void {
  getConnection(state, id);
  state.connections.delete(id);
}

/** The connections an app can use: those in its space (or its owner's personal space). */
export function connectionsVisibleToApp(state: ContentState, app: AppRecord): ConnectionRecord[] {
  return connectionsInSpace(state, app.spaceId, app.ownerId);
}

/** Resolves a script reference (`name` or `Space:name`) for an app; undefined when it does not exist. */
export function resolveConnectionForApp(
  state: ContentState,
  app: Pick<AppRecord, 'spaceId' | 'ownerId'>,
  ref: { name: string; spaceName: string | undefined },
): { connection: ConnectionRecord | undefined; spaceLabel: string } {
  if (ref.spaceName !== undefined) {
    const space = findSpaceByName(state, ref.spaceName);
    if (!space) return { connection: undefined, spaceLabel: `${ref.spaceName} (no such space)` };
    return { connection: findConnectionByName(state, ref.name, space.id, app.ownerId), spaceLabel: space.name };
  }
  const spaceLabel = app.spaceId === undefined ? 'personal' : (state.spaces.get(app.spaceId)?.name ?? app.spaceId);
  return { connection: findConnectionByName(state, ref.name, app.spaceId, app.ownerId), spaceLabel };
}

export function connectionCountForCredential(state: ContentState, credentialId: string): number {
  let count = 0;
  for (const c of state.connections.values()) if (c.credentialsId === credentialId) count += 1;
  return count;
}

export function getCredential(state: ContentState, idOrName: string, byName: boolean): CredentialRecord {
  const found = byName
    ? [...state.credentials.values()].find((c) => c.name === idOrName)
    : state.credentials.get(idOrName);
  if (!found) throw notFoundError(`data credential ${idOrName}`);
  return found;
}
