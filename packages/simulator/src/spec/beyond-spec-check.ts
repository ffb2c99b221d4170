/**
 * Looks up the registry of behaviour beyond the specs (beyond-spec.ts) and validates traffic against
 * its entries: the media type and schema of a body, the headers an answer must carry.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { BEYOND_SPEC, type BeyondSpecEntry, type BodySpec } from './beyond-spec.js';

/** The service a beyond-spec entry belongs to (`qlik-cloud`, `qrs`, `hds`, …). */
export type BeyondSpecService = BeyondSpecEntry['service'];

const mediaType = (ct: string | undefined): string => (ct ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === path;
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(path);
}

/** A message as the check sees it: a parsed JSON value, a text string, or bytes. */
export interface MessageToCheck {
  contentType: string | undefined;
  body: unknown;
}

export class BeyondSpecChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(readonly entries: readonly BeyondSpecEntry[] = BEYOND_SPEC) {}

  /**
   * Entries of `service` for `method path` (a route's template) answering `status` (any status if
   * undefined); `hostWithoutTenant` says whether the request's host serves no tenant.
   */
  find(
    service: BeyondSpecService,
    method: string,
    path: string,
    status?: number,
    hostWithoutTenant = false,
  ): BeyondSpecEntry[] {
    const m = method.toUpperCase();
    return this.entries.filter(
      (e) =>
        e.service === service &&
        (e.method === '*' || e.method === m) &&
        (status === undefined || e.status === status) &&
        (!e.hostWithoutTenant || hostWithoutTenant) &&
        pathMatches(e.path, path),
    );
  }

  /** The registry entry whose request schema the body matches, if any. */
  acceptedRequest(
    service: BeyondSpecService,
    method: string,
    path: string,
    message: MessageToCheck,
  ): BeyondSpecEntry | undefined {
    return this.find(service, method, path).find((e) =>
      e.request?.some((spec) => this.problems(spec, message).length === 0),
    );
  }

  /**
   * Checks an answer against the entries for its status: undefined when no entry covers the status,
   * else the problems (empty when one entry's body and headers match).
   */
  checkResponse(
    service: BeyondSpecService,
    method: string,
    path: string,
    status: number,
    message: MessageToCheck & {
      headers: Record<string, string> | undefined;
      hostWithoutTenant?: boolean;
      /** The spec declares the status without a body: only entries for such answers apply. */
      declaredWithoutBody?: boolean;
    },
  ): { entry: BeyondSpecEntry | undefined; problems: string[] } | undefined {
    const entries = this.find(service, method, path, status, message.hostWithoutTenant).filter(
      (e) => !e.request && (e.declaredWithoutBody === true) === (message.declaredWithoutBody === true),
    );
    if (entries.length === 0) return undefined;
    let best: string[] | undefined;
    for (const entry of entries) {
      const problems = [...this.responseProblems(entry, message), ...this.headerProblems(entry, message.headers)];
      if (problems.length === 0) return { entry, problems };
      if (!best || problems.length < best.length) best = problems;
    }
    return { entry: undefined, problems: best ?? [] };
  }

  private responseProblems(entry: BeyondSpecEntry, message: MessageToCheck): string[] {
    const empty = message.body === undefined || (Buffer.isBuffer(message.body) && message.body.length === 0);
    if (!entry.response) return empty ? [] : [`${entry.id}: the answer has no body`];
    if (empty) return [`${entry.id}: the answer needs a body`];
    let best: string[] | undefined;
    for (const spec of entry.response) {
      const problems = this.problems(spec, message).map((p) => `${entry.id}: ${p}`);
      if (problems.length === 0) return [];
      if (!best || problems.length < best.length) best = problems;
    }
    return best ?? [];
  }

  private headerProblems(entry: BeyondSpecEntry, headers: Record<string, string> | undefined): string[] {
    const present = new Set(Object.keys(headers ?? {}).map((k) => k.toLowerCase()));
    return (entry.headers ?? []).filter((h) => !present.has(h)).map((h) => `${entry.id}: header ${h} is missing`);
  }

  private problems(spec: BodySpec, message: MessageToCheck): string[] {
    const mt = mediaType(message.contentType);
    if (mt !== spec.mediaType) return [`content type "${mt}" is not ${spec.mediaType}`];
    const value = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : message.body;
    if (spec.mediaType === 'text/plain' && typeof value !== 'string') return ['the body is not text'];
    let validate = this.compiled.get(spec.schema);
    if (!validate) {
      validate = this.ajv.compile(spec.schema);
      this.compiled.set(spec.schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`);
  }
}
