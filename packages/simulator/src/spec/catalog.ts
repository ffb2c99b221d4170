import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tierFromExtension, type RateLimitTier } from './tiers.js';

export type JsonObject = Record<string, unknown>;

export interface SpecOperation {
  api: string;
  method: string;
  path: string;
  /** `<METHOD> <path> (<api>)`, used in violations. */
  label: string;
  tier: RateLimitTier;
  operation: JsonObject;
  /** Parameters of the path item and the operation, with $refs resolved. */
  parameters: JsonObject[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Reads spec files lazily, one per API, and finds operations by (api, method, path template). */
export class SpecCatalog {
  private readonly docs = new Map<string, JsonObject>();

  constructor(readonly dir: string) {}

  doc(api: string): JsonObject {
    let doc = this.docs.get(api);
    if (!doc) {
      if (!/^[a-z0-9-]+$/.test(api)) throw new Error(`Invalid API name "${api}"`);
      doc = JSON.parse(readFileSync(join(this.dir, `${api}.json`), 'utf8')) as JsonObject;
      this.docs.set(api, doc);
    }
    return doc;
  }

  operation(api: string, method: string, path: string): SpecOperation | undefined {
    const doc = this.doc(api);
    const item = (doc.paths as Record<string, JsonObject> | undefined)?.[path];
    const m = method.toLowerCase();
    const op = item?.[m] as JsonObject | undefined;
    if (!item || !op || !METHODS.includes(m)) return undefined;
    const params = [
      ...((item.parameters as JsonObject[] | undefined) ?? []),
      ...((op.parameters as JsonObject[] | undefined) ?? []),
    ].map((p) => this.resolve(doc, p));
    return {
      api,
      method: method.toUpperCase(),
      path,
      label: `${method.toUpperCase()} ${path} (${api})`,
      tier: tierFromExtension(api, op['x-qlik-tier']),
      operation: op,
      parameters: params,
    };
  }

  /** Follows a local `$ref` (`#/components/...`) once. */
  resolve(doc: JsonObject, node: JsonObject): JsonObject {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
    let cur: unknown = doc;
    for (const part of ref.slice(2).split('/'))
      cur = (cur as JsonObject | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!cur || typeof cur !== 'object') throw new Error(`Unresolvable $ref ${ref}`);
    return this.resolve(doc, cur as JsonObject);
  }
}
