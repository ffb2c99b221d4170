/**
 * The per-path call signatures of each API's client (see generateEntryModule in ./codegen.ts): for every
 * operation, its path, its method, the type it is written as (`operations["id"]`, or `paths[...][...]` for an
 * operation without an id) and whether a call must pass `init`. Whether `init` is required is read from the
 * generated types with core's own `ApiInitRequired` (the rule `ApiClient`'s generic signatures apply), by tsc,
 * so an overload can never make optional what the generic signature requires.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { createProbeProgram } from '../../../scripts/check-shorthands.mjs';

export interface PathCall {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  /** The operation's type in the generated module. */
  operation: string;
  initRequired: boolean;
}

const CLIENT_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * The operations of a generated module's `paths` interface, in its order: a member written as
 * `operations["id"]` keeps that text (openapi-typescript's key, not always the spec's operationId); an
 * operation written inline is named by its path and method.
 */
function callsInPaths(source: string): PathCall[] {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.ES2022, true);
  const paths = file.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === 'paths',
  );
  const calls: PathCall[] = [];
  for (const member of paths?.members ?? []) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeLiteralNode(member.type)) continue;
    const path = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(file);
    for (const operation of member.type.members) {
      if (!ts.isPropertySignature(operation) || !operation.type) continue;
      const method = operation.name.getText(file);
      if (!CLIENT_METHODS.includes(method)) continue;
      const named =
        ts.isIndexedAccessTypeNode(operation.type) && operation.type.getText(file).startsWith('operations[');
      calls.push({
        method: method.toUpperCase() as PathCall['method'],
        path,
        operation: named ? operation.type.getText(file) : `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]`,
        initRequired: false,
      });
    }
  }
  return calls;
}

/** modules: [{ stem, source }] (each generated module's source). */
export function pathCallsOf(
  modules: Array<{ stem: string; source: string }>,
  apiClientSource: string,
): Map<string, PathCall[]> {
  const dir = mkdtempSync(join(tmpdir(), 'path-calls-'));
  try {
    writeFileSync(join(dir, 'api-client.ts'), apiClientSource);
    const calls = new Map<string, PathCall[]>();
    const probes: string[] = [];
    for (const { stem, source } of modules) {
      writeFileSync(join(dir, `${stem}.ts`), source);
      const list = callsInPaths(source);
      calls.set(stem, list);
      const probe = join(dir, `probe-${stem}.ts`);
      writeFileSync(
        probe,
        [
          "import type { ApiInitRequired } from './api-client.js';",
          `import type { operations, paths } from './${stem}.js';`,
          ...list.map((call, i) => `export type R${i} = ApiInitRequired<${call.operation}>;`),
          '',
        ].join('\n'),
      );
      probes.push(probe);
    }
    const program = createProbeProgram(probes);
    const errors = ts.getPreEmitDiagnostics(program);
    if (errors.length > 0) {
      throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})));
    }
    const checker = program.getTypeChecker();
    for (const [stem, list] of calls) {
      const file = program.getSourceFile(join(dir, `probe-${stem}.ts`));
      const symbols = file ? checker.getExportsOfModule(checker.getSymbolAtLocation(file)!) : [];
      list.forEach((call, i) => {
        const symbol = symbols.find((s) => s.name === `R${i}`);
        const text = symbol ? checker.typeToString(checker.getDeclaredTypeOfSymbol(symbol)) : '';
        if (text !== 'true' && text !== 'false') {
          throw new Error(`${stem}: ApiInitRequired of ${call.method} ${call.path} is ${text || 'missing'}`);
        }
        call.initRequired = text === 'true';
      });
    }
    return calls;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** core's ApiClient types (a module without imports), read from its source. */
export function readApiClientSource(repoDir: string): string {
  return readFileSync(join(repoDir, 'packages', 'core', 'src', 'api-client.ts'), 'utf8');
}
