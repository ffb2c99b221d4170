// Brands (brands.json): a tenant's brands, their logo, favicon and styles files (multipart), one active at a time.
import type { Route, SimRequest } from '../http/types.js';
import { badRequestError, notFoundError } from './errors.js';
import { contentRoute, json, noContent, patchOperations, type ContentHandler } from './http.js';
import { iso, objectId } from './ids.js';
import { readMultipart, storeFile, type FormPart } from './multipart.js';
import { idCursorPage } from './pagination.js';
import type { BrandRecord, ContentState, StoredFile } from './state.js';

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

export const brandRoutes: Route[] = [
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
  // brands.json: 200 with an empty object while the Qlik default brand is in use, else 301 to the active
  // brand (registry: brands-active-redirect).
  brandRoute('GET', '/api/v1/brands/active', ({ state }) => {
    const active = [...state.brands.values()].find((b) => b.active);
    if (!active) return json(200, {});
    return { status: 301, headers: { location: `/api/v1/brands/${active.id}` } };
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
];
