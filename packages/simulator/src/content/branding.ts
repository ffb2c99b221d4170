/** Brands (brands.json), extensions (extensions.json) and themes (themes.json): multipart uploads. */
import type { Route, SimRequest } from '../http/types.js';
import { idCursorPage } from './embedding.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { contentRoute, json, noContent, patchOperations, type ContentHandler } from './http.js';
import { iso, objectId } from './ids.js';
import { jsonPart, readMultipart, storeFile, type FormPart } from './multipart.js';
import { readQext } from './qext.js';
import type { BrandRecord, BundleRecord, ContentState, StoredFile } from './state.js';

// ---- brands -----------------------------------------------------------------------------------------

type BrandFileId = 'logo' | 'favIcon' | 'styles';
const BRAND_FILES: readonly BrandFileId[] = ['logo', 'favIcon', 'styles'];
const BRAND_TYPES: Record<BrandFileId, readonly string[]> = {
  logo: ['image/png', 'image/jpeg'],
  favIcon: ['image/x-icon', 'image/vnd.microsoft.icon'],
  styles: ['application/json'],
};

function brandFile(id: BrandFileId, part: FormPart): StoredFile {
  const type = part.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!BRAND_TYPES[id].includes(type))
    throw badRequestError(`${id} must be one of ${BRAND_TYPES[id].join(', ')} (got ${type || 'none'})`);
  if (id === 'styles') {
    try {
      JSON.parse(part.text());
    } catch {
      throw badRequestError('styles must be a JSON file');
    }
  }
  return storeFile(part.bytes, type);
}

function renderBrandFile(b: BrandRecord, id: BrandFileId, f: StoredFile): Record<string, unknown> {
  return { id, eTag: f.sha256.slice(0, 32), path: `/api/v1/brands/${b.id}/files/${id}`, contentType: f.contentType };
}

function renderBrand(b: BrandRecord): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    active: b.active,
    files: [...b.files].map(([id, f]) => renderBrandFile(b, id, f)),
    createdAt: iso(b.createdAt),
    createdBy: b.createdBy,
    updatedAt: iso(b.updatedAt),
    updatedBy: b.updatedBy,
  };
}

function getBrand(state: ContentState, id: string): BrandRecord {
  const b = state.brands.get(id);
  if (!b) throw notFoundError(`brand ${id}`);
  return b;
}

function fileIdOf(req: SimRequest): BrandFileId {
  const id = req.params['brand-file-id'] ?? '';
  if (!(BRAND_FILES as readonly string[]).includes(id)) throw notFoundError(`brand file ${id}`);
  return id as BrandFileId;
}

const brandRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('brands', 'errors-string-status', method, path, handler);

async function putBrandFile(call: Parameters<ContentHandler>[0], status: 200 | 201) {
  const { req, state, userId, now } = call;
  const brand = getBrand(state, req.params['brand-id'] ?? '');
  const id = fileIdOf(req);
  const part = (await readMultipart(req)).get('file');
  if (!part) throw badRequestError('the file part is required');
  const file = brandFile(id, part);
  brand.files.set(id, file);
  brand.updatedAt = now;
  brand.updatedBy = userId;
  return json(status, renderBrandFile(brand, id, file));
}

// ---- extensions and themes ------------------------------------------------------------------------

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

