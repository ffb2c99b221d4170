/** Temporary contents (temp-contents.json): byte blobs with a TTL, used by app export and import. */
import type { Route } from '../http/types.js';
import { ContentError, badRequestError, notFoundError } from './errors.js';
import { contentRoute, json, type ContentHandler } from './http.js';
import { iso, objectId } from './ids.js';
import type { ContentState, TempContentRecord } from './state.js';

export const DEFAULT_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 259_200;

export function createTempContent(
  state: ContentState,
  input: { bytes: Uint8Array; name: string; creatorId: string; ttlSeconds?: number },
  now: number,
): TempContentRecord {
  const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw badRequestError(`ttl must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const record: TempContentRecord = {
    id: objectId(),
    name: input.name,
    bytes: input.bytes,
    creatorId: input.creatorId,
    createdAt: now,
    ttlSeconds,
  };
  state.tempContents.set(record.id, record);
  return record;
}

const expiresAt = (t: TempContentRecord): number => t.createdAt + t.ttlSeconds * 1000;

/** The content, or 404 (unknown) / 410 (expired). */
export function getTempContent(state: ContentState, id: string, now: number): TempContentRecord {
  const record = state.tempContents.get(id);
  if (!record) throw notFoundError(`temporary content ${id}`);
  if (now >= expiresAt(record)) throw new ContentError(410, 'HTTP-410', 'Gone', `temporary content ${id} has expired`);
  return record;
}

/** Parses `bytes=start-end`, `bytes=start-`, `bytes=-suffix`; undefined when the header is absent. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('temp-contents', 'errors-string-status', method, path, handler);

export const tempContentRoutes: Route[] = [
  route('POST', '/api/v1/temp-contents', ({ req, state, userId, now }) => {
    const ttlRaw = req.query.get('ttl');
    const ttlSeconds = ttlRaw === null ? undefined : Number(ttlRaw);
    const bytes = new Uint8Array(req.rawBody.buffer, req.rawBody.byteOffset, req.rawBody.byteLength).slice();
    const record = createTempContent(
      state,
      {
        bytes,
        name: req.query.get('filename') ?? 'upload.bin',
        creatorId: userId,
        ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
      },
      now,
    );
    return { status: 201, headers: { location: `/api/v1/temp-contents/${record.id}` } };
  }),
  route('GET', '/api/v1/temp-contents/{id}', ({ req, state, now }) => {
    const record = getTempContent(state, req.params.id ?? '', now);
    const size = record.bytes.byteLength;
    const disposition = `${req.query.get('inline') === '1' ? 'inline' : 'attachment'}; filename="${record.name.replace(/"/g, '')}"`;
    const rangeHeader = req.headers.range;
    const range = parseRange(typeof rangeHeader === 'string' ? rangeHeader : undefined, size);
    if (range === 'invalid') {
      return {
        status: 416,
        headers: { 'content-range': `bytes */${size}` },
        body: { errors: [{ code: 'HTTP-416', title: 'Range not satisfiable' }] },
      };
    }
    const slice = range ? record.bytes.subarray(range.start, range.end + 1) : record.bytes;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-disposition': disposition,
      'content-length': String(slice.byteLength),
    };
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    return { status: range ? 206 : 200, headers, body: Buffer.from(slice) };
  }),
  route('GET', '/api/v1/temp-contents/{id}/details', ({ req, state, now }) => {
    const record = getTempContent(state, req.params.id ?? '', now);
    return json(200, {
      ID: record.id,
      Name: record.name,
      Size: String(record.bytes.byteLength),
      CreatorID: record.creatorId,
      CreatedAt: iso(record.createdAt),
      UpdatedAt: iso(record.createdAt),
      Expires: iso(expiresAt(record)),
      TTLSeconds: record.ttlSeconds,
    });
  }),
];
