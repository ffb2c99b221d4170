/**
 * Qlik's APIs disagree on the error body: `status` is a string (tenants), an integer (groups) or a
 * number (identity-providers); tenant-settings has integer codes; licenses adds `error` and `message`.
 * Handlers build one common shape (qlikError); these are the variants tried, in order, until one
 * matches the operation's declared error schema.
 */
import { wireText } from './wire-text.js';

interface ErrorItem {
  code?: unknown;
  title?: unknown;
  detail?: unknown;
  status?: unknown;
  [k: string]: unknown;
}

export function isQlikErrorBody(body: unknown): body is { errors: ErrorItem[]; traceId?: string } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}

export function errorVariants(body: { errors: ErrorItem[]; traceId?: string }): unknown[] {
  const mapItems = (f: (e: ErrorItem) => ErrorItem): { errors: ErrorItem[]; traceId?: string } => ({
    ...body,
    errors: body.errors.map(f),
  });
  const numericStatus = (e: ErrorItem): ErrorItem => (e.status === undefined ? e : { ...e, status: Number(e.status) });
  const noStatus = ({ status: _s, ...rest }: ErrorItem): ErrorItem => rest;
  const numericCode = (e: ErrorItem): ErrorItem => {
    const digits = /(\d+)$/.exec(wireText(e.code));
    return { ...noStatus(e), code: digits?.[1] ? Number(digits[1]) : Number(e.status ?? 0) };
  };
  const withMessage = (b: { errors: ErrorItem[]; traceId?: string }): unknown => ({
    ...b,
    error: 'util.Error',
    message: wireText(b.errors[0]?.title, 'Error'),
  });
  const a = mapItems(numericStatus);
  const b = mapItems(noStatus);
  const c = mapItems(numericCode);
  return [a, b, c, withMessage(b), withMessage(a)];
}
