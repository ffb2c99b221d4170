import type { IncomingMessage } from 'node:http';
import { SimHttpError } from './errors.js';

const MAX_BODY_BYTES = 200 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new SimHttpError(413, 'HTTP-413', 'Payload too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON or form bodies become objects; anything else stays raw (undefined here). */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const mt = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mt === 'application/json' || mt.endsWith('+json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new SimHttpError(400, 'HTTP-400', 'Bad request', 'The request body is not valid JSON.');
    }
  }
  if (mt === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  return undefined;
}
