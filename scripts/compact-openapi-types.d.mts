import type ts from 'typescript';

/** openapi-typescript's top-level nodes without the members that say nothing; pass the result to `astToString`. */
export function compactOpenApiTypes(nodes: ts.Node[]): ts.Node[];
