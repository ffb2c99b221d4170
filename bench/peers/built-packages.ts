/**
 * The benchmarks measure what partners install: the built `dist/` of our packages. This checks that the
 * packages (and the workspace packages they depend on) are built, and names the command that builds them.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  exports?: { '.': { import: { default: string } } };
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function workspacePackages(): Map<string, string> {
  const byName = new Map<string, string>();
  const packagesDir = join(repoRoot, 'packages');
  for (const entry of readdirSync(packagesDir)) {
    const dir = join(packagesDir, entry);
    if (existsSync(join(dir, 'package.json'))) byName.set(readPackage(dir).name, dir);
  }
  return byName;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export interface BuildCheck {
  missing: string[];
  /** Packages whose src/ changed after their dist/ entry was written (the results may not match the code). */
  stale: string[];
}

/** Checks `names` and their `@qlik-oem/*` dependencies, transitively. */
export function checkBuilt(names: readonly string[]): BuildCheck {
  const workspace = workspacePackages();
  const seen = new Set<string>();
  const missing: string[] = [];
  const stale: string[] = [];
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const dir = workspace.get(name);
    if (!dir) throw new Error(`${name} is not a package of this repository`);
    const pkg = readPackage(dir);
    const entry = join(dir, pkg.exports?.['.'].import.default ?? 'dist/index.js');
    if (!existsSync(entry)) missing.push(name);
    else if (existsSync(join(dir, 'src')) && newestMtime(join(dir, 'src')) > statSync(entry).mtimeMs) stale.push(name);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (dep.startsWith('@qlik-oem/')) visit(dep);
  };
  for (const name of names) visit(name);
  return { missing, stale };
}

export function buildCommand(names: readonly string[]): string {
  return `npx turbo run build ${names.map((n) => `--filter=${n}...`).join(' ')}`;
}
