/** HTTP routes of data-connections.json and data-credentials.json. Secrets are never rendered. */
import { AccessDenied } from '../auth/authorize.js';
import type { Route, SimRequest } from '../http/types.js';
import { allow, allows } from './access.js';
import {
  connectionCountForCredential,
  createConnection,
  deleteConnection,
  getConnection,
  getConnectionByName,
  getCredential,
  updateConnection,
  type ConnectionInput,
} from './connections.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import {
  absolute,
  contentRoute,
  isRecord,
  json,
  noContent,
  objectBody,
  optionalBoolean,
  optionalString,
  patchOperations,
  requiredString,
  type ContentCall,
  type ContentHandler,
} from './http.js';
import { iso } from './ids.js';
import { paginate } from './pagination.js';
import { seal } from './secret.js';
import type { ConnectionRecord, ContentState } from './state.js';

const PRIVILEGES = ['list', 'update', 'delete', 'read', 'change_owner', 'change_space'];

/** The GET shape (ConnectionGet). No password, no secret, no user name. */
function renderConnection(req: SimRequest, state: ContentState, c: ConnectionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    qID: c.id,
    qName: c.name,
    qType: c.type,
    qConnectStatement: c.connectStatement,
    qLogOn: c.logOn,
    qArchitecture: c.architecture,
    qEngineObjectID: c.engineObjectID,
    qSeparateCredentials: c.separateCredentials,
    datasourceID: c.datasourceID,
    tags: c.tags,
    user: c.ownerId,
    tenant: state.tenantId,
    created: iso(c.created),
    updated: iso(c.updated),
    privileges: PRIVILEGES,
    links: { self: { href: absolute(req, `/api/v1/data-connections/${c.id}`) } },
  };
  if (c.spaceId !== undefined) out.space = c.spaceId;
  if (c.credentialsId !== undefined) out.qCredentialsID = c.credentialsId;
  if (c.connectionProperties !== undefined) out.connectionProperties = c.connectionProperties;
  return out;
}

/** The POST 201 shape (qLogOn is a string there). */
function renderCreated(req: SimRequest, state: ContentState, c: ConnectionRecord): Record<string, unknown> {
  const {
    tenant: _tenant,
    tags: _tags,
    datasourceID: _ds,
    connectionProperties: _cp,
    ...rest
  } = renderConnection(req, state, c);
  const out: Record<string, unknown> = { ...rest, qLogOn: String(c.logOn) };
  if (c.credentialsId !== undefined) out.qCredentialsName = state.credentials.get(c.credentialsId)?.name;
  return out;
}

function logOnOf(value: unknown): 0 | 1 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 0 || value === '0' || value === 'LOG_ON_SERVICE_USER') return 0;
  if (value === 1 || value === '1' || value === 'LOG_ON_CURRENT_USER') return 1;
  throw badRequestError('qLogOn must be 0, 1, LOG_ON_SERVICE_USER or LOG_ON_CURRENT_USER');
}

function architectureOf(value: unknown): 0 | 1 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 0 || value === 1) return value;
  throw badRequestError('qArchitecture must be 0 or 1');
}

function tagsOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string'))
    throw badRequestError('tags must be an array of strings');
  return value as string[];
}

/** Reads the classic create/put body into a connection input. */
function inputOf(body: Record<string, unknown>, mode: 'create' | 'put'): ConnectionInput {
  const connectionProperties = body.connectionProperties;
  if (connectionProperties !== undefined && !isRecord(connectionProperties))
    throw badRequestError('connectionProperties must be an object');
  const dcaas = mode === 'create' && connectionProperties !== undefined && body.qConnectStatement === undefined;
  const datasourceID = mode === 'create' ? requiredString(body, 'datasourceID') : optionalString(body, 'datasourceID');
  return {
    name: requiredString(body, 'qName'),
    type: dcaas ? (datasourceID ?? 'dcaas') : requiredString(body, 'qType'),
    connectStatement: dcaas ? '' : requiredString(body, 'qConnectStatement'),
    datasourceID,
    spaceId: optionalString(body, 'space') || undefined,
    username: optionalString(body, 'qUsername'),
    password: optionalString(body, 'qPassword'),
    connectionSecret: optionalString(body, 'qConnectionSecret'),
    logOn: logOnOf(body.qLogOn),
    architecture: architectureOf(body.qArchitecture),
    separateCredentials: optionalBoolean(body, 'qSeparateCredentials'),
    credentialsName: optionalString(body, 'qCredentialsName'),
    credentialsId: optionalString(body, 'qCredentialsID') || undefined,
    connectionProperties: connectionProperties,
    tags: tagsOf(body.tags),
  };
}

