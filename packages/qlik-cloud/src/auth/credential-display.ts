// How a credential shows without showing: a short SHA-256 fingerprint, and Node's inspect hook by its
// registered symbol. Pure JavaScript (no node:crypto, no node:util), so the package bundles for browsers.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** Node's `util.inspect.custom`, which `util.inspect` (and console.log) looks up by this global symbol. */
export const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');

/** The first `length` hex digits of the SHA-256 of `secret`: tells secrets apart, reveals none. */
export function fingerprint(secret: string, length: number): string {
  return bytesToHex(sha256(secret)).slice(0, length);
}
