import type ts from 'typescript';

/** openapi-typescript's top-level nodes without the members that say nothing; pass the result to `astToString`. */
export function compactOpenApiTypes(nodes: ts.Node[], options?: { shorthands?: boolean }): ts.Node[];

/** `Schemas["X"]` for `components["schemas"]["X"]` (and `Responses`, `RequestBodies`), `JsonBody<T>` for a JSON-only body. */
export function shortTypeNames(nodes: ts.Node[]): ts.Node[];

/** The names shortTypeNames exports from every module: `Schemas`, `Responses`, `RequestBodies`, `JsonBody`. */
export const SHORTHAND_NAMES: readonly string[];

/** One JSDoc text as openapi-typescript writes it (`* a ` or `*\n * a\n * b\n `), compacted; undefined when nothing is left. */
export function compactJsDocText(text: string): string | undefined;
