// Proves that the codegens' shorthands (shortTypeNames in compact-openapi-types.mjs) change no type: each
// generated module is compiled next to the same module printed without them, and tsc checks that every
// path, operation and component (schemas, responses, parameters, request bodies, headers) is the same type
// in both (identical, not only mutually assignable) and that both have the same keys.
// Used by the codegens' --check (CI's "generated code is current").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const SECTIONS = ['schemas', 'responses', 'parameters', 'requestBodies', 'headers'];

/** A module of checks for one generated module: `plain` and `short` are its two printings. */
function checksFor(name) {
  const lines = [
    `import type * as P from './plain/${name}.js';`,
    `import type * as S from './short/${name}.js';`,
    `export const ${sanitize(name)}Paths: Ok<Differing<P.paths, S.paths>> = true;`,
    `export const ${sanitize(name)}Operations: Ok<Differing<P.operations, S.operations>> = true;`,
  ];
  for (const section of SECTIONS) {
    lines.push(
      `export const ${sanitize(name)}_${section}: Ok<Differing<P.components[${JSON.stringify(section)}], S.components[${JSON.stringify(section)}]>> = true;`,
    );
  }
  return `${lines.join('\n')}\nimport type { Differing, Ok } from './same.js';\n`;
}

const sanitize = (name) => name.replace(/[^A-Za-z0-9]/g, '_');

const SAME = `// Identical types (the comparison tsc uses for identical declarations), not only mutually assignable ones.
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** The keys whose types differ between A and B, or whose key sets differ; never when none. */
export type Differing<A, B> = [A] extends [never]
  ? [B] extends [never] ? never : 'one side is never'
  : Same<keyof A, keyof B> extends true
    ? { [K in keyof A & keyof B]: Same<A[K], B[K]> extends true ? never : K }[keyof A & keyof B]
    : 'the keys differ';
/** true when nothing differs; otherwise the differing keys, so that the error names them. */
export type Ok<D> = [D] extends [never] ? true : { differing: D };
`;

/** A strict program over generated modules and the probes beside them in a temporary folder (no @types). */
export function createProbeProgram(roots) {
  return ts.createProgram(roots, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
}

/**
 * modules: [{ name, plain, short }] (module sources). Returns tsc's diagnostics as text lines; empty when
 * every module's types are the same in both printings.
 */
export function checkShorthands(modules) {
  const dir = mkdtempSync(join(tmpdir(), 'shorthands-'));
  try {
    mkdirSync(join(dir, 'plain'));
    mkdirSync(join(dir, 'short'));
    writeFileSync(join(dir, 'same.ts'), SAME);
    const roots = [];
    for (const { name, plain, short } of modules) {
      writeFileSync(join(dir, 'plain', `${name}.ts`), plain);
      writeFileSync(join(dir, 'short', `${name}.ts`), short);
      const checks = join(dir, `check-${name}.ts`);
      writeFileSync(checks, checksFor(name));
      roots.push(checks);
    }
    const program = createProbeProgram(roots);
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${diagnostic.file.fileName.slice(dir.length + 1)}:${line + 1}: ${message}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
