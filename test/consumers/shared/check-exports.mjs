// Checks that every package loads in the caller's module system and exposes the expected runtime exports.
import { readFileSync } from 'node:fs';

const expected = JSON.parse(readFileSync(new URL('../expected-exports.json', import.meta.url), 'utf8'));

/** @param {(name: string) => Promise<Record<string, unknown>> | Record<string, unknown>} load */
export async function checkExports(load, format) {
  const problems = [];
  for (const [name, exports] of Object.entries(expected)) {
    if (name.startsWith('$')) continue;
    let module;
    try {
      module = await load(name);
    } catch (error) {
      problems.push(
        `${name}: cannot be loaded as ${format}: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    for (const exportName of exports) {
      if (module[exportName] === undefined) problems.push(`${name}: missing export ${exportName} (${format})`);
    }
  }
  if (problems.length > 0) throw new Error(`Export check failed:\n  ${problems.join('\n  ')}`);
  console.log(
    `${format}: ${Object.keys(expected).filter((n) => !n.startsWith('$')).length} packages load with their expected exports`,
  );
}
