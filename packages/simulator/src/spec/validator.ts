import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonObject, SpecCatalog, SpecOperation } from './catalog.js';
import { normalizeSchema } from './normalize.js';

// ajv-formats ships CJS with a default export; normalise the interop shape.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** A mismatch between the traffic and the official spec, found in strict mode. */
export interface SpecViolation {
  /** `<METHOD> <path> (<api>)` */
  operation: string;
  direction: 'request' | 'response';
  /** JSON pointer into the message: `/body/email`, `/query/limit`, `/status`, `/headers/content-type` ... */
  pointer: string;
  message: string;
}

export interface RequestToValidate {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody: Buffer;
}

export interface ResponseToValidate {
  status: number;
  contentType: string | undefined;
  body: unknown;
  /** The headers the answer goes out with (any case). */
  headers?: Record<string, string> | undefined;
}

/**
 * Declared headers an answer must carry although no spec marks them `required`: a 201 or a redirect
 * without its `Location`, or a 429 without its `retry-after`, means nothing to a client.
 */
const MEANINGLESS_WITHOUT = new Set(['location', 'retry-after']);

const UNDECLARED_BODY = 'the spec declares no body for this answer';

/** A violation that is only a body where the spec declares none (the registry may allow one). */
export const isUndeclaredBody = (v: SpecViolation): boolean =>
  v.pointer === '/body' && v.message.startsWith(UNDECLARED_BODY);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const mediaType = (ct: string | undefined): string => (ct ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
const isJsonMedia = (mt: string): boolean => mt === 'application/json' || mt.endsWith('+json');

/** The spec's media type entry that covers `mt` (exact, `type/*` or `*\/*`). */
function matchContent(content: JsonObject, mt: string): JsonObject | undefined {
  const exact = content[mt] ?? content[`${mt.split('/')[0]}/*`] ?? content['*/*'];
  return isObject(exact) ? exact : undefined;
}

/** Validates requests and responses against the official specs with ajv; validators compile lazily. */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly loaded = new Set<string>();
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(private readonly catalog: SpecCatalog) {
    this.ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false, logger: false });
    addFormats(this.ajv);
    // Qlik's `date` fields carry date-times in practice (CODEGEN-NOTES quirk 3).
    this.ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/);
  }

  validateRequest(op: SpecOperation, req: RequestToValidate): SpecViolation[] {
    const out: SpecViolation[] = [];
    const add = (pointer: string, message: string): void => {
      out.push({ operation: op.label, direction: 'request', pointer, message });
    };
    const declaredQuery = new Set<string>();
    for (const p of op.parameters) {
      const name = String(p.name);
      const where = String(p.in);
      const schema = isObject(p.schema) ? p.schema : undefined;
      if (where === 'query') declaredQuery.add(name);
      let raw: string | string[] | undefined;
      if (where === 'path') raw = req.params[name];
      else if (where === 'query') raw = req.query.has(name) ? req.query.getAll(name) : undefined;
      else if (where === 'header') raw = req.headers[name.toLowerCase()];
      else continue;
      if (raw === undefined) {
        // Auth headers declared as parameters (reloads, audits, licenses) are carried by the transport.
        if (p.required === true && !(where === 'header' && name.toLowerCase() === 'authorization'))
          add(`/${where}/${name}`, `required ${where} parameter "${name}" is missing`);
        continue;
      }
      if (!schema) continue;
      const value = this.coerceParam(schema, raw, op.api);
      for (const e of this.run(op.api, schema, value)) add(`/${where}/${name}${e.path}`, e.message);
    }
    for (const name of new Set(req.query.keys())) {
      if (!declaredQuery.has(name)) add(`/query/${name}`, `query parameter "${name}" is not declared by the operation`);
    }
    const requestBody = isObject(op.operation.requestBody)
      ? this.catalog.resolve(this.catalog.doc(op.api), op.operation.requestBody)
      : undefined;
    if (req.rawBody.length === 0) {
      if (requestBody?.required === true) add('/body', 'a request body is required');
      return out;
    }
    if (!requestBody || !isObject(requestBody.content)) {
      add('/body', 'the operation takes no request body');
      return out;
    }
    const mt = mediaType(firstHeader(req.headers['content-type']));
    const media = matchContent(requestBody.content, mt);
    if (!media) {
      add('/headers/content-type', `content type "${mt}" is not one of ${Object.keys(requestBody.content).join(', ')}`);
      return out;
    }
    if (isObject(media.schema) && (isJsonMedia(mt) || mt === 'application/x-www-form-urlencoded')) {
      for (const e of this.run(op.api, media.schema, req.body)) add(`/body${e.path}`, e.message);
    }
    return out;
  }

  validateResponse(op: SpecOperation, res: ResponseToValidate): SpecViolation[] {
    const out: SpecViolation[] = [];
    const add = (pointer: string, message: string): void => {
      out.push({ operation: op.label, direction: 'response', pointer, message });
    };
    const responses = isObject(op.operation.responses) ? op.operation.responses : {};
    const declared = responses[String(res.status)] ?? responses.default;
    if (!isObject(declared)) {
      add('/status', `status ${res.status} is not declared (declared: ${Object.keys(responses).join(', ')})`);
      return out;
    }
    const response = this.catalog.resolve(this.catalog.doc(op.api), declared);
    this.checkHeaders(op.api, response, res, add);
    const content = isObject(response.content) ? response.content : undefined;
    const hasBody =
      res.body !== undefined &&
      !(Buffer.isBuffer(res.body) && res.body.length === 0) &&
      !(typeof res.body === 'string' && res.body.length === 0);
    if (!content) {
      if (hasBody) add('/body', `${UNDECLARED_BODY} (status ${res.status})`);
      return out;
    }
    if (!hasBody) return out;
    const mt = mediaType(res.contentType);
    const media = matchContent(content, mt);
    if (!media) {
      add('/headers/content-type', `content type "${mt}" is not one of ${Object.keys(content).join(', ')}`);
      return out;
    }
    // A file served as bytes (e.g. a brand's JSON styles under `*/*` binary) is not a JSON document to check.
    const binary =
      isObject(media.schema) &&
      media.schema.type === 'string' &&
      media.schema.format === 'binary' &&
      Buffer.isBuffer(res.body);
    if (isObject(media.schema) && isJsonMedia(mt) && !binary) {
      for (const e of this.run(op.api, media.schema, res.body)) add(`/body${e.path}`, e.message);
    }
    return out;
  }

  /** Declared response headers: present where they must be, and of their schema when present. */
  private checkHeaders(
    api: string,
    response: JsonObject,
    res: ResponseToValidate,
    add: (pointer: string, message: string) => void,
  ): void {
    if (!isObject(response.headers)) return;
    const sent = new Map(Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, raw] of Object.entries(response.headers)) {
      if (!isObject(raw)) continue;
      const header = this.catalog.resolve(this.catalog.doc(api), raw);
      const key = name.toLowerCase();
      const value = sent.get(key);
      if (value === undefined) {
        if (header.required === true || MEANINGLESS_WITHOUT.has(key))
          add(`/headers/${key}`, `declared header "${name}" is missing`);
        continue;
      }
      if (!isObject(header.schema)) continue;
      // HTTP's Location is a URI reference (RFC 9110 §10.2.2): a relative one is checked as resolved.
      const checked =
        key === 'location' && URL.canParse(value, 'https://tenant.invalid')
          ? new URL(value, 'https://tenant.invalid').href
          : value;
      const coerced = this.coerceParam(header.schema, checked, api);
      for (const e of this.run(api, header.schema, coerced)) add(`/headers/${key}${e.path}`, e.message);
    }
  }

  private coerceParam(schema: JsonObject, raw: string | string[], api: string): unknown {
    const resolved = this.catalog.resolve(this.catalog.doc(api), schema);
    const values = Array.isArray(raw) ? raw : [raw];
    if (resolved.type === 'array') {
      const items = isObject(resolved.items) ? resolved.items : {};
      const parts = values.length === 1 ? (values[0] ?? '').split(',') : values;
      return parts.map((v) => coerceScalar(items.type, v));
    }
    return coerceScalar(resolved.type, values[0] ?? '');
  }

  private run(api: string, schema: JsonObject, value: unknown): Array<{ path: string; message: string }> {
    const validate = this.compile(api, schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => ({
      path: e.instancePath,
      message: `${e.message ?? 'invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
    }));
  }

  private compile(api: string, schema: JsonObject): ValidateFunction {
    const cached = this.compiled.get(schema);
    if (cached) return cached;
    this.loadDoc(api);
    const formats = new Set<string>();
    const normalized = normalizeSchema(schema, `${api}.json`, formats) as JsonObject;
    this.addUnknownFormats(formats);
    const validate = this.ajv.compile(normalized);
    this.compiled.set(schema, validate);
    return validate;
  }

  /** Registers the API's components under the id `<api>.json` so `$ref`s resolve. */
  private loadDoc(api: string): void {
    if (this.loaded.has(api)) return;
    const formats = new Set<string>();
    const components = normalizeSchema(this.catalog.doc(api).components ?? {}, `${api}.json`, formats);
    this.addUnknownFormats(formats);
    this.ajv.addSchema({ $id: `${api}.json`, components }, undefined, undefined, false);
    this.loaded.add(api);
  }

  /** Qlik's custom formats (`uid`, `bearer`, `JWT ID (jti)` ...) are accepted, never rejected. */
  private addUnknownFormats(formats: Set<string>): void {
    const known = (this.ajv as unknown as { formats: Record<string, unknown> }).formats;
    for (const f of formats) if (!(f in known)) this.ajv.addFormat(f, true);
  }
}

function coerceScalar(type: unknown, v: string): unknown {
  if ((type === 'integer' || type === 'number') && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
