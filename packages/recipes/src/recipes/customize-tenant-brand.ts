import { sha256Hex } from '@qlik-oem/core/advanced';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { filePart, getBytes, sendForm } from './customize-tenant-http.js';
import type { TenantCustomization } from './customize-tenant-input.js';
import type { CustomizationFile } from './customize-tenant-values.js';

// The brand: found by name; each file compared by the SHA-256 of what the tenant serves, so only a changed
// file is uploaded again; activated when it is not the active brand.

type BrandSpec = NonNullable<TenantCustomization['brand']>;
export type BrandFileId = 'logo' | 'favIcon' | 'styles';

const MAX_ITEMS = 10_000;

function contentTypeOf(id: BrandFileId, file: CustomizationFile): string {
  if (id === 'styles') return 'application/json';
  if (id === 'favIcon') return 'image/x-icon';
  return file.bytes[0] === 0x89 ? 'image/png' : 'image/jpeg';
}

/** The files the spec sets, under the API's file ids. */
export function brandFiles(spec: BrandSpec): Array<[BrandFileId, CustomizationFile]> {
  const files: Array<[BrandFileId, CustomizationFile | undefined]> = [
    ['logo', spec.logo],
    ['favIcon', spec.favicon],
    ['styles', spec.styles],
  ];
  return files.filter((entry): entry is [BrandFileId, CustomizationFile] => entry[1] !== undefined);
}

export interface BrandState {
  id: string;
  active: boolean;
  description: string;
  /** File ids the tenant has for this brand. */
  files: BrandFileId[];
}

export async function findBrand(qc: QlikCloud, name: string, signal: AbortSignal): Promise<BrandState | undefined> {
  const all = await collectAll(
    paginate(qc.brands, '/api/v1/brands', { params: { query: { limit: 100 } } }, { signal }),
    { limit: MAX_ITEMS },
  );
  const found = all.find((b) => b.name === name);
  if (!found) return undefined;
  return {
    id: found.id,
    active: found.active === true,
    description: found.description ?? '',
    files: (found.files ?? []).flatMap((f) => (f.id ? [f.id] : [])),
  };
}

export interface BrandUpdate {
  id: string;
  /** Files to upload: `POST` when the brand has none of that kind yet, `PUT` to replace. */
  uploads: Array<{ id: BrandFileId; method: 'POST' | 'PUT' }>;
  activate: boolean;
  /** The new description, when it differs. */
  description?: string;
}

/** What differs between the tenant's brand and the spec (file content by SHA-256, and activation). */
export async function diffBrand(
  qc: QlikCloud,
  brand: BrandState,
  spec: BrandSpec,
  signal: AbortSignal,
): Promise<BrandUpdate> {
  const uploads: BrandUpdate['uploads'] = [];
  for (const [id, file] of brandFiles(spec)) {
    const has = brand.files.includes(id);
    const served = has
      ? await getBytes(qc, `/api/v1/brands/${encodeURIComponent(brand.id)}/files/${id}`, signal)
      : undefined;
    const same = served !== undefined && sha256Hex(served) === file.sha256;
    if (!same) uploads.push({ id, method: has && served !== undefined ? 'PUT' : 'POST' });
  }
  const describe = spec.description !== undefined && spec.description !== brand.description;
  return {
    id: brand.id,
    uploads,
    activate: spec.activate && !brand.active,
    ...(describe ? { description: spec.description } : {}),
  };
}

export async function createBrand(qc: QlikCloud, spec: BrandSpec, signal: AbortSignal): Promise<string> {
  const form = new FormData();
  form.append('name', spec.name);
  if (spec.description !== undefined) form.append('description', spec.description);
  for (const [id, file] of brandFiles(spec)) form.append(id, filePart(file, contentTypeOf(id, file)), file.name);
  const created = (await sendForm(qc, 'POST', '/api/v1/brands', form, signal)) as { id?: unknown } | undefined;
  if (typeof created?.id !== 'string') throw new Error('POST /api/v1/brands answered without a brand id');
  return created.id;
}

export async function uploadBrandFile(
  qc: QlikCloud,
  brandId: string,
  id: BrandFileId,
  file: CustomizationFile,
  method: 'POST' | 'PUT',
  signal: AbortSignal,
): Promise<void> {
  const form = new FormData();
  form.append('file', filePart(file, contentTypeOf(id, file)), file.name);
  await sendForm(qc, method, `/api/v1/brands/${encodeURIComponent(brandId)}/files/${id}`, form, signal);
}

export async function describeBrand(
  qc: QlikCloud,
  brandId: string,
  description: string,
  signal: AbortSignal,
): Promise<void> {
  unwrap(
    await qc.brands.PATCH('/api/v1/brands/{brand-id}', {
      params: { path: { 'brand-id': brandId } },
      body: [{ op: 'replace', path: '/description', value: description }],
      signal,
    }),
  );
}

export async function activateBrand(qc: QlikCloud, brandId: string, signal: AbortSignal): Promise<void> {
  unwrap(
    await qc.brands.POST('/api/v1/brands/{brand-id}/actions/activate', {
      params: { path: { 'brand-id': brandId } },
      signal,
    }),
  );
}
