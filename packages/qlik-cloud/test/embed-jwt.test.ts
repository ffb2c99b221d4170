import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { isQlikAuthError, isQlikValidationError, type QlikValidationError } from '@qlik-oem/core';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtSession, JWT_SESSION_AUDIENCE, signUserJwt, type SignUserJwtOptions } from '../src/index.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const EC_PEM = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const base: SignUserJwtOptions = {
  privateKey: RSA_PEM,
  keyId: 'partner-key-1',
  issuer: 'https://partner.example',
  subject: 'partner|jo',
  name: 'Jo User',
  email: 'jo@customer.example',
  groups: ['Customer A Viewers'],
};

async function validationError(options: unknown): Promise<QlikValidationError> {
  const error = await signUserJwt(options as SignUserJwtOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isQlikValidationError(error)).toBe(true);
  return error as QlikValidationError;
}

describe('signUserJwt', () => {
  it('signs the claims and kid Qlik requires, with RS256 from an RSA key', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const jwt = await signUserJwt({ ...base, now: () => now });
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: 'partner-key-1' });
    const { payload } = await jwtVerify(jwt, rsa.publicKey, {
      audience: JWT_SESSION_AUDIENCE,
      issuer: base.issuer,
      currentDate: new Date(now),
    });
    expect(payload).toMatchObject({
      iss: 'https://partner.example',
      aud: 'qlik.api/login/jwt-session',
      sub: 'partner|jo',
      subType: 'user',
      name: 'Jo User',
      email: 'jo@customer.example',
      email_verified: true,
      groups: ['Customer A Viewers'],
      iat: now / 1000,
      nbf: now / 1000,
      exp: now / 1000 + 300,
    });
    expect(typeof payload.jti).toBe('string');
  });

  it('infers ES256 from a P-256 key, accepts a KeyObject and gives every token a new jti', async () => {
    const first = await signUserJwt({ ...base, privateKey: ec.privateKey, lifetimeSeconds: 3600 });
    const second = await signUserJwt({ ...base, privateKey: EC_PEM });
    expect(decodeProtectedHeader(first).alg).toBe('ES256');
    const a = await jwtVerify(first, ec.publicKey, { audience: JWT_SESSION_AUDIENCE });
    const b = await jwtVerify(
      second,
      await importSPKI(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256'),
    );
    expect(a.payload.exp! - a.payload.nbf!).toBe(3600);
    expect(a.payload.jti).not.toBe(b.payload.jti);
  });

  it('refuses a public key, a symmetric key, HS algorithms and a key that does not match the algorithm', async () => {
    expect((await validationError({ ...base, privateKey: RSA_PUBLIC_PEM })).message).toMatch(
      /privateKey: is a public key/,
    );
    expect((await validationError({ ...base, privateKey: rsa.publicKey })).message).toMatch(
      /privateKey: is a public key/,
    );
    expect((await validationError({ ...base, privateKey: createSecretKey(Buffer.alloc(32, 1)) })).message).toMatch(
      /symmetric/,
    );
    expect((await validationError({ ...base, algorithm: 'HS256' })).message).toMatch(
      /algorithm: HS algorithms are symmetric/,
    );
    expect((await validationError({ ...base, algorithm: 'ES256' })).message).toMatch(
      /algorithm: ES256 does not match the key, which signs RS256/,
    );
    expect((await validationError({ ...base, privateKey: EC_PEM, algorithm: 'RS256' })).message).toMatch(
      /does not match/,
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    expect((await validationError({ ...base, privateKey: p384 })).message).toMatch(/curve secp384r1/);
    expect(
      (
        await validationError({
          ...base,
          privateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----',
        })
      ).message,
    ).toMatch(/could not be parsed/);
  });

  it('refuses a zero, negative, fractional or over-one-hour lifetime and a missing kid', async () => {
    for (const lifetimeSeconds of [0, -60, 1.5, 3601]) {
      const error = await validationError({ ...base, lifetimeSeconds });
      expect(error.issues.map((i) => i.path.join('.'))).toEqual(['lifetimeSeconds']);
    }
    expect((await validationError({ ...base, keyId: '' })).issues.map((i) => i.path[0])).toEqual(['keyId']);
    const { keyId: _omitted, ...withoutKid } = base;
    expect((await validationError(withoutKid)).issues.map((i) => i.path[0])).toEqual(['keyId']);
    expect(
      (await validationError({ ...base, email: 'not-an-email', groups: ['ok', ''] })).issues.map((i) =>
        i.path.join('.'),
      ),
    ).toEqual(['email', 'groups.1']);
  });

  it('never shows the private key in an error or its inspect output', async () => {
    const body = RSA_PEM.split('\n')[1]!;
    for (const options of [
      { ...base, keyId: '' },
      { ...base, algorithm: 'HS256' },
      { ...base, privateKey: RSA_PEM.replace(body, 'garbage') },
    ]) {
      const error = await validationError(options);
      expect(`${error.message}\n${inspect(error)}\n${JSON.stringify(error)}`).not.toContain(body.slice(0, 20));
    }
  });
});

