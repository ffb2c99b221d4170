import type { JsonObject } from './catalog.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `oneOf` whose alternatives are only titles (`{title, x-qlik-const}`): the titles are the enum. */
function titleOnlyEnum(alternatives: unknown[]): string[] | undefined {
  const titles: string[] = [];
  for (const alt of alternatives) {
    if (!isObject(alt) || typeof alt.title !== 'string') return undefined;
    if (['type', 'const', 'enum', '$ref', 'properties', 'items', 'allOf', 'anyOf', 'oneOf'].some((k) => k in alt))
      return undefined;
    titles.push(alt.title);
  }
  return titles.length > 0 ? titles : undefined;
}

function isRegexOk(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rewrites a spec schema tree so ajv validates it the way Qlik's services behave (CODEGEN-NOTES
 * "Validation quirks"): oneOf → anyOf, title-only enums → enum, no mapping-less discriminators,
 * unusable patterns dropped, local $refs made absolute to the API's document id. Collects formats.
 */
export function normalizeSchema(node: unknown, docId: string, formats: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => normalizeSchema(n, docId, formats));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, normalizeSchema(v, docId, formats)]),
      );
    } else if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith('#/') ? `${docId}${value}` : value;
    } else if (key === 'oneOf' && Array.isArray(value)) {
      const titles = titleOnlyEnum(value);
      if (titles) out.enum = titles;
      else out.anyOf = normalizeSchema(value, docId, formats);
    } else if (key === 'discriminator' || key === 'example' || key === 'examples' || key.startsWith('x-')) {
      // Not validation keywords (discriminators here have no mapping).
    } else if (key === 'pattern' && typeof value === 'string') {
      if (isRegexOk(value)) out.pattern = value;
    } else if (key === 'format' && typeof value === 'string') {
      formats.add(value);
      out.format = value;
    } else {
      out[key] = normalizeSchema(value, docId, formats);
    }
  }
  // OAS `nullable` needs a `type` next to it in ajv.
  if (out.nullable === true && out.type === undefined) delete out.nullable;
  return out;
}
