import type ts from 'typescript';

/** tsc's diagnostics (empty when none) for each module's types with and without the codegens' shorthands. */
export function checkShorthands(modules: { name: string; plain: string; short: string }[]): string[];

/** A strict program over generated modules and the probes beside them in a temporary folder (no @types). */
export function createProbeProgram(roots: string[]): ts.Program;
