/**
 * The QIX schema the simulated engine is typed against: enigma.js's bundled 12.2027.0 (the newest it
 * ships; @qlik/api's 12.2825.0 has the same Global and a superset of Doc). Every method's `In` list
 * (names, order, defaults, optional) comes from it, so params bind by position or by name exactly as
 * enigma.js sends them, and a method the schema does not know is -32601.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ParamSpec {
  readonly name: string;
  /** The JSON type of the schema's `DefaultValue`; `any` where the default is null. */
  readonly type: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any';
  readonly optional: boolean;
  readonly defaultValue: unknown;
}

export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  /** The schema's `Out` names; none means the result is `{ qReturn }`. */
  readonly out: readonly string[];
}

/** The handle types the simulated engine hands out. */
export type HandleType = 'Global' | 'Doc' | 'GenericObject' | 'Field';

export const QIX_SCHEMA_VERSION = '12.2027.0';

interface SchemaJson {
  structs: Record<
    string,
    Record<string, { In: { Name: string; DefaultValue?: unknown; Optional?: boolean }[]; Out: { Name: string }[] }>
  >;
}

let specs: Record<string, Record<string, MethodSpec>> | undefined;

function load(): Record<string, Record<string, MethodSpec>> {
  const path = createRequire(import.meta.url).resolve(`enigma.js/schemas/${QIX_SCHEMA_VERSION}.json`);
  const schema = JSON.parse(readFileSync(path, 'utf8')) as SchemaJson;
  const loaded: Record<string, Record<string, MethodSpec>> = {};
  for (const [struct, methods] of Object.entries(schema.structs)) {
    loaded[struct] = {};
    for (const [method, { In, Out }] of Object.entries(methods)) {
      loaded[struct][method] = {
        params: In.map((param) => ({
          name: param.Name,
          type: jsonType(param.DefaultValue),
          optional: param.Optional === true,
          defaultValue: param.DefaultValue,
        })),
        out: Out.map((out) => out.Name),
      };
    }
  }
  return loaded;
}

function jsonType(value: unknown): ParamSpec['type'] {
  if (value === null || value === undefined) return 'any';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** The schema's spec of `method` on a handle of `type`, or undefined when the schema has no such method. */
export function methodSpec(type: HandleType, method: string): MethodSpec | undefined {
  specs ??= load();
  return specs[type]?.[method];
}