function bundleRoutes(kind: BundleKind): Route[] {
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
      const qextFilename = String(manifest?.qextFilename ?? data.qextFilename ?? data.name ?? '');
      if (qextFilename === '')
        throw new ContentError(422, 'HTTP-422', 'Unprocessable entity', `an ${label} needs a name or a file`);
      assertFree(state, qextFilename);
      const metadata = { ...manifest?.fields, ...writable(data) };
      const record: BundleRecord = {
        id: objectId(),
        name: String(metadata.name ?? qextFilename),
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

export const brandingRoutes: Route[] = [
  brandRoute('GET', '/api/v1/brands', ({ req, state }) => {
    const sort = req.query.get('sort') ?? '-id';
    const field = sort.replace(/^[+-]/, '');
    const key = (b: BrandRecord): string | number =>
      field === 'createdAt' ? b.createdAt : field === 'updatedAt' ? b.updatedAt : b.id;
    const all = [...state.brands.values()].sort((a, b) => {
      const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      return sort.startsWith('-') ? -order : order;
    });
    const page = idCursorPage(all, req.url, { defaultLimit: 5, maxLimit: 100 });
    return json(200, { data: page.items.map(renderBrand), links: page.links });
  }),
  brandRoute('POST', '/api/v1/brands', async ({ req, state, userId, now }) => {
    const parts = await readMultipart(req);
    const name = parts.get('name')?.text().trim();
    if (!name) throw badRequestError('name is required');
    const brand: BrandRecord = {
      id: objectId(),
      name,
      description: parts.get('description')?.text() ?? '',
      active: false,
      files: new Map(),
      createdBy: userId,
      createdAt: now,
      updatedBy: userId,
      updatedAt: now,
    };
    for (const id of BRAND_FILES) {
      const part = parts.get(id);
      if (part) brand.files.set(id, brandFile(id, part));
    }
    state.brands.set(brand.id, brand);
    return json(201, renderBrand(brand));
  }),
  brandRoute('GET', '/api/v1/brands/{brand-id}', ({ req, state }) =>
    json(200, renderBrand(getBrand(state, req.params['brand-id'] ?? ''))),
  ),
  brandRoute('PATCH', '/api/v1/brands/{brand-id}', ({ req, state, userId, now }) => {
    const brand = getBrand(state, req.params['brand-id'] ?? '');
    for (const op of patchOperations(req, ['add', 'replace', 'remove'])) {
      const value = op.op === 'remove' ? '' : op.value;
      if (typeof value !== 'string') throw badRequestError(`${op.path} must be a string`);
      if (op.path === '/name') {
        if (value === '') throw badRequestError('a brand needs a name');
        brand.name = value;
      } else if (op.path === '/description') brand.description = value;
      else throw badRequestError(`path ${op.path} cannot be patched`);
    }
    brand.updatedAt = now;
    brand.updatedBy = userId;
    return noContent();
  }),
  brandRoute('DELETE', '/api/v1/brands/{brand-id}', ({ req, state }) => {
    state.brands.delete(getBrand(state, req.params['brand-id'] ?? '').id);
    return noContent();
  }),
  brandRoute('POST', '/api/v1/brands/{brand-id}/actions/activate', ({ req, state, userId, now }) => {
    const brand = getBrand(state, req.params['brand-id'] ?? '');
    // One brand is active at a time.
    for (const other of state.brands.values()) other.active = false;
    brand.active = true;
    brand.updatedAt = now;
    brand.updatedBy = userId;
    return json(200, renderBrand(brand));
  }),
  brandRoute('POST', '/api/v1/brands/{brand-id}/actions/deactivate', ({ req, state, userId, now }) => {
    const brand = getBrand(state, req.params['brand-id'] ?? '');
    brand.active = false;
    brand.updatedAt = now;
    brand.updatedBy = userId;
    return json(200, renderBrand(brand));
  }),
  brandRoute('GET', '/api/v1/brands/{brand-id}/files/{brand-file-id}', ({ req, state }) => {
    const brand = getBrand(state, req.params['brand-id'] ?? '');
    const id = fileIdOf(req);
    const file = brand.files.get(id);
    if (!file) throw notFoundError(`brand file ${id}`);
    return { status: 200, headers: { 'content-type': file.contentType }, body: Buffer.from(file.bytes) };
  }),
  brandRoute('POST', '/api/v1/brands/{brand-id}/files/{brand-file-id}', (call) => putBrandFile(call, 201)),
  brandRoute('PUT', '/api/v1/brands/{brand-id}/files/{brand-file-id}', (call) => putBrandFile(call, 200)),
  brandRoute('DELETE', '/api/v1/brands/{brand-id}/files/{brand-file-id}', ({ req, state, now }) => {
    const brand = getBrand(state, req.params['brand-id'] ?? '');
    const id = fileIdOf(req);
    if (!brand.files.delete(id)) throw notFoundError(`brand file ${id}`);
    brand.updatedAt = now;
    return noContent();
  }),
  ...bundleRoutes('extensions'),
  ...bundleRoutes('themes'),
];
