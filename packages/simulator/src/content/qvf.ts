/**
 * The simulator's app file format ("QVF"). Real QVF files are a proprietary binary; the simulator
 * only needs a format that export and import round-trip and that rejects garbage, so it uses:
 *
 *   the 12 ASCII bytes `QOEMSIMQVF1\n`, then UTF-8 JSON `{ name, description, script, properties, objects, hasData, data? }`
 *   (`data`: the loaded tables, when the app has data).
 *
 * `decodeQvf` throws `QvfFormatError` for anything else (the import endpoint turns it into a 400).
 */
import type { LoadedData, LoadedTable } from '../engine/table.js';

export const QVF_MAGIC = 'QOEMSIMQVF1\n';

/**
 * A stored generic object of an app (a sheet, a chart, a master item...), as the engine's
 * `CreateObject`/`SetProperties` left it and `DoSave` persisted it. `base` objects belong to the app;
 * `user` objects are end users' own (created on a published app: private sheets and their charts).
 */
export interface QvfObject {
  /** `qInfo.qId`. */
  id: string;
  /** `qInfo.qType`: `sheet`, `barchart`, `masterobject`... */
  type: string;
  /** The object's properties (`qInfo`, `qMetaDef`, `cells`, `qHyperCubeDef`...). */
  properties: Record<string, unknown>;
  /** The id of the parent object, for children (`CreateChild`). */
  parentId?: string;
  ownerId?: string;
  kind: 'base' | 'user';
}

/** The content of an app file. */
export interface QvfContent {
  name: string;
  description: string;
  script: string;
  properties: Record<string, unknown>;
  objects: QvfObject[];
  /** False when exported with `NoData=true`. */
  hasData: boolean;
  /** The loaded tables that travel with the file (absent with `NoData=true` or before a reload). */
  data?: LoadedData | undefined;
}

export class QvfFormatError extends Error {
  override readonly name = 'QvfFormatError';
}

export function encodeQvf(content: QvfContent): Uint8Array {
  const json = JSON.stringify({
    name: content.name,
    description: content.description,
    script: content.script,
    properties: content.properties,
    objects: content.objects,
    hasData: content.hasData,
    ...(content.hasData && content.data ? { data: content.data } : {}),
  });
  return new TextEncoder().encode(QVF_MAGIC + json);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readObject(value: unknown, index: number): QvfObject {
  if (
    !isRecord(value) ||
    typeof value.id !== 'string' ||
    typeof value.type !== 'string' ||
    !isRecord(value.properties)
  ) {
    throw new QvfFormatError(`object ${index} needs a string id and type and its properties`);
  }
  const object: QvfObject = {
    id: value.id,
    type: value.type,
    properties: value.properties,
    kind: value.kind === 'user' ? 'user' : 'base',
  };
  if (typeof value.parentId === 'string') object.parentId = value.parentId;
  if (typeof value.ownerId === 'string') object.ownerId = value.ownerId;
  return object;
}

export function decodeQvf(bytes: Uint8Array): QvfContent {
  const magic = new TextEncoder().encode(QVF_MAGIC);
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) {
    throw new QvfFormatError('not an app file (bad header)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(magic.length)));
  } catch {
    throw new QvfFormatError('not an app file (corrupt content)');
  }
  if (!isRecord(parsed) || typeof parsed.name !== 'string' || typeof parsed.script !== 'string') {
    throw new QvfFormatError('not an app file (missing name or script)');
  }
  const objects = Array.isArray(parsed.objects) ? parsed.objects.map(readObject) : [];
  return {
    name: parsed.name,
    description: typeof parsed.description === 'string' ? parsed.description : '',
    script: parsed.script,
    properties: isRecord(parsed.properties) ? parsed.properties : {},
    objects,
    hasData: parsed.hasData !== false,
    data: readData(parsed.data),
  };
}

/** The tables in a file, when they have the `LoadedData` shape (an app file from elsewhere may carry none). */
function readData(value: unknown): LoadedData | undefined {
  const tables = (list: unknown): list is LoadedTable[] =>
    Array.isArray(list) &&
    list.every((t) => isRecord(t) && typeof t.name === 'string' && Array.isArray(t.fields) && Array.isArray(t.rows));
  if (!isRecord(value) || !tables(value.tables)) return undefined;
  if (value.sectionAccess !== undefined && !tables(value.sectionAccess)) return undefined;
  return value as unknown as LoadedData;
}
