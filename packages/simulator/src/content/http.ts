/**
 * Glue between the content logic and sim-core's route table: a route factory that renders
 * `ContentError`s in each API's own error shape, settles due reloads before every request, and small
 * readers for the request (caller, tenant, JSON body, absolute links).
 */
import { randomBytes } from 'node:crypto';
import type { AuthPrincipal } from '../auth/principal.js';
import { AccessDenied } from '../auth/authorize.js';
import type { Route, RouteHandler, SimContext, SimRequest, SimResponse } from '../http/types.js';
import { ContentError, badRequestError } from './errors.js';
import { databasesOf } from '../engine/script/plugin.js';
import { settleContent } from './settle.js';
import { contentOf, type ContentState } from './state.js';

/** How an API shapes its error body (they differ across Qlik's specs). */
export type ErrorStyle =
  /** `{ errors: [{ code, title, detail, status: "404" }], traceId }` (most APIs). */
  | 'errors-string-status'
  /** `{ errors: [{ code, title, detail, status: 404 }] }` (data-connections, data-credentials). */
  | 'errors-number-status'
  /** `{ code, title, status: 404, traceId }` (extensions, themes). */
  | 'flat'
  /** `{ errors: [{ code, title, detail }] }`, nothing else allowed (data-files). */
  | 'errors-strict'
  /** A plain-text line: the apps spec declares its error statuses without a body. */
  | 'text'
  /**
   * `{ errors: [{ code: 400, title, context, timestamp }], traceId }` (scheduling-tasks: a numeric code).
   * Where Qlik puts its `CHO-…` code is not documented; here it is `context` (unverified; registry:
   * scheduling-error-context).
   */
  | 'numeric-code';

export function renderContentError(error: ContentError, style: ErrorStyle): SimResponse {
  const traceId = randomBytes(16).toString('hex');
  const detail = error.detail ?? error.title;
  switch (style) {
    case 'errors-number-status':
      return {
        status: error.status,
        body: { errors: [{ code: error.code, title: error.title, detail, status: error.status }] },
      };
    case 'flat':
      return { status: error.status, body: { code: error.code, title: error.title, status: error.status, traceId } };
    case 'text':
      return {
        status: error.status,
        body: `${error.title}: ${detail}`,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      };
    case 'numeric-code':
      return {
        status: error.status,
        body: {
          errors: [{ code: error.status, title: detail, context: error.code, timestamp: new Date().toISOString() }],
          traceId,
        },
      };
    case 'errors-strict':
      return { status: error.status, body: { errors: [{ code: error.code, title: error.title, detail }] } };
    default:
      return {
        status: error.status,
        body: { errors: [{ code: error.code, title: error.title, detail, status: String(error.status) }], traceId },
      };
  }
}

export interface ContentCall {
  req: SimRequest;
  ctx: SimContext;
  state: ContentState;
  /** The caller's user id in the tenant. */
  userId: string;
  /** Simulated now (epoch ms). */
  now: number;
  /** The caller as authorization sees it (see access.ts). */
  caller: AuthPrincipal | undefined;
}

export type ContentHandler = (call: ContentCall) => SimResponse | Promise<SimResponse>;

/** Builds a tenant route whose handler gets the tenant's content state and the caller. */
export function contentRoute(
  api: string,
  style: ErrorStyle,
  method: string,
  path: string,
  handler: ContentHandler,
): Route {
  const wrapped: RouteHandler = async (req, ctx) => {
    const tenant = ctx.tenant;
    if (!tenant) {
      return renderContentError(new ContentError(401, 'HTTP-401', 'Unauthorized', 'a tenant token is required'), style);
    }
    const state = contentOf(tenant);
    const now = ctx.clock.now();
    await settleContent(state, now, databasesOf(ctx.sim));
    try {
      return await handler({ req, ctx, state, userId: ctx.principal?.userId ?? 'anonymous', now, caller: ctx.caller });
    } catch (error) {
      if (error instanceof ContentError) return renderContentError(error, style);
      if (error instanceof AccessDenied)
        return renderContentError(new ContentError(403, 'HTTP-403', 'Forbidden', error.detail), style);
      throw error;
    }
  };
  // Access control answers 403 on any operation, declared or not (registry entry any-403-access-control).
  return { api, method, path, auth: 'tenant', handler: wrapped };
}

/** The absolute URL of a path on the host the client called. */
export function absolute(req: SimRequest, path: string): string {
  return new URL(path, `${req.url.protocol}//${req.url.host}`).href;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body as an object, or a 400. */
export function objectBody(req: SimRequest): Record<string, unknown> {
  const body = req.body ?? parseJson(req.rawBody);
  if (!isRecord(body)) throw badRequestError('the request body must be a JSON object');
  return body;
}

/** The JSON body as an array (JSON Patch), or a 400. */
export function arrayBody(req: SimRequest): unknown[] {
  const body = req.body ?? parseJson(req.rawBody);
  if (!Array.isArray(body)) throw badRequestError('the request body must be a JSON array');
  return body;
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw badRequestError('the request body is not valid JSON');
  }
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequestError(`${key} must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined || value.trim() === '') throw badRequestError(`${key} is required`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequestError(`${key} must be a boolean`);
  return value;
}

/** A JSON Patch operation as the Qlik APIs take them. */
export interface PatchOperation {
  op: string;
  path: string;
  value: unknown;
}

export function patchOperations(req: SimRequest, allowedOps: readonly string[]): PatchOperation[] {
  return arrayBody(req).map((raw, index) => {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequestError(`patch operation ${index} needs op and path`);
    }
    if (!allowedOps.includes(raw.op)) throw badRequestError(`patch operation ${index}: op ${raw.op} is not supported`);
    return { op: raw.op, path: raw.path, value: raw.value };
  });
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse =>
  headers ? { status, body, headers } : { status, body };
export const noContent = (): SimResponse => ({ status: 204 });
