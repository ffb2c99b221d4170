// Deterministic job ids: the customer id plus a hash of its input, so re-adding a customer is a no-op and a changed input is new work.
import { createHash } from 'node:crypto';

/**
 * `<customer id, URI-encoded>.<16 hex of SHA-256 over the canonical JSON of the input and `configVersion`>`.
 * BullMQ refuses `:` in custom ids; URI encoding removes it (and every other separator).
 */
export function fleetJobId(customerId: string, input: unknown, configVersion = ''): string {
  const digest = createHash('sha256')
    .update(`${canonicalJson(input)}\u0000${configVersion}`)
    .digest('hex');
  return `${encodeURIComponent(customerId)}.${digest.slice(0, 16)}`;
}

/** JSON with object keys sorted, so the same input always hashes the same, whatever order its keys were built in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
