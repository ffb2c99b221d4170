import { QlikValidationError } from '@qlik-oem/core';
import type { EngineDoc } from './qix-types.js';
import { rewriteConnection, type RewriteConnectionOptions } from './script/rewrite-connection.js';

/** The app's load script. */
export function getScript(doc: EngineDoc): Promise<string> {
  return doc.getScript();
}

/** Replaces the app's load script in the session; call `save(doc)` to persist it. */
export async function setScript(doc: EngineDoc, script: string): Promise<void> {
  if (typeof script !== 'string') throw new QlikValidationError('setScript: script must be a string');
  await doc.setScript(script);
}

/**
 * Points the app's `LIB CONNECT TO` statements at another connection (see `rewriteConnection`), and
 * sets the script only when it changed. Returns whether it did. Call `save(doc)` to persist it.
 */
export async function rewriteAppConnection(
  doc: EngineDoc,
  options: RewriteConnectionOptions,
): Promise<{ changed: boolean }> {
  const before = await doc.getScript();
  const after = rewriteConnection(before, options);
  if (after === before) return { changed: false };
  await doc.setScript(after);
  return { changed: true };
}

/** Persists the app (script, reload results). Session apps cannot be saved. */
export async function save(doc: EngineDoc): Promise<void> {
  await doc.doSave();
}
