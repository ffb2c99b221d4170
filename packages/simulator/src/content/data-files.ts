/** Data files (data-files.json): files in a space's (or the personal) DataFiles storage. */
import type { Route, SimRequest } from '../http/types.js';
import { placedIn } from './access.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { contentRoute, json, noContent, type ContentHandler } from './http.js';
import { guid, iso } from './ids.js';
import { jsonPart, readMultipart, storeFile } from './multipart.js';
import { paginate } from './pagination.js';
import { getSpace } from './spaces.js';
import type { ContentState, DataFileRecord } from './state.js';

// eslint-disable-next-line no-control-regex -- NUL is one of the characters a data file name may not contain.
const INVALID_NAME = /[<>":\u0000|?*]/;

const ZERO_STATS = {
  aggregateAppScopedFileSize: 0,
  aggregateFileSize: 0,
  aggregateInternalFileSize: 0,
  directAppScopedFileCount: 0,
  directFileCount: 0,
  directFolderCount: 0,
  directInternalFileCount: 0,
  totalAppScopedFileCount: 0,
  totalFileCount: 0,
  totalFolderCount: 0,
  totalInternalFileCount: 0,
};

function renderDataFile(f: DataFileRecord): Record<string, unknown> {
  const slash = f.name.lastIndexOf('/');
  return {
    id: f.id,
    name: f.name,
    baseName: slash >= 0 ? f.name.slice(slash + 1) : f.name,
    size: f.file.size,
    ownerId: f.ownerId,
    spaceId: f.spaceId ?? null,
    appId: f.appId ?? null,
    folder: false,
    actions: ['read', 'update', 'delete', 'list', 'change_owner', 'change_space'],
    createdDate: iso(f.createdDate),
    modifiedDate: iso(f.modifiedDate),
    contentUpdatedDate: iso(f.modifiedDate),
    folderStats: ZERO_STATS,
  };
}

function getDataFile(state: ContentState, id: string): DataFileRecord {
  const f = state.dataFiles.get(id);
  if (!f) throw notFoundError(`data file ${id}`);
  return f;
}

async function readUpload(req: SimRequest): Promise<{
  name: string | undefined;
  spaceId: string | undefined;
  appId: string | undefined;
  bytes: Uint8Array | undefined;
}> {
  const parts = await readMultipart(req);
  const meta = jsonPart(parts.get('Json'), 'Json') ?? {};
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  if (name !== undefined && (name === '' || INVALID_NAME.test(name)))
    throw badRequestError('name cannot be empty or contain < > " : | ? *');
  const connectionId = typeof meta.connectionId === 'string' ? meta.connectionId : undefined;
  // A space's DataFiles connection id is the space id in the simulator; absent: the personal space.
  const spaceId = connectionId && connectionId !== 'personal' ? connectionId : undefined;
  return {
    name,
    spaceId,
    appId: typeof meta.appId === 'string' ? meta.appId : undefined,
    bytes: parts.get('File')?.bytes,
  };
}

function assertNameFree(
  state: ContentState,
  name: string,
  spaceId: string | undefined,
  ownerId: string,
  exceptId?: string,
): void {
  for (const f of state.dataFiles.values()) {
    if (placedIn(f, spaceId, ownerId) && f.name === name && f.id !== exceptId)
      throw new ContentError(409, 'HTTP-409', 'Conflict', `a data file named ${name} already exists`);
  }
}

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('data-files', 'errors-strict', method, path, handler);

export const dataFileRoutes: Route[] = [
  route('GET', '/api/v1/data-files', ({ req, state, userId }) => {
    const q = req.query;
    const name = q.get('name');
    const wildcard = q.get('baseNameWildcard');
    const ownerId = q.get('ownerId');
    const appId = q.get('appId');
    const connectionId = q.get('connectionId');
    const includeAllSpaces = q.get('includeAllSpaces') === 'true';
    const pattern = wildcard
      ? new RegExp(`^${wildcard.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i')
      : undefined;
    const all = [...state.dataFiles.values()]
      // Scope: the caller's personal files by default, one space with connectionId, or every space.
      .filter((f) => includeAllSpaces || placedIn(f, connectionId || undefined, userId))
      .filter((f) => !name || f.name === name)
      .filter((f) => !pattern || pattern.test(f.name))
      .filter((f) => !ownerId || f.ownerId === ownerId)
      .filter((f) => !appId || f.appId === appId)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, req.url, { nextParam: 'page', prevParam: 'page', defaultLimit: 20, maxLimit: 1000 });
    return json(200, {
      data: page.items.map(renderDataFile),
      links: { self: page.links.self, next: page.links.next ?? {}, prev: page.links.prev ?? {} },
    });
  }),
  route('POST', '/api/v1/data-files', async ({ req, state, userId, now }) => {
    const upload = await readUpload(req);
    if (!upload.name) throw badRequestError('Json.name is required');
    if (!upload.bytes) throw badRequestError('File is required');
    if (upload.spaceId !== undefined) getSpace(state, upload.spaceId);
    assertNameFree(state, upload.name, upload.spaceId, userId);
    const record: DataFileRecord = {
      id: guid(),
      name: upload.name,
      spaceId: upload.spaceId,
      ownerId: userId,
      appId: upload.appId,
      file: storeFile(upload.bytes, 'application/octet-stream'),
      createdDate: now,
      modifiedDate: now,
    };
    state.dataFiles.set(record.id, record);
    return json(201, renderDataFile(record));
  }),
  route('GET', '/api/v1/data-files/{id}', ({ req, state }) =>
    json(200, renderDataFile(getDataFile(state, req.params.id ?? ''))),
  ),
  route('PUT', '/api/v1/data-files/{id}', async ({ req, state, now }) => {
    const record = getDataFile(state, req.params.id ?? '');
    const upload = await readUpload(req);
    if (upload.name !== undefined && upload.name !== record.name) {
      assertNameFree(state, upload.name, record.spaceId, record.ownerId, record.id);
      record.name = upload.name;
    }
    if (upload.bytes) record.file = storeFile(upload.bytes, 'application/octet-stream');
    record.modifiedDate = now;
    return json(201, renderDataFile(record));
  }),
  route('DELETE', '/api/v1/data-files/{id}', ({ req, state }) => {
    state.dataFiles.delete(getDataFile(state, req.params.id ?? '').id);
    return noContent();
  }),
];
