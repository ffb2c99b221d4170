import { randomBytes } from 'node:crypto';
import type { SimResponse } from './types.js';

export interface QlikErrorItem {
  code: string;
  title: string;
  detail?: string;
  status?: string;
}

export interface QlikErrorBody {
  errors: QlikErrorItem[];
  traceId: string;
}

/** Builds a response with Qlik's common error body `{ errors: [{ code, title, detail, status }], traceId }`. */
export function qlikError(status: number, code: string, title: string, detail?: string): SimResponse {
  const item: QlikErrorItem = { code, title, status: String(status) };
  if (detail !== undefined) item.detail = detail;
  const body: QlikErrorBody = { errors: [item], traceId: randomBytes(16).toString('hex') };
  return { status, body };
}

/** Thrown inside handlers to answer with a Qlik error; the server turns it into the response. */
export class SimHttpError extends Error {
  readonly response: SimResponse;
  constructor(status: number, code: string, title: string, detail?: string) {
    super(`${status} ${code}: ${title}${detail ? ` (${detail})` : ''}`);
    this.name = 'SimHttpError';
    this.response = qlikError(status, code, title, detail);
  }
}

export const notFound = (what: string): SimHttpError =>
  new SimHttpError(404, 'HTTP-404', 'Not found', `${what} not found`);
export const badRequest = (detail: string): SimHttpError => new SimHttpError(400, 'HTTP-400', 'Bad request', detail);
export const forbidden = (detail: string): SimHttpError => new SimHttpError(403, 'HTTP-403', 'Forbidden', detail);
export const conflict = (detail: string): SimHttpError => new SimHttpError(409, 'HTTP-409', 'Conflict', detail);