/** `{qID}` is an id, or a name with `?type=connectionname` (optionally within `?spaceId`). */
function lookup(req: SimRequest, state: ContentState, userId: string): ConnectionRecord {
  const key = req.params.qID ?? '';
  if (req.query.get('type') === 'connectionname') {
    return getConnectionByName(state, key, req.query.get('spaceId') || undefined, userId);
  }
  return getConnection(state, key);
}

/** The connection of the request, when the caller may do `action` on it. */
function connectionFor(call: ContentCall, action: 'connection.use' | 'connection.manage'): ConnectionRecord {
  const connection = lookup(call.req, call.state, call.userId);
  allow(call, action, connection);
  return connection;
}

const PATCHABLE: Record<string, (value: unknown) => Partial<ConnectionInput>> = {
  '/qName': (v) => ({ name: stringValue('/qName', v) }),
  '/qConnectStatement': (v) => ({ connectStatement: stringValue('/qConnectStatement', v) }),
  '/qType': (v) => ({ type: stringValue('/qType', v) }),
  '/qUsername': (v) => ({ username: stringValue('/qUsername', v) }),
  '/qPassword': (v) => ({ password: stringValue('/qPassword', v) }),
  '/qConnectionSecret': (v) => ({ connectionSecret: stringValue('/qConnectionSecret', v) }),
  '/space': (v) => ({ spaceId: stringValue('/space', v) || undefined }),
  '/datasourceID': (v) => ({ datasourceID: stringValue('/datasourceID', v) }),
  '/qLogOn': (v) => ({ logOn: logOnOf(v) }),
  '/qArchitecture': (v) => ({ architecture: architectureOf(v) }),
  '/qSeparateCredentials': (v) => {
    if (typeof v !== 'boolean') throw badRequestError('/qSeparateCredentials must be a boolean');
    return { separateCredentials: v };
  },
  '/tags': (v) => ({ tags: tagsOf(v) ?? [] }),
};

function stringValue(path: string, value: unknown): string {
  if (typeof value !== 'string') throw badRequestError(`${path} must be a string`);
  return value;
}

const dcRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('data-connections', 'errors-number-status', method, path, handler);
const credRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('data-credentials', 'errors-number-status', method, path, handler);

/** One row of a 207 multi-status answer. */
function bulkRow(id: string, run: () => void): Record<string, unknown> {
  try {
    run();
    return { id, status: 204 };
  } catch (thrown) {
    const error =
      thrown instanceof AccessDenied ? new ContentError(403, 'HTTP-403', 'Forbidden', thrown.detail) : thrown;
    if (!(error instanceof ContentError)) throw error;
    return {
      id,
      status: error.status,
      error: { code: error.code, title: error.title, detail: error.detail ?? error.title, status: error.status },
    };
  }
}

function bulkList(body: Record<string, unknown>): Record<string, unknown>[] {
  const list = body.connections;
  if (!Array.isArray(list) || list.some((c) => !isRecord(c) || typeof c.id !== 'string'))
    throw badRequestError('connections must be an array of { id }');
  return list as Record<string, unknown>[];
}

