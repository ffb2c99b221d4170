import { randomBytes, randomUUID } from 'node:crypto';

/** A 24-hex-digit id, the form Qlik uses for spaces, assignments, reloads and items. */
export function objectId(): string {
  return randomBytes(12).toString('hex');
}

/** A GUID, the form Qlik uses for apps and data connections. */
export function guid(): string {
  return randomUUID();
}

/** ISO-8601 text of a simulated epoch-ms time. */
export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
