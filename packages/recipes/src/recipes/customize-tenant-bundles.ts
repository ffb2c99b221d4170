import { sha256Hex } from '@qlik-oem/core/advanced';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { filePart, getBytes, sendForm } from './customize-tenant-http.js';
import type { TenantCustomization } from './customize-tenant-input.js';

// Extensions and themes: found by name (or qextFilename); the SHA-256 of the uploaded zip is kept as a tag,
// so the same bytes are never uploaded twice and changed bytes replace the archive in place (same id).

export type BundleKind = 'extensions' | 'themes';
export type BundleSpec = TenantCustomization['extensions'][number];

/** The tag that records which archive an extension or theme was uploaded from. */
export const CONTENT_TAG_PREFIX = 'qlik-oem-sha256:';
export const contentTag = (sha256: string): string => `${CONTENT_TAG_PREFIX}${sha256}`;

export interface BundleState {
  id: string;
  name: string;
  qextFilename: string;
  tags: string[];
}

export async function listBundles(qc: QlikCloud, kind: BundleKind, signal: AbortSignal): Promise<BundleState[]> {
  const list =
    kind === 'extensions'
      ? unwrap(await qc.extensions.GET('/api/v1/extensions', { signal })).data
      : unwrap(await qc.themes.GET('/api/v1/themes', { signal })).data;
  return (list ?? []).flatMap((item) => {
    const record = item as { id?: string; name?: string; qextFilename?: string; tags?: string[] };
    return record.id
      ? [{ id: record.id, name: record.name ?? '', qextFilename: record.qextFilename ?? '', tags: record.tags ?? [] }]
      : [];
  });
}

/** The extension or theme with this name, else with this `qextFilename`. */
export function findBundle(existing: readonly BundleState[], name: string): BundleState | undefined {
  return existing.find((b) => b.name === name) ?? existing.find((b) => b.qextFilename === name);
}

/**
 * `create`: upload a new archive; `replace`: upload over the existing one (same id); `tag`: the tenant already
 * serves these exact bytes (uploaded by hand, without our tag), so only the tag is written.
 */
export type BundleChange =
  { kind: 'create'; spec: BundleSpec } | { kind: 'replace' | 'tag'; id: string; tags: string[]; spec: BundleSpec };

/**
 * Which archives to write: missing ones, and those whose content tag differs from the file's SHA-256. An
 * untagged archive is downloaded and hashed first, so the same bytes are never uploaded again.
 */
export async function planBundles(
  qc: QlikCloud,
  kind: BundleKind,
  existing: readonly BundleState[],
  wanted: readonly BundleSpec[],
  signal: AbortSignal,
): Promise<{ changes: BundleChange[]; ids: Record<string, string> }> {
  const changes: BundleChange[] = [];
  const ids: Record<string, string> = {};
  for (const spec of wanted) {
    const found = findBundle(existing, spec.name);
    if (!found) {
      changes.push({ kind: 'create', spec });
      continue;
    }
    ids[spec.name] = found.id;
    if (found.tags.includes(contentTag(spec.file.sha256))) continue;
    const tagged = found.tags.some((t) => t.startsWith(CONTENT_TAG_PREFIX));
    const served = tagged
      ? undefined
      : await getBytes(qc, `/api/v1/${kind}/${encodeURIComponent(found.id)}/file`, signal);
    const same = served !== undefined && sha256Hex(served) === spec.file.sha256;
    changes.push({ kind: same ? 'tag' : 'replace', id: found.id, tags: found.tags, spec });
  }
  return { changes, ids };
}

/** Writes one archive (`POST` to create, `PATCH` to replace or only tag) with its content tag; returns the id. */
export async function writeBundle(
  qc: QlikCloud,
  kind: BundleKind,
  change: BundleChange,
  signal: AbortSignal,
): Promise<string> {
  const { spec } = change;
  const tags = [
    ...(change.kind === 'create' ? [] : change.tags.filter((t) => !t.startsWith(CONTENT_TAG_PREFIX))),
    contentTag(spec.file.sha256),
  ];
  const form = new FormData();
  form.append('data', JSON.stringify(change.kind === 'create' ? { name: spec.name, tags } : { tags }));
  if (change.kind !== 'tag') form.append('file', filePart(spec.file, 'application/zip'), spec.file.name);
  const path = change.kind === 'create' ? `/api/v1/${kind}` : `/api/v1/${kind}/${encodeURIComponent(change.id)}`;
  const answer = await sendForm(qc, change.kind === 'create' ? 'POST' : 'PATCH', path, form, signal);
  if (change.kind !== 'create') return change.id;
  const id = (answer as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw new Error(`POST /api/v1/${kind} answered without an id`);
  return id;
}
