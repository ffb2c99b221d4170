#!/usr/bin/env node
// Type-checks every ```ts code block in docs/index.md and docs/guides/*.md against the packages' current
// sources, so a guide cannot show an API that does not exist. Each block is its own ES module.
// Usage: node scripts/docs-check-snippets.mjs   (exit code 1 and a list of errors when a block is wrong)
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The ```ts / ```typescript blocks of the guides, with where they come from. */
export function extractSnippets(root = repoRoot) {
  const files = [
    join(root, 'docs/index.md'),
    ...readdirSync(join(root, 'docs/guides'))
      .filter((n) => n.endsWith('.md'))
      .sort()
      .map((n) => join(root, 'docs/guides', n)),
  ];
  const snippets = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let start = -1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (start < 0 && /^```(ts|typescript)\s*$/.test(line)) start = i + 1;
      else if (start >= 0 && /^```\s*$/.test(line)) {
        snippets.push({ file: relative(root, file), line: start + 1, code: lines.slice(start, i).join('\n') });
        start = -1;
      }
    }
  }
  return snippets;
}

/** Type-checks the snippets; returns one message per error, naming the guide and its line. */
export function checkSnippets(snippets, root = repoRoot) {
  const packages = readdirSync(join(root, 'packages'));
  // Inside the repository, so imports of dependencies (vitest, zod, ...) resolve from its node_modules.
  const dir = mkdtempSync(join(root, 'test/docs/.snippets-'));
  try {
    const fileOf = new Map();
    snippets.forEach((snippet, index) => {
      const path = join(dir, `snippet-${index}.mts`);
      writeFileSync(path, `${snippet.code}\nexport {};\n`);
      fileOf.set(resolve(path), snippet);
    });
    const options = {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      esModuleInterop: true,
      resolveJsonModule: true,
      baseUrl: root,
      // The packages' sources, as the tests see them, so no build is needed.
      paths: {
        ...Object.fromEntries(packages.map((name) => [`@qlik-oem/${name}`, [`packages/${name}/src/index.ts`]])),
        // Subpath exports whose source file has the subpath's name (`@qlik-oem/recipes/steps`: src/steps.ts), or
        // a generated entry point of that name (`@qlik-oem/qlik-cloud/spaces`: src/generated/entries/spaces.ts).
        ...Object.fromEntries(
          packages.map((name) => [
            `@qlik-oem/${name}/*`,
            [`packages/${name}/src/*.ts`, `packages/${name}/src/generated/entries/*.ts`],
          ]),
        ),
      },
    };
    const program = ts.createProgram([...fileOf.keys()], options);
    const problems = [];
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const snippet = diagnostic.file ? fileOf.get(resolve(diagnostic.file.fileName)) : undefined;
      if (!snippet || !diagnostic.file || diagnostic.start === undefined) continue; // errors inside packages are tsc's job
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.push(
        `${snippet.file}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const snippets = extractSnippets();
  const problems = checkSnippets(snippets);
  if (problems.length > 0) {
    console.error(`${problems.length} error(s) in the guides' code samples:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`docs: ${snippets.length} code samples type-check`);
}
