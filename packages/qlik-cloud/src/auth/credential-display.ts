// How a credential shows without showing: a short SHA-256 fingerprint, and Node's inspect hook by its
// registered symbol. Pure JavaScript (core's sha256Hex; no node:crypto, no node:util), so the package bundles for
// browsers and loads no crypto library at import.
import { sha256Hex } from '@qlik-oem/core/advanced';

/** Node's `util.inspect.custom`, which `util.inspect` (and console.log) looks up by this global symbol. */
export const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');

/** The first `length` hex digits of the SHA-256 of `secret`: tells secrets apart, reveals none. */
export function fingerprint(secret: string, length: number): string {
  return sha256Hex(secret).slice(0, length);
}
