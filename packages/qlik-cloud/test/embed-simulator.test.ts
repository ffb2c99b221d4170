import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { isQlikAuthError, isQlikValidationError } from '@qlik-oem/core';
import type { Simulator } from '@qlik-oem/simulator';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtSession, signUserJwt, unwrap, type QlikCloud, type SignUserJwtOptions } from '../src/index.js';
import { HOST, startSimulatedTenant } from './simulated-tenant.js';

const ISSUER = 'https://partner.example';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

let sim: Simulator;
let qc: QlikCloud;

async function addJwtIdentityProvider(kid: string, publicKey: KeyObject, issuer: string): Promise<void> {
  const me = unwrap(await qc.users.GET('/api/v1/users/me'));
  unwrap(
    await qc.identityProviders.POST('/api/v1/identity-providers', {
      body: {
        protocol: 'jwtAuth',
        provider: 'external',
        tenantIds: [me.tenantId],
        options: { issuer, staticKeys: [{ kid, pem: pem(publicKey) }] },
      },
    }),
  );
}

beforeAll(async () => {
  ({ sim, qc } = await startSimulatedTenant());
  // One key per identity provider (Qlik's limit), so RS256 and ES256 each get their own issuer.
  await addJwtIdentityProvider('rsa-key', rsa.publicKey, ISSUER);
  await addJwtIdentityProvider('ec-key', ec.publicKey, `${ISSUER}/ec`);
  unwrap(
    await qc.groups.PATCH('/api/v1/groups/settings', {
      body: [{ op: 'replace', path: '/autoCreateGroups', value: true }],
    }),
  );
});
afterAll(async () => {
  await sim?.close();
});

const user = (overrides: Partial<SignUserJwtOptions> = {}): SignUserJwtOptions => ({
  privateKey: rsa.privateKey,
  keyId: 'rsa-key',
  issuer: ISSUER,
  subject: 'partner|jo',
  name: 'Jo User',
  email: 'jo@customer.example',
  groups: ['Customer A Viewers', 'Customer A Editors'],
  now: () => sim.clock.now(),
  ...overrides,
});

/** What the end user's browser sees: `/users/me` with the session cookie (followed to the user resource). */
async function me(cookieHeader: string): Promise<Response> {
  return sim.nodeFetch(`https://${HOST}/api/v1/users/me`, { headers: { cookie: cookieHeader } });
}

describe('end-user login with a partner-signed JWT (simulator, strict)', () => {
  it('RS256: logs in and sees its groups through the session cookie', async () => {
    const session = await createJwtSession({ host: HOST, jwt: await signUserJwt(user()), fetch: sim.nodeFetch });
    expect(session.cookies.map((c) => c.name)).toEqual(['eas.sid', '_csrfToken']);
    expect(session.csrfToken).toBeTruthy();
    const response = await me(session.cookieHeader);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subject: string; email: string; assignedGroups: Array<{ name: string }> };
    expect(body.subject).toBe('partner|jo');
    expect(body.email).toBe('jo@customer.example');
    expect(body.assignedGroups.map((g) => g.name).sort()).toEqual(['Customer A Editors', 'Customer A Viewers']);
  });

  it('ES256: logs in another user with an EC key', async () => {
    const jwt = await signUserJwt(
      user({
        privateKey: ec.privateKey,
        keyId: 'ec-key',
        issuer: `${ISSUER}/ec`,
        subject: 'partner|kim',
        email: 'kim@customer.example',
        groups: ['Customer B'],
      }),
    );
    const session = await createJwtSession({ host: HOST, jwt, fetch: sim.nodeFetch });
    const body = (await (await me(session.cookieHeader)).json()) as {
      subject: string;
      assignedGroups: Array<{ name: string }>;
    };
    expect(body.subject).toBe('partner|kim');
    expect(body.assignedGroups.map((g) => g.name)).toEqual(['Customer B']);
  });

  it('a write with the session cookie needs the CSRF token header', async () => {
    const session = await createJwtSession({ host: HOST, jwt: await signUserJwt(user()), fetch: sim.nodeFetch });
    // An app in Jo's personal space: a write every user may do (creating spaces needs a creator role).
    const createApp = (headers: Record<string, string>) =>
      sim.nodeFetch(`https://${HOST}/api/v1/apps`, {
        method: 'POST',
        headers: { cookie: session.cookieHeader, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ attributes: { name: `Jo's app ${randomUUID()}` } }),
      });
    expect((await createApp({})).status).toBe(401);
    expect((await createApp({ 'qlik-csrf-token': session.csrfToken! })).status).toBe(200);
  });

  it('without a session cookie, /users/me is refused', async () => {
    expect((await me('eas.sid=not-a-session')).status).toBe(401);
  });

  it('refuses tampered, expired, wrong-audience, wrong-kid and replayed tokens with QlikAuthError', async () => {
    const now = Math.floor(sim.clock.now() / 1000);
    const handCrafted = (claims: { aud?: string; iat?: number; exp?: number }, kid = 'rsa-key') =>
      new SignJWT({ subType: 'user', name: 'Jo User', email: 'jo@customer.example', email_verified: true })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ISSUER)
        .setAudience(claims.aud ?? 'qlik.api/login/jwt-session')
        .setSubject('partner|jo')
        .setJti(randomUUID())
        .setIssuedAt(claims.iat ?? now)
        .setNotBefore(claims.iat ?? now)
        .setExpirationTime(claims.exp ?? now + 300)
        .sign(rsa.privateKey);

    const valid = await signUserJwt(user());
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, groups: ['Admins'] })).toString('base64url')}.${signature}`;

    const refused = {
      tampered,
      expired: await handCrafted({ iat: now - 900, exp: now - 600 }),
      wrongAudience: await handCrafted({ aud: 'qlik.api' }),
      wrongKid: await handCrafted({}, 'unknown-key'),
    };
    for (const [label, jwt] of Object.entries(refused)) {
      const error = await createJwtSession({ host: HOST, jwt, fetch: sim.nodeFetch }).catch((e: unknown) => e);
      expect(isQlikAuthError(error), label).toBe(true);
      expect(error, label).toMatchObject({ status: 401, code: 'LOGIN-1' });
      expect(JSON.stringify(error), label).not.toContain(jwt);
    }
    // A JWT can be exchanged once (jti).
    await createJwtSession({ host: HOST, jwt: valid, fetch: sim.nodeFetch });
    expect(
      isQlikAuthError(
        await createJwtSession({ host: HOST, jwt: valid, fetch: sim.nodeFetch }).catch((e: unknown) => e),
      ),
    ).toBe(true);
  });

  it('rejects bad input before any request', async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return sim.nodeFetch(input, init);
    };
    expect(isQlikValidationError(await signUserJwt(user({ lifetimeSeconds: 7200 })).catch((e: unknown) => e))).toBe(
      true,
    );
    for (const jwt of ['x.y', '', 'a.b.c d']) {
      expect(
        isQlikValidationError(await createJwtSession({ host: HOST, jwt, fetch: counting }).catch((e: unknown) => e)),
      ).toBe(true);
    }
    expect(
      isQlikValidationError(
        await createJwtSession({ host: `http://${HOST}`, jwt: await signUserJwt(user()), fetch: counting }).catch(
          (e: unknown) => e,
        ),
      ),
    ).toBe(true);
    expect(requests).toBe(0);
  });

  it('sent and received only spec-valid traffic', () => {
    expect(sim.violations).toEqual([]);
  });
});
