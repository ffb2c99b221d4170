/**
 * Gives each simulator its databases: the state file's `databases` section declares the hosts the
 * embedded PostgreSQL serves; every reload of that simulator (REST or QIX) uses the same `Databases`,
 * closed with the simulator.
 */
import type { SimPlugin } from '../../plugins.js';
import type { SimState } from '../../state/sim-state.js';
import { StateFileError, type StateFile } from '../../state/state-file.js';
import { Databases, type EmbeddedDatabase } from './databases.js';

const registry = new WeakMap<SimState, Databases>();

/** The simulator's databases (none declared when it was started without the plugin). */
export function databasesOf(sim: SimState): Databases {
  let databases = registry.get(sim);
  if (!databases) {
    databases = new Databases();
    registry.set(sim, databases);
  }
  return databases;
}

export function createDatabasesPlugin(): SimPlugin {
  let databases: Databases | undefined;
  return {
    name: 'databases',
    setup(host) {
      databases = new Databases(readDeclarations(host.stateFile));
      registry.set(host.sim, databases);
    },
    close: () => databases?.close(),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `databases` section: `[{ host, database?, user?, password?, seed?: 'orders' | { sql } }]`. */
export function readDeclarations(file: StateFile): EmbeddedDatabase[] {
  const section = file.databases;
  if (section === undefined) return [];
  if (!Array.isArray(section)) throw new StateFileError(['databases must be an array']);
  const problems: string[] = [];
  const found = section.flatMap((entry, i): EmbeddedDatabase[] => {
    const where = `databases[${i}]`;
    if (!isObject(entry) || typeof entry.host !== 'string' || entry.host === '') {
      problems.push(`${where}.host must be a host name or pattern`);
      return [];
    }
    for (const key of ['database', 'user', 'password'] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string') problems.push(`${where}.${key} must be a string`);
    }
    const seed = entry.seed;
    if (seed !== undefined && seed !== 'orders' && !(isObject(seed) && typeof seed.sql === 'string')) {
      problems.push(`${where}.seed must be "orders" or { "sql": "..." }`);
    }
    return [entry as unknown as EmbeddedDatabase];
  });
  if (problems.length > 0) throw new StateFileError(problems);
  return found;
}
