/**
 * Cold import time: each sample is a fresh `node` process that imports a set of modules and reports how
 * long the `import()` took (from its own `performance.now()`, so Node's start-up is not counted) and the
 * process's whole wall time (start-up included, as a CLI or a serverless cold start sees it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './built-packages.js';
import { median } from './stats.js';

const execFileAsync = promisify(execFile);

export interface ImportTarget {
  label: string;
  specifiers: readonly string[];
}

/**
 * `@qlik/api`'s REST modules for the APIs our provisioning recipes call (tenants, licenses, identity
 * providers, users, groups, roles, spaces, apps and their temp contents, items, data connections, reloads,
 * reload tasks, web integrations, CSP origins, brands, extensions, themes).
 */
export const qlikApiProvisioningModules = [
  'tenants',
  'licenses',
  'identity-providers',
  'users',
  'groups',
  'roles',
  'spaces',
  'apps',
  'temp-contents',
  'items',
  'data-connections',
  'reloads',
  'reload-tasks',
  'web-integrations',
  'csp-origins',
  'brands',
  'extensions',
  'themes',
].map((name) => `@qlik/api/${name}`);

export const importTargets: readonly ImportTarget[] = [
  { label: '@qlik-oem/qlik-cloud', specifiers: ['@qlik-oem/qlik-cloud'] },
  { label: '@qlik-oem/recipes', specifiers: ['@qlik-oem/recipes'] },
  { label: `@qlik/api REST modules (${qlikApiProvisioningModules.length})`, specifiers: qlikApiProvisioningModules },
  { label: '@qlik/api/spaces only', specifiers: ['@qlik/api/spaces'] },
  { label: '@qlik/api (root index)', specifiers: ['@qlik/api'] },
  // Context: where the recipes' import time goes.
  { label: '  context: @qlik-oem/core', specifiers: ['@qlik-oem/core'] },
  { label: '  context: @qlik-oem/engine', specifiers: ['@qlik-oem/engine'] },
  { label: '  context: @qlik-oem/qrs', specifiers: ['@qlik-oem/qrs'] },
  { label: '  context: zod', specifiers: ['zod'] },
  { label: 'node, no import', specifiers: [] },
];

export interface ImportResult {
  label: string;
  importMs: number;
  wallMs: number;
}

function childScript(specifiers: readonly string[]): string {
  return [
    'const t = performance.now();',
    `await Promise.all(${JSON.stringify(specifiers)}.map((s) => import(s)));`,
    'process.stdout.write(String(performance.now() - t));',
  ].join('\n');
}

async function sample(target: ImportTarget): Promise<{ importMs: number; wallMs: number }> {
  const started = process.hrtime.bigint();
  // cwd = repository root so the specifiers resolve as an installed dependency would (node_modules).
  // NODE_OPTIONS is cleared so a loader of the parent (tsx) does not slow the child down.
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--input-type=module', '-e', childScript(target.specifiers)],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const importMs = Number(stdout);
  if (!Number.isFinite(importMs)) throw new Error(`${target.label}: unexpected child output ${JSON.stringify(stdout)}`);
  return { importMs, wallMs };
}

/** `samples` fresh processes per target, targets interleaved (rotating order) so machine load hits all alike. */
export async function runImportBenchmark(samples: number): Promise<ImportResult[]> {
  // Fail with the module's own error before timing anything (e.g. a package that is not built).
  for (const target of importTargets) await sample(target);
  const byTarget = importTargets.map(() => ({ importMs: [] as number[], wallMs: [] as number[] }));
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < importTargets.length; k++) {
      const index = (s + k) % importTargets.length;
      const result = await sample(importTargets[index]!);
      byTarget[index]!.importMs.push(result.importMs);
      byTarget[index]!.wallMs.push(result.wallMs);
    }
  }
  return importTargets.map((target, i) => ({
    label: target.label,
    importMs: median(byTarget[i]!.importMs),
    wallMs: median(byTarget[i]!.wallMs),
  }));
}
