/**
 * The simulator's app file format ("QVF"). Real QVF files are a proprietary binary; the simulator
 * only needs a format that export and import round-trip and that rejects garbage, so it uses:
 *
 *   the 12 ASCII bytes `QOEMSIMQVF1\n`, then UTF-8 JSON `{ name, description, script, properties, sheets, hasData }`.
 *
 * `decodeQvf` throws `QvfFormatError` for anything else (the import endpoint turns it into a 400).
 */

export const QVF_MAGIC = 'QOEMSIMQVF1\n';

/** A sheet of an app. `base` sheets belong to the app; `user` sheets are end users' own (private/community). */
export interface QvfSheet {
  id: string;
  title: string;
  ownerId?: string;
  kind: 'base' | 'user';
}

/** The content of an app file. */
export interface QvfContent {
  name: string;
  description: string;
  script: string;
  properties: Record<string, unknown>;
  sheets: QvfSheet[];
  /** False when exported with `NoData=true`. */
  hasData: boolean;
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
    sheets: content.sheets,
    hasData: content.hasData,
  });
  return new TextEncoder().encode(QVF_MAGIC + json);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSheet(value: unknown, index: number): QvfSheet {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.title !== 'string') {
    throw new QvfFormatError(`sheet ${index} needs a string id and title`);
  }
  const kind = value.kind === 'user' ? 'user' : 'base';
  const sheet: QvfSheet = { id: value.id, title: value.title, kind };
  if (typeof value.ownerId === 'string') sheet.ownerId = value.ownerId;
  return sheet;
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
  const sheets = Array.isArray(parsed.sheets) ? parsed.sheets.map(readSheet) : [];
  return {
    name: parsed.name,
    description: typeof parsed.description === 'string' ? parsed.description : '',
    script: parsed.script,
    properties: isRecord(parsed.properties) ? parsed.properties : {},
    sheets,
    hasData: parsed.hasData !== false,
  };
}
