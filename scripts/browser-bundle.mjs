#!/usr/bin/env node
// Bundles the built @qlik-oem/core and @qlik-oem/qlik-cloud for browsers (esbuild, platform browser) and
// fails when a Node built-in is imported statically: what a browser app or an edge runtime would load.
// A dynamic import of one (signUserJwt's node:crypto, a server-only function) stays a lazy import and is
// listed. Usage: node scripts/browser-bundle.mjs   (after npm run build)
import { builtinModules } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const outDir = mkdtempSync(join(tmpdir(), 'qlik-oem-browser-'));
const lazyBuiltins = [];

const nodeBuiltins = {
  name: 'node-builtins',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0];
      if (!builtins.has(args.path) && !builtins.has(bare)) return undefined;
      if (args.kind === 'dynamic-import') {
        lazyBuiltins.push(`${args.path} (lazy, from ${args.importer.replace(repoRoot, '')})`);
        return { path: args.path, external: true };
      }
      return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer.replace(repoRoot, '')}` }] };
    });
  },
};

try {
  const result = await build({
    stdin: {
      contents: "export * from '@qlik-oem/core';\nexport * from '@qlik-oem/qlik-cloud';\n",
      resolveDir: repoRoot,
      sourcefile: 'browser-entry.js',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    splitting: true,
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    // Optional peers the SDK loads only when the application registered them.
    external: ['@opentelemetry/api'],
    plugins: [nodeBuiltins],
  });
  const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const entry = outputs.find(([, output]) => output.entryPoint === 'browser-entry.js');
  const lazy = outputs.filter(([, output]) => output !== entry[1]).reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(
    `browser bundle of core + qlik-cloud: ${kB(entry[1].bytes)} minified at load, ${kB(lazy)} in lazy chunks (jose, zod); no Node built-in`,
  );
  for (const lazy of lazyBuiltins) console.log(`  dynamic import left to the runtime: ${lazy}`);
} catch (error) {
  const messages = error.errors?.map((e) => e.text) ?? [String(error)];
  console.error(`browser bundle failed:\n  ${[...new Set(messages)].join('\n  ')}`);
  process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
