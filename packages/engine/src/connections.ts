import { QlikValidationError, type ValidationIssue } from '@qlik-oem/core';
import type { Connection, EngineDoc } from './qix-types.js';

/** A data connection to create or modify. */
export interface ConnectionDefinition {
  name: string;
  /** e.g. `CUSTOM CONNECT TO "provider=...;"` or a folder path. */
  connectionString: string;
  /** `folder`, `internet`, `ODBC`, `OLEDB` or a connector's type. */
  type: string;
  userName?: string;
  password?: string;
}

/** What the engine tells about a connection (it never returns user names or passwords). */
export interface ConnectionInfo {
  id: string;
  name: string;
  connectionString: string;
  type: string;
  modifiedDate: string | undefined;
}

const INVALID_NAME = /[<>:"/\\|?*]/;

function validate(definition: ConnectionDefinition, what: string): void {
  const issues: ValidationIssue[] = [];
  if (
    typeof definition?.name !== 'string' ||
    definition.name === '' ||
    definition.name.length > 256 ||
    INVALID_NAME.test(definition.name)
  ) {
    issues.push({ path: ['name'], message: 'must be 1-256 characters without < > : " / \\ | ? *' });
  }
  if (typeof definition?.connectionString !== 'string' || definition.connectionString === '') {
    issues.push({ path: ['connectionString'], message: 'must be a non-empty string' });
  }
  if (typeof definition?.type !== 'string' || definition.type === '')
    issues.push({ path: ['type'], message: 'must be a non-empty string' });
  if (issues.length > 0) throw new QlikValidationError(`${what}: invalid connection`, issues);
}

function toQix(definition: ConnectionDefinition): Connection {
  return {
    qName: definition.name,
    qConnectionString: definition.connectionString,
    qType: definition.type,
    ...(definition.userName !== undefined ? { qUserName: definition.userName } : {}),
    ...(definition.password !== undefined ? { qPassword: definition.password } : {}),
  };
}

function fromQix(connection: Connection): ConnectionInfo {
  return {
    id: connection.qId ?? '',
    name: connection.qName ?? '',
    connectionString: connection.qConnectionString ?? '',
    type: connection.qType ?? '',
    modifiedDate: connection.qModifiedDate,
  };
}

/** The data connections the app can use. */
export async function listConnections(doc: EngineDoc): Promise<ConnectionInfo[]> {
  return (await doc.getConnections()).map(fromQix);
}

/** The connection named `name` (case-insensitive, as Qlik compares names), or undefined. */
export async function findConnection(doc: EngineDoc, name: string): Promise<ConnectionInfo | undefined> {
  const wanted = name.toLowerCase();
  return (await listConnections(doc)).find((connection) => connection.name.toLowerCase() === wanted);
}

/** Creates a data connection; returns its id. */
export async function createConnection(doc: EngineDoc, definition: ConnectionDefinition): Promise<string> {
  validate(definition, 'createConnection');
  return doc.createConnection(toQix(definition));
}

/**
 * Changes a connection. Connections are shared: every app that uses it sees the change. To move one
 * copied app to another connection, create one and `rewriteAppConnection` instead.
 */
export async function modifyConnection(
  doc: EngineDoc,
  connectionId: string,
  definition: ConnectionDefinition,
  options: { overrideCredentials?: boolean } = {},
): Promise<void> {
  if (typeof connectionId !== 'string' || connectionId === '')
    throw new QlikValidationError('modifyConnection: connectionId must be a non-empty string');
  validate(definition, 'modifyConnection');
  await doc.modifyConnection(connectionId, toQix(definition), options.overrideCredentials ?? false);
}

export async function deleteConnection(doc: EngineDoc, connectionId: string): Promise<void> {
  if (typeof connectionId !== 'string' || connectionId === '')
    throw new QlikValidationError('deleteConnection: connectionId must be a non-empty string');
  await doc.deleteConnection(connectionId);
}