describe('createJwtSession (injected fetch)', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('posts the JWT as bearer token and returns the cookies and CSRF token, redacted in inspect', async () => {
    const seen: Request[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(new Request(input, init));
      const headers = new Headers();
      headers.append('set-cookie', 'eas.sid=session-value-123; Path=/; HttpOnly; Secure; SameSite=None');
      headers.append('set-cookie', '_csrfToken=csrf-value-456; Path=/; Secure; SameSite=None');
      return new Response('{}', { status: 200, headers });
    };
    const session = await createJwtSession({
      host: 'acme.eu.qlikcloud.com',
      jwt,
      fetch: fetch,
    });
    expect(seen[0]?.url).toBe('https://acme.eu.qlikcloud.com/login/jwt-session');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${jwt}`);
    expect(session.host).toBe('acme.eu.qlikcloud.com');
    expect(session.cookies.map((c) => [c.name, c.value])).toEqual([
      ['eas.sid', 'session-value-123'],
      ['_csrfToken', 'csrf-value-456'],
    ]);
    expect(session.setCookieHeaders[0]).toContain('HttpOnly');
    expect(session.csrfToken).toBe('csrf-value-456');
    expect(session.cookieHeader).toBe('eas.sid=session-value-123; _csrfToken=csrf-value-456');
    const shown = `${inspect(session)} ${JSON.stringify(session)}`;
    expect(shown).toContain('eas.sid');
    expect(shown).not.toContain('session-value-123');
    expect(shown).not.toContain('csrf-value-456');
  });

  it("turns a refusal into QlikAuthError with Qlik's code and detail, without the JWT", async () => {
    const fetch = async () =>
      Response.json(
        {
          errors: [
            {
              code: 'LOGIN-1',
              title: 'Unauthorized',
              detail: 'The JWT is not valid: "exp" claim timestamp check failed',
            },
          ],
        },
        { status: 401 },
      );
    const error = await createJwtSession({
      host: 'acme.eu.qlikcloud.com',
      jwt,
      fetch: fetch,
    }).catch((e: unknown) => e);
    expect(isQlikAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, code: 'LOGIN-1', detail: expect.stringContaining('exp') });
    expect(`${String(error)} ${inspect(error)} ${JSON.stringify(error)}`).not.toContain(jwt);
  });

  it('validates host and jwt before any request', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response(null, { status: 500 });
    }) as typeof globalThis.fetch;
    for (const options of [
      { host: 'http://acme.eu.qlikcloud.com', jwt },
      { host: 'acme.eu.qlikcloud.com/path', jwt },
      { host: 'acme.eu.qlikcloud.com', jwt: 'not a jwt' },
      { host: 'acme.eu.qlikcloud.com', jwt: '' },
    ]) {
      const error = await createJwtSession({ ...options, fetch }).catch((e: unknown) => e);
      expect(isQlikValidationError(error)).toBe(true);
    }
    expect(calls).toBe(0);
  });
});
