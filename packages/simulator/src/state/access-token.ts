/**
 * Access tokens shaped as Qlik's are: a JWT (`header.payload.signature`, base64url, ES256) with `sub`,
 * `iat`, `exp`, `iss`, the tenant and the granted `scope`, so clients and scripts that decode a token
 * or pass it through a shell see what they see in production. A JWT always starts with `eyJ` (never
 * with `-`). The simulator still looks tokens up by their whole text; the signature only makes the
 * shape honest. Claim names beyond the registered ones are unverified.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

export interface AccessTokenClaims {
  /** The user id (tenant tokens) or the client id (registration tokens). */
  sub: string;
  subType: 'user' | 'client';
  /** Absent on the registration host. */
  tenantId?: string;
  client_id: string;
  scope: string;
  /** `https://<host>` of the issuing host. */
  iss: string;
  /** Epoch seconds. */
  iat: number;
  exp: number;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class AccessTokenSigner {
  readonly #key: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  readonly #kid = randomUUID();

  sign(claims: AccessTokenClaims): string {
    const input = `${encode({ alg: 'ES256', kid: this.#kid, typ: 'JWT' })}.${encode({ ...claims, aud: 'qlik.api', jti: randomUUID() })}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.#key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}
