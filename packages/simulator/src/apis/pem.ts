/**
 * The public keys JWT identity providers take: a PEM public key or X.509 certificate, with its line
 * breaks or pasted as one line (qlik.dev's JWT IdP guide has users paste the key into a one-line field,
 * so the breaks are often lost or turned into spaces or literal `\n`).
 */
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';

/** Public material only: a private key would also yield a public key, and must not be pasted here. */
const PEM = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----([\s\S]*?)-----END \1-----/;

/** Keys already parsed, by their text: every customer of a fleet registers the partner's same key. */
const parsed = new Map<string, KeyObject | undefined>();

/** The key of a PEM public key or certificate, or undefined when the text is neither. */
export function publicKeyOfPem(text: string): KeyObject | undefined {
  if (parsed.has(text)) return parsed.get(text);
  const key = parseKey(text);
  if (parsed.size >= 256) parsed.clear();
  parsed.set(text, key);
  return key;
}

function parseKey(text: string): KeyObject | undefined {
  const m = PEM.exec(text.replace(/\\n/g, '\n'));
  if (!m?.[1] || m[2] === undefined) return undefined;
  const body = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/=]+$/.test(body)) return undefined;
  const pem = `-----BEGIN ${m[1]}-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${m[1]}-----\n`;
  try {
    return m[1] === 'CERTIFICATE' ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  } catch {
    return undefined;
  }
}
