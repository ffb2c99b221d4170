import { randomUUID } from 'node:crypto';
import { QlikValidationError, errorFromResponse } from '@qlik-oem/core';
import type { QrsClient } from './client.js';
import { dataOrThrow } from './errors.js';
import type { QrsApp, QrsAppExportResponse } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireGuid(value: string, name: string): void {
  if (typeof value !== 'string' || !GUID.test(value))
    throw new QlikValidationError(`Invalid ${name}`, [{ path: [name], message: 'must be a GUID' }]);
}

function requireName(value: string | undefined, name: string): void {
  if (typeof value !== 'string' || value.trim() === '')
    throw new QlikValidationError(`Invalid ${name}`, [{ path: [name], message: 'must be a non-empty string' }]);
}

export async function getApp(qrs: QrsClient, appId: string): Promise<QrsApp> {
  requireGuid(appId, 'appId');
  return dataOrThrow(await qrs.api.GET('/app/{id}', { params: { path: { id: appId } } }), 'GET');
}

export async function copyApp(
  qrs: QrsClient,
  appId: string,
  options: { name?: string; includeCustomProperties?: boolean } = {},
): Promise<QrsApp> {
  requireGuid(appId, 'appId');
  if (options.name !== undefined) requireName(options.name, 'name');
  const query = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    includecustomproperties: options.includeCustomProperties ?? false,
  };
  return dataOrThrow(await qrs.api.POST('/app/{id}/copy', { params: { path: { id: appId }, query } }), 'POST');
}

export interface UploadAppOptions {
  name: string;
  /** The QVF file. */
  file: Uint8Array | Blob;
  /** Default true (the server default); false is sent explicitly. */
  keepData?: boolean;
  excludeConnections?: boolean;
}

/** `POST /qrs/app/upload?name=` with the raw QVF (only on the central node). Not retried on 5xx: it is not idempotent. */
export async function uploadApp(qrs: QrsClient, options: UploadAppOptions): Promise<QrsApp> {
  requireName(options.name, 'name');
  if (!(options.file instanceof Uint8Array) && !(typeof Blob !== 'undefined' && options.file instanceof Blob)) {
    throw new QlikValidationError('Invalid file', [
      { path: ['file'], message: 'must be a Uint8Array or Blob with the QVF' },
    ]);
  }
  const url = new URL(`${qrs.baseUrl}/app/upload`);
  url.searchParams.set('name', options.name);
  url.searchParams.set('keepdata', String(options.keepData ?? true));
  url.searchParams.set('excludeconnections', String(options.excludeConnections ?? false));
  const response = await qrs.fetch(url, {
    method: 'POST',
    body: options.file,
    headers: { 'content-type': 'application/vnd.qlik.sense.app' },
  });
  if (!response.ok) throw await errorFromResponse(response, { method: 'POST', url: url.href });
  return (await response.json()) as QrsApp;
}

/** `PUT /qrs/app/{id}/publish?stream=`; QSEoW evaluates distribution policies at publish time. */
export async function publishApp(
  qrs: QrsClient,
  appId: string,
  streamId: string,
  options: { name?: string } = {},
): Promise<QrsApp> {
  requireGuid(appId, 'appId');
  requireGuid(streamId, 'streamId');
  const query = { stream: streamId, ...(options.name !== undefined ? { name: options.name } : {}) };
  return dataOrThrow(await qrs.api.PUT('/app/{id}/publish', { params: { path: { id: appId }, query } }), 'PUT');
}

/** Replaces the content of `targetAppId` with that of `sourceAppId` (`PUT /qrs/app/{source}/replace?app={target}`). */
export async function replaceApp(qrs: QrsClient, sourceAppId: string, targetAppId: string): Promise<QrsApp> {
  requireGuid(sourceAppId, 'sourceAppId');
  requireGuid(targetAppId, 'targetAppId');
  return dataOrThrow(
    await qrs.api.PUT('/app/{id}/replace', { params: { path: { id: sourceAppId }, query: { app: targetAppId } } }),
    'PUT',
  );
}

/** Step 1 of an export: `POST /qrs/app/{id}/export/{token}` with a fresh token; returns the one-time download path. */
export async function startAppExport(
  qrs: QrsClient,
  appId: string,
  options: { skipData?: boolean; exportToken?: string } = {},
): Promise<QrsAppExportResponse> {
  requireGuid(appId, 'appId');
  const token = options.exportToken ?? randomUUID();
  requireGuid(token, 'exportToken');
  const result = await qrs.api.POST('/app/{id}/export/{token}', {
    params: { path: { id: appId, token }, query: { skipdata: options.skipData ?? false } },
  });
  const data = dataOrThrow(result, 'POST');
  if (!data.downloadPath)
    throw new QlikValidationError('QRS export response has no downloadPath', [
      { path: ['downloadPath'], message: 'missing' },
    ]);
  return data;
}

/** Step 2: `GET <downloadPath>` on the same host, port and prefix. A download path works once. */
export async function downloadAppExport(qrs: QrsClient, downloadPath: string): Promise<Uint8Array> {
  if (typeof downloadPath !== 'string' || !downloadPath.startsWith('/')) {
    throw new QlikValidationError('Invalid downloadPath', [
      { path: ['downloadPath'], message: 'must be the path QRS returned, starting with /' },
    ]);
  }
  const url = new URL(qrs.siteUrl + downloadPath);
  const response = await qrs.fetch(url, { method: 'GET' });
  if (!response.ok) throw await errorFromResponse(response, { method: 'GET', url: url.href });
  return new Uint8Array(await response.arrayBuffer());
}

/** Exports an app and downloads the QVF in one go. */
export async function exportApp(
  qrs: QrsClient,
  appId: string,
  options: { skipData?: boolean } = {},
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const started = await startAppExport(qrs, appId, options);
  const bytes = await downloadAppExport(qrs, started.downloadPath!);
  const last = new URL(started.downloadPath!, 'https://x').pathname.split('/').pop() ?? 'app.qvf';
  return { fileName: decodeURIComponent(last), bytes };
}