export const connectionRoutes: Route[] = [
  dcRoute('POST', '/api/v1/data-connections/actions/delete', (call) => {
    const { req, state } = call;
    const rows = bulkList(objectBody(req)).map((c) =>
      bulkRow(String(c.id), () => {
        const connection = getConnection(state, String(c.id));
        allow(call, 'connection.manage', connection);
        deleteConnection(state, connection.id);
      }),
    );
    return json(207, { data: rows });
  }),
  dcRoute('POST', '/api/v1/data-connections/actions/update', (call) => {
    const { req, state, now } = call;
    const rows = bulkList(objectBody(req)).map((c) =>
      bulkRow(String(c.id), () => {
        const connection = getConnection(state, String(c.id));
        allow(call, 'connection.manage', connection);
        const changes: Partial<ConnectionInput> = {};
        if (typeof c.name === 'string') changes.name = c.name;
        if (c.spaceType === 'personal') changes.spaceId = undefined;
        else if (typeof c.spaceId === 'string') changes.spaceId = c.spaceId;
        if (changes.spaceId !== undefined)
          allow(call, 'connection.manage', { spaceId: changes.spaceId, ownerId: connection.ownerId });
        updateConnection(state, connection, changes, now);
        if (typeof c.ownerId === 'string') connection.ownerId = c.ownerId;
      }),
    );
    return json(207, { data: rows });
  }),
  dcRoute('POST', '/api/v1/data-connections/actions/duplicate', (call) => {
    const { req, state, userId, now } = call;
    const body = objectBody(req);
    const source = getConnection(state, requiredString(body, 'id'));
    allow(call, 'connection.manage', source);
    const spaceId = optionalString(body, 'spaceId') ?? source.spaceId;
    allow(call, 'connection.manage', { spaceId, ownerId: userId });
    const copy = createConnection(
      state,
      {
        name: optionalString(body, 'name') ?? `${source.name} (copy)`,
        type: source.type,
        connectStatement: source.connectStatement,
        datasourceID: source.datasourceID,
        spaceId,
        username: optionalString(body, 'qUsername') ?? source.username,
        password: optionalString(body, 'qPassword') ?? source.password?.reveal(),
        connectionSecret: source.connectionSecret?.reveal(),
        logOn: source.logOn,
        architecture: source.architecture,
        credentialsId: source.credentialsId,
        separateCredentials: source.separateCredentials,
        connectionProperties: source.connectionProperties,
        tags: [...source.tags],
      },
      userId,
      now,
    );
    return json(201, renderCreated(req, state, copy));
  }),
  dcRoute('GET', '/api/v1/data-connections', (call) => {
    const { req, state, userId } = call;
    const q = req.query;
    const spaceId = q.get('spaceId');
    const personal = q.get('personal') === 'true';
    const ownedByMe = q.get('ownedByMe') === 'true';
    const owner = q.get('owner') ?? q.get('userId');
    const caseInsensitive = q.get('caseinsensitive') === 'true';
    const nameFilter = /qName\s+eq\s+"([^"]*)"/i.exec(q.get('filter') ?? '')?.[1];
    const sort = q.get('sort') ?? 'qName';
    const all = [...state.connections.values()]
      .filter((c) => allows(call, 'connection.use', c))
      .filter((c) => !spaceId || c.spaceId === spaceId)
      .filter((c) => !personal || c.spaceId === undefined)
      .filter((c) => !ownedByMe || c.ownerId === userId)
      .filter((c) => !owner || c.ownerId === owner)
      .filter(
        (c) =>
          nameFilter === undefined ||
          (caseInsensitive ? c.name.toLowerCase() === nameFilter.toLowerCase() : c.name === nameFilter),
      )
      .sort((a, b) => {
        const order = sort.replace(/^[+-]/, '') === 'created' ? a.created - b.created : a.name.localeCompare(b.name);
        return sort.startsWith('-') ? -order : order;
      });
    const page = paginate(all, req.url, {
      nextParam: 'page',
      prevParam: 'page',
      defaultLimit: undefined,
      maxLimit: 100,
    });
    const dataName = q.get('dataName') || 'data';
    return json(200, {
      [dataName]: page.items.map((c) => renderConnection(req, state, c)),
      meta: { count: page.total },
      links: page.links,
    });
  }),
  dcRoute('POST', '/api/v1/data-connections', (call) => {
    const { req, state, userId, now } = call;
    const input = inputOf(objectBody(req), 'create');
    allow(call, 'connection.manage', { spaceId: input.spaceId, ownerId: userId });
    const connection = createConnection(state, input, userId, now);
    return json(201, renderCreated(req, state, connection));
  }),
  dcRoute('GET', '/api/v1/data-connections/{qID}', (call) =>
    json(200, renderConnection(call.req, call.state, connectionFor(call, 'connection.use'))),
  ),
  dcRoute('PATCH', '/api/v1/data-connections/{qID}', (call) => {
    const { req, state, now } = call;
    const connection = connectionFor(call, 'connection.manage');
    let changes: Partial<ConnectionInput> = {};
    for (const op of patchOperations(req, ['add', 'replace', 'remove'])) {
      const apply = PATCHABLE[op.path];
      if (!apply) throw badRequestError(`path ${op.path} cannot be patched`);
      if (op.op === 'remove') {
        if (op.path === '/qConnectionSecret') changes = { ...changes, connectionSecret: '' };
        else if (op.path === '/space') changes = { ...changes, spaceId: undefined };
        else throw badRequestError(`path ${op.path} cannot be removed`);
        continue;
      }
      changes = { ...changes, ...apply(op.value) };
    }
    if (changes.spaceId !== undefined)
      allow(call, 'connection.manage', { spaceId: changes.spaceId, ownerId: connection.ownerId });
    updateConnection(state, connection, changes, now);
    return noContent();
  }),
  dcRoute('PUT', '/api/v1/data-connections/{qID}', (call) => {
    const { req, state, now } = call;
    const connection = connectionFor(call, 'connection.manage');
    const body = objectBody(req);
    const qID = requiredString(body, 'qID');
    if (qID !== connection.id) throw badRequestError('qID in the body must match the connection');
    requiredString(body, 'qEngineObjectID');
    const input = inputOf(body, 'put');
    const { spaceId, ...rest } = input;
    const changes: Partial<ConnectionInput> = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined),
    );
    if (body.space !== undefined) changes.spaceId = spaceId;
    if (changes.spaceId !== undefined)
      allow(call, 'connection.manage', { spaceId: changes.spaceId, ownerId: connection.ownerId });
    updateConnection(state, connection, changes, now);
    return noContent();
  }),
  dcRoute('DELETE', '/api/v1/data-connections/{qID}', (call) => {
    deleteConnection(call.state, connectionFor(call, 'connection.manage').id);
    return noContent();
  }),
  credRoute('GET', '/api/v1/data-credentials/{qID}', ({ req, state }) => {
    const credential = getCredential(state, req.params.qID ?? '', req.query.get('byCredentialName') === 'true');
    return json(200, {
      qID: credential.id,
      qName: credential.name,
      qType: credential.type,
      datasourceID: credential.datasourceID,
      qConnCount: connectionCountForCredential(state, credential.id),
      created: iso(credential.created),
      updated: iso(credential.updated),
      links: { self: { href: absolute(req, `/api/v1/data-credentials/${credential.id}`) } },
    });
  }),
  credRoute('PATCH', '/api/v1/data-credentials/{qID}', ({ req, state, now }) => {
    const credential = getCredential(state, req.params.qID ?? '', req.query.get('byCredentialName') === 'true');
    for (const op of patchOperations(req, ['add', 'replace'])) {
      if (typeof op.value !== 'string') throw badRequestError(`${op.path} must be a string`);
      if (op.path === '/qName') credential.name = op.value;
      else if (op.path === '/qUsername') credential.username = op.value;
      else if (op.path === '/qPassword') credential.password = seal(op.value);
      else throw badRequestError(`path ${op.path} cannot be patched`);
    }
    credential.updated = now;
    return noContent();
  }),
  credRoute('PUT', '/api/v1/data-credentials/{qID}', ({ req, state, now }) => {
    const credential = getCredential(state, req.params.qID ?? '', req.query.get('byCredentialName') === 'true');
    const body = objectBody(req);
    credential.name = requiredString(body, 'qName');
    credential.type = requiredString(body, 'qType');
    credential.username = requiredString(body, 'qUsername');
    credential.password = seal(requiredString(body, 'qPassword'));
    const datasourceID = optionalString(body, 'datasourceID');
    if (datasourceID !== undefined) credential.datasourceID = datasourceID;
    credential.updated = now;
    return noContent();
  }),
  credRoute('DELETE', '/api/v1/data-credentials/{qID}', ({ req, state }) => {
    const credential = getCredential(state, req.params.qID ?? '', req.query.get('byCredentialName') === 'true');
    if (!state.credentials.delete(credential.id)) throw notFoundError(`data credential ${credential.id}`);
    for (const c of state.connections.values()) if (c.credentialsId === credential.id) c.credentialsId = undefined;
    return noContent();
  }),
];
