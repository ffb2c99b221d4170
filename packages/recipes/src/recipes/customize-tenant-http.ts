import { errorFromResponse } from '@qlik-oem/core';
import type { QlikCloud } from '@qlik-oem/qlik-cloud';
import type { CustomizationFile } from './customize-tenant-values.js';

// Brands, extensions and themes are written with multipart bodies and their files read as bytes; both go
// through the facade's transport (auth, pacing, retries) with a plain Request.

/** A file part with its content type (the brands API checks it). */
export function filePart(file: CustomizationFile, contentType: string): Blob {
  return new Blob([file.bytes], { type: contentType });
}

/** Sends a multipart form and returns the JSON answer (or undefined for an empty body); throws the QlikHttpError kind. */
export async function sendForm(
  qc: QlikCloud,
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  form: FormData,
  signal: AbortSignal,
): Promise<unknown> {
  const url = new URL(path, qc.baseUrl);
  // An upload is not safe to repeat blindly: the transport retries it only where it knows no write happened.
  const response = await qc.transport(new Request(url, { method, body: form, signal }));
  if (!response.ok) throw await errorFromResponse(response, { method, url: url.href });
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** The bytes at `path`, or undefined when the tenant has none (404). */
export async function getBytes(qc: QlikCloud, path: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
  const url = new URL(path, qc.baseUrl);
  const response = await qc.transport(new Request(url, { method: 'GET', signal }));
  if (response.status === 404) return undefined;
  if (!response.ok) throw await errorFromResponse(response, { method: 'GET', url: url.href });
  return new Uint8Array(await response.arrayBuffer());
}
