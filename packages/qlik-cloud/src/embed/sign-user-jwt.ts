import type { KeyObject } from 'node:crypto';
import { QlikValidationError, type ValidationIssue } from '@qlik-oem/core';

/** The `aud` Qlik Cloud requires of a JWT exchanged at `POST /login/jwt-session`. */
export const JWT_SESSION_AUDIENCE = 'qlik.api/login/jwt-session';

/** Qlik refuses a JWT whose `exp - nbf` is over one hour (login spec). */
export const MAX_JWT_LIFETIME_SECONDS = 3600;

const DEFAULT_LIFETIME_SECONDS = 300;

export type UserJwtAlgorithm = 'RS256' | 'ES256';

export interface SignUserJwtOptions {
  /** The partner's signing key: a PEM private key (PKCS#8, PKCS#1 or SEC1) or a private `KeyObject`. */
  privateKey: string | KeyObject;
  /** The `kid` header: the key id registered on the tenant's JWT identity provider (`staticKeys[].kid`). */
  keyId: string;
  /** The `iss` claim: the issuer registered on the tenant's JWT identity provider (`options.issuer`). */
  issuer: string;
  /** The `sub` claim: the end user's stable id in the partner's system. */
  subject: string;
  /** The user's display name (`name`). */
  name: string;
  /** The user's email (`email`); `email_verified` is sent as `true` unless `emailVerified` says otherwise. */
  email: string;
  emailVerified?: boolean;
  /** Groups the user belongs to (`groups`); Qlik creates them when the tenant auto-creates groups. */
  groups?: readonly string[];
  /** Seconds until `exp` (from `nbf`). Default 300; at most 3600 (Qlik's limit). */
  lifetimeSeconds?: number;
  /** Inferred from the key (RSA → RS256, P-256 → ES256). HS algorithms are refused: Qlik requires an asymmetric key. */
  algorithm?: UserJwtAlgorithm;
  /** The current time in epoch ms (default `Date.now`); for simulators with their own clock. */
  now?: () => number;
}

type NodeCrypto = typeof import('node:crypto');

const SUPPORTED_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

function isKeyObject(value: unknown): value is KeyObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as KeyObject).type === 'string' &&
    typeof (value as KeyObject).export === 'function'
  );
}

/** Parses the key without ever putting it (or a parser message that might quote it) into an issue. */
function privateKeyOf(value: unknown, issues: ValidationIssue[], crypto: NodeCrypto): KeyObject | undefined {
  const fail = (message: string) => {
    issues.push({ path: ['privateKey'], message });
    return undefined;
  };
  if (isKeyObject(value)) {
    if (value.type === 'public')
      return fail('is a public key; sign with the private key (register the public key on the identity provider)');
    if (value.type === 'secret') return fail('is a symmetric (HS) secret; Qlik requires an RSA or EC private key');
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') return fail('must be a PEM private key or a private KeyObject');
  if (/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(value)) {
    return fail(
      'is a public key or certificate; sign with the private key (register the public key on the identity provider)',
    );
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value))
    return fail('must be a PEM private key ("-----BEGIN PRIVATE KEY-----")');
  try {
    return crypto.createPrivateKey(value);
  } catch {
    return fail('could not be parsed as a PEM private key (an encrypted key must be decrypted into a KeyObject first)');
  }
}

/** The algorithm for the key, or an issue when the key cannot sign with the requested one. */
function algorithmFor(key: KeyObject, requested: unknown, issues: ValidationIssue[]): UserJwtAlgorithm | undefined {
  if (requested !== undefined && (typeof requested !== 'string' || !SUPPORTED_ALGORITHMS.includes(requested))) {
    const hs = typeof requested === 'string' && /^HS/i.test(requested);
    issues.push({
      path: ['algorithm'],
      message: hs ? 'HS algorithms are symmetric; Qlik requires RS256 or ES256' : 'must be "RS256" or "ES256"',
    });
    return undefined;
  }
  const type = key.asymmetricKeyType;
  const inferred: UserJwtAlgorithm | undefined =
    type === 'rsa'
      ? 'RS256'
      : type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        ? 'ES256'
        : undefined;
  if (!inferred) {
    const what =
      type === 'ec'
        ? `an EC key on curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'}`
        : `a ${type ?? 'unknown'} key`;
    issues.push({ path: ['privateKey'], message: `is ${what}; use an RSA key (RS256) or an EC P-256 key (ES256)` });
    return undefined;
  }
  if (requested !== undefined && requested !== inferred) {
    issues.push({ path: ['algorithm'], message: `${requested} does not match the key, which signs ${inferred}` });
    return undefined;
  }
  if (inferred === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    issues.push({ path: ['privateKey'], message: 'is an RSA key shorter than 2048 bits' });
    return undefined;
  }
  return inferred;
}

