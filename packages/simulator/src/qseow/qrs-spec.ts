import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Strict-mode validation of QRS request and response bodies against specs/qrs/repository.oas3.json.
 * The spec is 2 MB, so it is loaded on first use and each operation's schemas are compiled only when that operation
 * is first seen.
 */
export interface QrsSpecValidator {
  /** Returns a message describing why the JSON body does not match the operation's schema, or undefined. */
  checkRequest(method: string, template: string, body: unknown): string | undefined;
  checkResponse(method: string, template: string, status: number, body: unknown): string | undefined;
}

/**
 * The repository's `specs/qrs/repository.oas3.json`, found by walking up from this module, if it is there.
 * The package does not ship it (it is the output of a Qlik server, with no redistribution terms).
 */
export function findQrsSpec(): string | undefined {
  let dir = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'specs', 'qrs', 'repository.oas3.json');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  return undefined;
}

function requireSpec(): string {
  const found = findQrsSpec();
  if (!found) throw new Error('specs/qrs/repository.oas3.json not found; pass its path to createQrsSpecValidator()');
  return found;
}

interface Spec {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { $ref?: string; content?: Record<string, { schema?: unknown }> };
        responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      }
    >
  >;
  components: { requestBodies?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

export function createQrsSpecValidator(specPath?: string): QrsSpecValidator {
  let spec: Spec | undefined;
  let ajv: Ajv | undefined;
  const compiled = new Map<string, ValidateFunction | null>();

  const load = (): { spec: Spec; ajv: Ajv } => {
    if (!spec || !ajv) {
      spec = JSON.parse(readFileSync(specPath ?? requireSpec(), 'utf8')) as Spec;
      ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
      const add = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: Ajv) => void;
      add(ajv);
      for (const format of ['file-size', 'bit-mask', 'minutes', 'milliseconds', 'host', 'binary', 'int32', 'int64'])
        ajv.addFormat(format, true);
      ajv.addSchema({ components: spec.components }, 'qrs');
    }
    return { spec, ajv };
  };

  const rewriteRefs = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"qrs#/components/'));

  const validatorFor = (key: string, pick: (spec: Spec) => unknown): ValidateFunction | null => {
    if (!compiled.has(key)) {
      const loaded = load();
      const schema = pick(loaded.spec);
      compiled.set(key, schema === undefined ? null : loaded.ajv.compile(rewriteRefs(schema) as object));
    }
    return compiled.get(key) ?? null;
  };

  const describe = (validate: ValidateFunction): string =>
    (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`).join('; ');

  return {
    checkRequest(method, template, body) {
      const validate = validatorFor(`req ${method} ${template}`, (s) => {
        const op = s.paths[template]?.[method.toLowerCase()];
        let requestBody = op?.requestBody;
        if (requestBody?.$ref) requestBody = s.components.requestBodies?.[requestBody.$ref.split('/').pop() ?? ''];
        return requestBody?.content?.['application/json']?.schema;
      });
      if (!validate || validate(body)) return undefined;
      return `request body of ${method} /qrs${template} does not match the QRS spec: ${describe(validate)}`;
    },
    checkResponse(method, template, status, body) {
      const validate = validatorFor(
        `res ${method} ${template} ${status}`,
        (s) =>
          s.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.schema,
      );
      if (!validate || validate(body)) return undefined;
      return `response ${status} of ${method} /qrs${template} does not match the QRS spec: ${describe(validate)}`;
    },
  };
}
