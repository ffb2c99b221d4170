import type { Databases } from '../engine/script/databases.js';
import { StatementError, runScript } from '../engine/script/index.js';
import type { QixConnectionRecord, QixReloadResult } from './types.js';

/**
 * Runs a script for a backend without spaces or data files (the in-memory one, QSEoW): the same
 * interpreter as Qlik Cloud reloads, `LIB CONNECT TO` naming one of `connections` (case-insensitive).
 * Qlik Cloud tenants use the content module's `runReload` instead, which knows spaces and files.
 */
export async function reloadWithConnections(
  script: string,
  connections: readonly QixConnectionRecord[],
  databases: Databases,
): Promise<QixReloadResult> {
  const result = await runScript(script, {
    sources: {
      readFile: (path) => Promise.reject(new StatementError(`Cannot open file: '${path}'`, 'FILE_NOT_FOUND')),
      async connect(target) {
        const connection = connections.find((c) => c.name.toLowerCase() === target.toLowerCase());
        if (!connection) throw new StatementError(`Connection '${target}' not found`, 'CONNECTION_NOT_FOUND');
        return databases.connect({
          type: connection.type,
          connectStatement: connection.connectionString,
          description: `'${connection.name}'`,
        });
      },
    },
  });
  if (result.success)
    return { success: true, log: [...result.log, 'Finished successfully'], errors: [], data: result.data };
  const { error } = result;
  return {
    success: false,
    log: result.log,
    errors: [{ message: error.reason, line: error.line, statement: error.statement }],
  };
}
