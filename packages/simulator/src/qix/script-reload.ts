import { findConnectionReferences, isBuiltInConnection } from '../content/script.js';
import type { QixReloadResult } from './types.js';

/**
 * Runs a script for a backend without spaces (the in-memory one, QSEoW): it succeeds when every
 * connection the script names (`LIB CONNECT TO`, `lib://`) is one of `connectionNames`.
 * Qlik Cloud tenants use the content module's `evaluateReload` instead, which knows spaces.
 */
export function reloadAgainstConnections(script: string, connectionNames: readonly string[]): QixReloadResult {
  const known = new Set(connectionNames.map((name) => name.toLowerCase()));
  const log: string[] = [];
  for (const reference of findConnectionReferences(script)) {
    if (isBuiltInConnection(reference.name)) continue;
    if (!known.has(reference.name.toLowerCase())) {
      const message = `Connection '${reference.name}' not found`;
      log.push(reference.text, `Error: ${message}`, 'Execution failed');
      return { success: false, log, errors: [{ message, line: reference.line, statement: reference.text }] };
    }
    log.push(reference.text, `Connected to ${reference.name}`);
  }
  log.push('Finished successfully');
  return { success: true, log, errors: [] };
}
