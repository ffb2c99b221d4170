// Parsers for what an error response carries: Qlik's error body and the Retry-After header.
import type { QlikErrorItem } from './http.js';

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function toItem(raw: unknown): QlikErrorItem | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const item: QlikErrorItem = {};
  const code = asString(r.code);
  const title = asString(r.title) ?? asString(r.message);
  const detail = asString(r.detail);
  if (code !== undefined) item.code = code;
  if (title !== undefined) item.title = title;
  if (detail !== undefined) item.detail = detail;
  if (typeof r.status === 'string' || typeof r.status === 'number') item.status = r.status;
  if (typeof r.source === 'object' && r.source !== null) item.source = r.source;
  if (r.meta !== undefined) item.meta = r.meta;
  return (code ?? title ?? detail) ? item : undefined;
}

/** Parses `{ errors: [...], traceId }` or a top-level `{ code, title, detail }`. */
export function parseErrorBody(body: unknown): { errors?: QlikErrorItem[]; traceId?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const traceId = asString(b.traceId);
  let errors: QlikErrorItem[] | undefined;
  if (Array.isArray(b.errors)) {
    errors = b.errors.map(toItem).filter((e): e is QlikErrorItem => e !== undefined);
  } else {
    const top = toItem(b);
    if (top) errors = [top];
  }
  return { ...(errors?.length ? { errors } : {}), ...(traceId ? { traceId } : {}) };
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (relative to `now`).
 * Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
