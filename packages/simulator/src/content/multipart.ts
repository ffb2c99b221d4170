/**
 * multipart/form-data bodies (brands, extensions, themes, data-files), parsed with the platform's own
 * parser (`Response#formData`, undici), so no dependency is needed.
 */
import { createHash } from 'node:crypto';
import type { SimRequest } from '../http/types.js';
import { ContentError, badRequestError } from './errors.js';
import type { StoredFile } from './state.js';

export interface FormPart {
  name: string;
  /** Set for file parts. */
  filename: string | undefined;
  contentType: string;
  bytes: Uint8Array;
  text(): string;
}

export async function readMultipart(req: SimRequest): Promise<Map<string, FormPart>> {
  const contentType = req.headers['content-type'];
  if (typeof contentType !== 'string' || !contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new ContentError(415, 'HTTP-415', 'Unsupported media type', 'the body must be multipart/form-data');
  }
  let form: FormData;
  try {
    form = await new Response(req.rawBody, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequestError('the multipart body cannot be parsed');
  }
  const parts = new Map<string, FormPart>();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      const bytes = new TextEncoder().encode(value);
      parts.set(name, { name, filename: undefined, contentType: 'text/plain', bytes, text: () => value });
    } else {
      const bytes = new Uint8Array(await value.arrayBuffer());
      parts.set(name, {
        name,
        filename: value.name || undefined,
        contentType: value.type || 'application/octet-stream',
        bytes,
        text: () => new TextDecoder().decode(bytes),
      });
    }
  }
  return parts;
}

/** A JSON part (`data`, `Json`) as an object, or a 400. */
export function jsonPart(part: FormPart | undefined, name: string): Record<string, unknown> | undefined {
  if (!part) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(part.text());
  } catch {
    throw badRequestError(`the ${name} part is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequestError(`the ${name} part must be a JSON object`);
  return parsed as Record<string, unknown>;
}

export function storeFile(bytes: Uint8Array, contentType: string): StoredFile {
  return { bytes, contentType, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength };
}
