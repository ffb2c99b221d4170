import type ts from 'typescript';

/** openapi-typescript's top-level nodes without the members that say nothing; pass the result to `astToString`. */
export function compactOpenApiTypes(nodes: ts.Node[]): ts.Node[];

/** One JSDoc text as openapi-typescript writes it (`* a ` or `*\n * a\n * b\n `), compacted; undefined when nothing is left. */
export function compactJsDocText(text: string): string | undefined;
