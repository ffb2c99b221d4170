import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFileJournalStore } from '@qlik-oem/recipes';
import { loadCustomers } from './customers.js';
import { realConfigFromEnv } from './real.js';
import { runMultiCloud } from './run.js';
import { startSimulatedWorld } from './simulated.js';

/**
 * `npm start [customers.json]`: against the embedded simulator unless QSEOW_HOST is set (then the QSEOW_* and QLIK_*
 * variables describe the real systems). The journal (JOURNAL_DIR, default ./.journal) makes reruns resume.
 * Returns the process exit code: 0 when every customer is provisioned or unchanged.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = console.log,
): Promise<number> {
  const customers = await loadCustomers(resolve(argv[0] ?? new URL('../customers.json', import.meta.url).pathname));
  const journal = createFileJournalStore({ directory: resolve(env.JOURNAL_DIR ?? '.journal') });
  const world = env.QSEOW_HOST ? undefined : await startSimulatedWorld(customers);
  try {
    const config = world ?? realConfigFromEnv(env);
    log(
      world
        ? `Embedded simulator at ${world.sim.url} (set QSEOW_HOST to use real systems)`
        : `QSEoW ${config.site.host}`,
    );
    const result = await runMultiCloud({ customers, environment: config.environment, site: config.site, journal, log });
    for (const c of result.customers) {
      log(
        `${c.customerId.padEnd(20)} ${c.status}${c.outputs ? ` deployment ${c.outputs.deployment.deploymentId}, space ${c.outputs.placeApp.spaceId}` : ''}${c.error ? `: ${(c.error as Error).message}` : ''}`,
      );
    }
    if (world && world.sim.violations.length) log(`Spec violations: ${JSON.stringify(world.sim.violations)}`);
    return result.customers.every((c) => c.status === 'provisioned' || c.status === 'unchanged') ? 0 : 1;
  } finally {
    await world?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2), process.env).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 1;
    },
  );
}
