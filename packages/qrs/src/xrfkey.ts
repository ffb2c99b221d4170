import { randomInt } from 'node:crypto';

const XRFKEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const XRFKEY_LENGTH = 16;
export const XRFKEY_HEADER = 'X-Qlik-Xrfkey';
export const XRFKEY_QUERY = 'xrfkey';

/** A fresh 16-character alphanumeric Xrfkey (QRS rejects a call whose query key and header differ or are missing). */
export function generateXrfkey(): string {
  let key = '';
  for (let i = 0; i < XRFKEY_LENGTH; i += 1) key += XRFKEY_ALPHABET[randomInt(XRFKEY_ALPHABET.length)];
  return key;
}

/** Puts the same key in the URL query (replacing any earlier one) and returns the new URL. */
export function withXrfkeyQuery(url: string, key: string): string {
  const parsed = new URL(url);
  for (const name of [...parsed.searchParams.keys()]) {
    if (name.toLowerCase() === XRFKEY_QUERY) parsed.searchParams.delete(name);
  }
  parsed.searchParams.set(XRFKEY_QUERY, key);
  return parsed.toString();
}