function requireText(options: Record<string, unknown>, key: string, issues: ValidationIssue[]): void {
  const value = options[key];
  if (typeof value !== 'string' || value.trim() === '')
    issues.push({ path: [key], message: 'must be a non-empty string' });
}

function validate(
  options: SignUserJwtOptions,
  crypto: NodeCrypto,
): { key: KeyObject; algorithm: UserJwtAlgorithm; lifetime: number } {
  if (typeof options !== 'object' || options === null)
    throw new QlikValidationError('signUserJwt: options are required');
  const issues: ValidationIssue[] = [];
  const record = options as unknown as Record<string, unknown>;
  for (const key of ['keyId', 'issuer', 'subject', 'name', 'email']) requireText(record, key, issues);
  if (typeof options.email === 'string' && options.email.trim() !== '' && !/^[^@\s]+@[^@\s]+$/.test(options.email)) {
    issues.push({ path: ['email'], message: 'must be an email address' });
  }
  if (options.emailVerified !== undefined && typeof options.emailVerified !== 'boolean')
    issues.push({ path: ['emailVerified'], message: 'must be a boolean' });
  if (options.groups !== undefined) {
    if (!Array.isArray(options.groups)) issues.push({ path: ['groups'], message: 'must be an array of group names' });
    else
      options.groups.forEach((group, i) => {
        if (typeof group !== 'string' || group.trim() === '')
          issues.push({ path: ['groups', i], message: 'must be a non-empty string' });
      });
  }
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime <= 0) {
    issues.push({
      path: ['lifetimeSeconds'],
      message: 'must be a positive whole number of seconds (a token that is already expired cannot log in)',
    });
  } else if (lifetime > MAX_JWT_LIFETIME_SECONDS) {
    issues.push({
      path: ['lifetimeSeconds'],
      message: `must be at most ${MAX_JWT_LIFETIME_SECONDS} (Qlik refuses exp - nbf over one hour)`,
    });
  }
  if (options.now !== undefined && typeof options.now !== 'function')
    issues.push({ path: ['now'], message: 'must be a function returning epoch ms' });
  const key = privateKeyOf(options.privateKey, issues, crypto);
  const algorithm = key ? algorithmFor(key, options.algorithm, issues) : undefined;
  if (issues.length > 0 || !key || !algorithm) throw new QlikValidationError('signUserJwt: invalid options', issues);
  return { key, algorithm, lifetime };
}

/**
 * Signs the JWT an end user logs in with (`POST /login/jwt-session`, see `createJwtSession`): the claims Qlik's
 * JWT identity provider requires (`iss`, `aud: qlik.api/login/jwt-session`, `sub`, `subType: user`, `name`,
 * `email`, `email_verified`, `groups`, a unique `jti`, `iat`, `nbf`, `exp`) and the `kid` header.
 *
 * Options are validated before anything is signed (`QlikValidationError`); the key never appears in an error.
 *
 * ```ts
 * const jwt = await signUserJwt({ privateKey: pem, keyId: 'partner-key-1', issuer: 'https://partner.example',
 *   subject: 'partner|jo', name: 'Jo', email: 'jo@customer.example', groups: ['Customer A Viewers'] });
 * ```
 */
export async function signUserJwt(options: SignUserJwtOptions): Promise<string> {
  // Loaded on first use, so importing the facade loads neither jose nor node:crypto (and bundles for browsers,
  // where no user JWT is signed: the partner's key stays on its server).
  const crypto = await import('node:crypto');
  const { key, algorithm, lifetime } = validate(options, crypto);
  const { SignJWT } = await import('jose');
  const nowSeconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
  return new SignJWT({
    subType: 'user',
    name: options.name,
    email: options.email,
    email_verified: options.emailVerified ?? true,
    ...(options.groups === undefined ? {} : { groups: [...options.groups] }),
  })
    .setProtectedHeader({ alg: algorithm, kid: options.keyId, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(JWT_SESSION_AUDIENCE)
    .setSubject(options.subject)
    .setJti(crypto.randomUUID())
    .setIssuedAt(nowSeconds)
    .setNotBefore(nowSeconds)
    .setExpirationTime(nowSeconds + lifetime)
    .sign(key);
}
