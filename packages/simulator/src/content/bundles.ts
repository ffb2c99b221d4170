// Extensions (extensions.json) and themes (themes.json): zip archives named by the .qext inside them.
import type { Route } from '../http/types.js';
import { ContentError, notFoundError } from './errors.js';
import { contentRoute, json, noContent, type ContentHandler } from './http.js';
import { iso, objectId } from './ids.js';
import { jsonPart, readMultipart, storeFile, type FormPart } from './multipart.js';
import { readQext } from './qext.js';
import type { BundleRecord, ContentState, StoredFile } from './state.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function bundleFile(part: FormPart | undefined): StoredFile | undefined {
  if (!part) return undefined;
  if (ZIP_MAGIC.some((b, i) => part.bytes[i] !== b))
    throw new ContentError(422, 'HTTP-422', 'Unprocessable entity', 'the file must be a zip archive');
  return storeFile(part.bytes, 'application/zip');
}

function renderBundle(state: ContentState, b: BundleRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...b.metadata,
    id: b.id,
    name: b.name,
    qextFilename: b.qextFilename,
    tenantId: state.tenantId,
    userId: b.userId,
    createdAt: iso(b.createdAt),
    updateAt: iso(b.updatedAt),
  };
  if (b.file) {
    out.checksum = b.file.sha256;
    out.file = { size: b.file.size, contentType: b.file.contentType, sha256: b.file.sha256 };
  }
  return out;
}

type BundleKind = 'extensions' | 'themes';

function bundles(state: ContentState, kind: BundleKind): Map<string, BundleRecord> {
  return kind === 'extensions' ? state.extensions : state.themes;
}

/** By id, or by `qextFilename` (the spec's "identifier or its qextFilename"). */
function getBundle(state: ContentState, kind: BundleKind, idOrName: string): BundleRecord {
  const map = bundles(state, kind);
  const found = map.get(idOrName) ?? [...map.values()].find((b) => b.qextFilename === idOrName);
  if (!found) throw notFoundError(`${kind === 'extensions' ? 'extension' : 'theme'} ${idOrName}`);
  return found;
}

const READ_ONLY = ['id', 'userId', 'tenantId', 'createdAt', 'updateAt', 'migrationState', 'file', 'checksum'];
const writable = (data: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(data).filter(([k]) => !READ_ONLY.includes(k)));

/** Manifest fields the extension and theme schemas declare as strings (the rest of a .qext is not kept). */
const QEXT_FIELDS = ['name', 'description', 'type', 'version', 'author', 'icon', 'preview', 'homepage', 'license'];

function manifestMetadata(file: StoredFile): { qextFilename: string; fields: Record<string, unknown> } {
  const { qextFilename, fields } = readQext(file.bytes);
  return {
    qextFilename,
    fields: Object.fromEntries(QEXT_FIELDS.filter((k) => typeof fields[k] === 'string').map((k) => [k, fields[k]])),
  };
}

function routesOf(kind: BundleKind): Route[] {
  const route = (method: string, path: string, handler: ContentHandler): Route =>
    contentRoute(kind, 'flat', method, path, handler);
  const base = `/api/v1/${kind}`;
  const label = kind === 'extensions' ? 'extension' : 'theme';
  const assertFree = (state: ContentState, qextFilename: string, exceptId?: string): void => {
    const clash = [...bundles(state, kind).values()].find((b) => b.qextFilename === qextFilename && b.id !== exceptId);
    if (clash) throw new ContentError(409, 'HTTP-409', 'Conflict', `an ${label} named ${qextFilename} already exists`);
  };
  return [
    route('GET', base, ({ state }) =>
      json(200, {
        data: [...bundles(state, kind).values()]
          .sort((a, b) => a.createdAt - b.createdAt)
          .map((b) => renderBundle(state, b)),
      }),
    ),
    route('POST', base, async ({ req, state, userId, now }) => {
      const parts = await readMultipart(req);
      const data = jsonPart(parts.get('data'), 'data') ?? {};
      const file = bundleFile(parts.get('file'));
      // The archive's manifest names the bundle (the part's file name does not: @qlik/api sends "blob");
      // its qextFilename is the manifest's file name, its other fields yield to the data part's (unverified).
      const manifest = file ? manifestMetadata(file) : undefined;
      const named = [data.qextFilename, data.name].find((v): v is string => typeof v === 'string');
      const qextFilename = manifest?.qextFilename ?? named ?? '';
      if (qextFilename === '')
        throw new ContentError(422, 'HTTP-422', 'Unprocessable entity', `an ${label} needs a name or a file`);
      assertFree(state, qextFilename);
      const metadata = { ...manifest?.fields, ...writable(data) };
      const record: BundleRecord = {
        id: objectId(),
        name: typeof metadata.name === 'string' ? metadata.name : qextFilename,
        qextFilename,
        metadata,
        file,
        userId,
        createdAt: now,
        updatedAt: now,
      };
      bundles(state, kind).set(record.id, record);
      return json(201, renderBundle(state, record));
    }),
    route('GET', `${base}/{id}`, ({ req, state }) =>
      json(200, renderBundle(state, getBundle(state, kind, req.params.id ?? ''))),
    ),
    route('PATCH', `${base}/{id}`, async ({ req, state, now }) => {
      const record = getBundle(state, kind, req.params.id ?? '');
      const parts = await readMultipart(req);
      const data = jsonPart(parts.get('data'), 'data');
      const file = bundleFile(parts.get('file'));
      const manifest = file ? manifestMetadata(file) : undefined;
      if (data || manifest) {
        const qextFilename =
          manifest?.qextFilename ?? (typeof data?.qextFilename === 'string' ? data.qextFilename : record.qextFilename);
        assertFree(state, qextFilename, record.id);
        record.qextFilename = qextFilename;
        record.metadata = { ...record.metadata, ...manifest?.fields, ...writable(data ?? {}) };
        if (typeof record.metadata.name === 'string') record.name = record.metadata.name;
      }
      if (file) record.file = file;
      record.updatedAt = now;
      // themes.json answers a PATCH with the list shape `{ data: [theme] }`; extensions.json with the item.
      const rendered = renderBundle(state, record);
      return json(200, kind === 'themes' ? { data: [rendered] } : rendered);
    }),
    route('DELETE', `${base}/{id}`, ({ req, state }) => {
      bundles(state, kind).delete(getBundle(state, kind, req.params.id ?? '').id);
      return noContent();
    }),
    route('GET', `${base}/{id}/file`, ({ req, state }) => {
      const record = getBundle(state, kind, req.params.id ?? '');
      if (!record.file) throw notFoundError(`the file of ${label} ${record.id}`);
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: Buffer.from(record.file.bytes) };
    }),
  ];
}

export const bundleRoutes: Route[] = [...routesOf('extensions'), ...routesOf('themes')];
