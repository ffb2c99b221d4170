// The codegens' compaction of openapi-typescript's output (scripts/compact-openapi-types.mjs): what a hover shows
// is kept, what the type already says is dropped, and the shorthands change no type (scripts/check-shorthands.mjs).
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { checkShorthands } from '../../scripts/check-shorthands.mjs';
import { compactJsDocText, compactOpenApiTypes, SHORTHAND_NAMES } from '../../scripts/compact-openapi-types.mjs';

describe('compactJsDocText', () => {
  it('puts the description first, untagged, with its format, on one line', () => {
    expect(compactJsDocText('*\n * Format: uid\n * @description The unique identifier for the space.\n ')).toBe(
      '* The unique identifier for the space. (Format: uid) ',
    );
    expect(compactJsDocText('* @description Maximum number of spaces to return. ')).toBe(
      '* Maximum number of spaces to return. ',
    );
  });

  it('drops @enum, @constant (the type says them) and @example, and nothing else', () => {
    expect(compactJsDocText('*\n * @description The type of space.\n * @enum {string}\n ')).toBe(
      '* The type of space. ',
    );
    expect(compactJsDocText('* @enum {string} ')).toBeUndefined();
    expect(compactJsDocText('*\n * @description Subject type.\n * @default user\n * @example P7D\n ')).toBe(
      '*\n * Subject type.\n * @default user\n ',
    );
  });

  it('keeps a multi-line description and @deprecated, drops one-line and multi-line (JSON) examples', () => {
    const text =
      '*\n * @description First line.\n *     - a list item\n * @example {\n *       "name": "x"\n *     }\n ';
    expect(compactJsDocText(text)).toBe('*\n * First line.\n * - a list item\n ');
    expect(compactJsDocText('*\n * @description Old.\n * @deprecated\n * @example abc\n ')).toBe(
      '*\n * Old.\n * @deprecated\n ',
    );
    expect(compactJsDocText('* @example f34b91a1-0dc3-44ac-a847-51cb84122c84 ')).toBeUndefined();
  });
});

describe('shortTypeNames', () => {
  const spec = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
        put: {
          operationId: 'putThing',
          requestBody: { $ref: '#/components/requestBodies/ThingBody' },
          responses: { '204': { description: 'done' } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', readOnly: true },
            parts: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
          },
        },
        Error: { type: 'object', properties: { code: { type: 'string' } } },
      },
      responses: {
        NotFound: {
          description: 'no',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      requestBodies: {
        ThingBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
      },
    },
  };
  const print = async (shorthands: boolean) =>
    astToString(
      compactOpenApiTypes(await openapiTS(spec as never, { defaultNonNullable: false, silent: true }), { shorthands }),
    );

  it('writes Schemas["X"], Responses["X"], RequestBodies["X"], JsonBody<T> and JsonOf<"X">, and exports them', async () => {
    const short = await print(true);
    // A JSON body of a named schema is JsonOf<"X"> (JsonBody<Schemas["X"]>, the same type).
    expect(short).toContain('200: JsonOf<"Thing">');
    expect(short).toContain('ThingBody: JsonOf<"Thing">');
    expect(short).toContain('export type JsonOf<K extends keyof Schemas> = JsonBody<Schemas[K]>;');
    expect(short).toContain('404: Responses["NotFound"]');
    expect(short).toContain('requestBody: RequestBodies["ThingBody"]');
    expect(short).toContain('parts?: Schemas["Thing"][]');
    expect(short.replace(/\/\/.*$/gm, '')).not.toContain('components["schemas"]["');
    for (const name of SHORTHAND_NAMES) expect(short).toMatch(new RegExp(`^export type ${name}\\b`, 'm'));
  });

  it('changes no type (checkShorthands), and checkShorthands names a type that differs', async () => {
    const [plain, short] = [await print(false), await print(true)];
    expect(checkShorthands([{ name: 'things', plain, short }])).toEqual([]);
    // A property made writable, and a payload made optional: each is reported, with the key that differs.
    const writable = short.replace('readonly id: string', 'id: string');
    const optional = short.replace(
      '{ content: { "application/json": T; }; }',
      '{ content?: { "application/json": T; }; }',
    );
    expect(writable).not.toBe(short);
    expect(optional).not.toBe(short);
    const differences = checkShorthands([
      { name: 'writable', plain, short: writable },
      { name: 'optional', plain, short: optional },
    ]).join('\n');
    expect(differences).toMatch(/check-writable\.ts:\d+: .*"Thing"/);
    expect(differences).toMatch(/check-optional\.ts:\d+: .*"\/things\/\{id\}"/);
    expect(differences).toMatch(/check-optional\.ts:\d+: .*"getThing"/);
  }, 60_000);
});
