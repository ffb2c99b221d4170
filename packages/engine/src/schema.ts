import { createRequire } from 'node:module';

/** The newest QIX schema enigma.js ships; it generates the camelCase methods on API objects. */
export const QIX_SCHEMA_VERSION = '12.2027.0';

let schema: object | undefined;

export function qixSchema(): object {
  schema ??= createRequire(import.meta.url)(`enigma.js/schemas/${QIX_SCHEMA_VERSION}.json`) as object;
  return schema;
}
