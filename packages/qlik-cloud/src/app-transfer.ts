import { QlikError, QlikValidationError, errorFromResponse } from '@qlik-oem/core';
import type { QlikCloud } from './facade.js';
import type { AppsApi } from './generated/apis.js';
import { unwrap } from './unwrap.js';

export interface ExportAppOptions {
  /** Export without data (objects and script only). */
  noData?: boolean;
  signal?: AbortSignal;
}

function requireAppId(appId: unknown, helper: string): string {
  if (typeof appId !== 'string' || appId.trim() === '')
    throw new QlikValidationError(`${helper}: appId must be a non-empty string`);
  return appId;
}

/** `POST /apps/{appId}/export` answers 201 with the temp-content URL in `Location`; this returns that path. */
async function exportLocation(qc: QlikCloud, appId: string, options: ExportAppOptions): Promise<string> {
  const result = await qc.apps.POST('/api/v1/apps/{appId}/export', {
    params: { path: { appId }, query: options.noData === undefined ? {} : { NoData: options.noData } },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  unwrap(result);
  const location = result.response.headers.get('location');
  if (!location) {
    throw new QlikError(`Export of app ${appId} returned ${result.response.status} without a Location header`);
  }
  // Only the path and query are used, so the bearer token never leaves the facade's host.
  const url = new URL(location, qc.baseUrl);
  return `${url.pathname}${url.search}`;
}

async function downloadTempContent(
  qc: QlikCloud,
  pathAndQuery: string,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const response = await qc.transport(
    new Request(new URL(pathAndQuery, qc.baseUrl), { method: 'GET', ...(signal ? { signal } : {}) }),
  );
  if (!response.ok) {
    throw await errorFromResponse(response, { method: 'GET', url: pathAndQuery });
  }
  return response;
}

/**
 * Exports an app to a .qvf and returns its bytes: `POST /apps/{appId}/export`, then `GET` of the temp content
 * the `Location` header points to. Throws a QlikHttpError kind on failure.
 */
export async function exportApp(qc: QlikCloud, appId: string, options: ExportAppOptions = {}): Promise<Uint8Array> {
  requireAppId(appId, 'exportApp');
  const location = await exportLocation(qc, appId, options);
  const response = await downloadTempContent(qc, location, options.signal);
  return new Uint8Array(await response.arrayBuffer());
}

/** Like `exportApp`, but returns the .qvf as a stream (for large apps: pipe it to a file or straight into `importApp`). */
export async function exportAppStream(
  qc: QlikCloud,
  appId: string,
  options: ExportAppOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  requireAppId(appId, 'exportAppStream');
  const location = await exportLocation(qc, appId, options);
  const response = await downloadTempContent(qc, location, options.signal);
  if (!response.body) throw new QlikError(`Export of app ${appId}: the temp content response has no body`);
  return response.body;
}

export type ImportAppSource =
  { bytes: Uint8Array | ArrayBuffer; stream?: never } | { stream: ReadableStream<Uint8Array>; bytes?: never };

export type ImportAppOptions = ImportAppSource & {
  /** Target space (shared or personal when omitted). */
  spaceId?: string;
  /** Name of the imported app (defaults to the name inside the .qvf). */
  name?: string;
  /** `NEW` (default). Qlik documents `AUTOREPLACE` as internal. */
  mode?: 'NEW' | 'AUTOREPLACE';
  /** Keep the data of an existing app (with `AUTOREPLACE`). */
  noData?: boolean;
  /** With `AUTOREPLACE`: the app whose content is replaced (it keeps its id). */
  appId?: string;
  signal?: AbortSignal;
};

export type ImportedApp = AppsApi.components['schemas']['NxApp'];

/** Imports a .qvf (`POST /apps/import`, octet-stream body) and returns the new app (`attributes.id` is its id). */
export async function importApp(qc: QlikCloud, options: ImportAppOptions): Promise<ImportedApp> {
  if (typeof options !== 'object' || options === null) throw new QlikValidationError('importApp: options are required');
  const hasBytes = options.bytes !== undefined;
  const hasStream = options.stream !== undefined;
  if (hasBytes === hasStream) throw new QlikValidationError('importApp: pass exactly one of bytes or stream');
  if (hasBytes && !(options.bytes instanceof Uint8Array || options.bytes instanceof ArrayBuffer)) {
    throw new QlikValidationError('importApp: bytes must be a Uint8Array or ArrayBuffer');
  }
  if (hasBytes && options.bytes.byteLength === 0) throw new QlikValidationError('importApp: bytes is empty');
  if (hasStream && typeof (options.stream as ReadableStream | undefined)?.getReader !== 'function') {
    throw new QlikValidationError('importApp: stream must be a web ReadableStream');
  }
  if (options.mode !== undefined && options.mode !== 'NEW' && options.mode !== 'AUTOREPLACE') {
    throw new QlikValidationError(`importApp: mode must be "NEW" or "AUTOREPLACE"`);
  }
  for (const key of ['spaceId', 'name', 'appId'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new QlikValidationError(`importApp: ${key} must be a non-empty string when given`);
    }
  }
  const query = {
    ...(options.spaceId === undefined ? {} : { spaceId: options.spaceId }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.noData === undefined ? {} : { NoData: options.noData }),
    ...(options.appId === undefined ? {} : { appId: options.appId }),
  };
  const body = hasBytes ? options.bytes : options.stream;
  const result = await qc.apps.POST('/api/v1/apps/import', {
    params: { query },
    // The spec types the octet-stream body as a string; the bytes go out unchanged.
    body: body as unknown as string,
    bodySerializer: (value: unknown) => value,
    headers: { 'content-type': 'application/octet-stream' },
    ...(hasStream ? { duplex: 'half' } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return unwrap(result);
}
