// SHA-256 as lowercase hex, with the library `@qlik-oem/qlik-cloud` already uses (`@noble/hashes`): `node:crypto`
// is kept off the import path of `@qlik-oem/recipes` (loading it is a large part of a cold start).
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** The SHA-256 of `data` (a string is hashed as UTF-8), as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}
