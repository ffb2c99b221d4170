import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '../src/index.js';
import { SOURCE, src, useStrictSource } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ISSUER = 'https://partner.example';

describe('POST /login/jwt-session (strict)', () => {
  const t = useStrictSource();

  beforeAll(async () => {
    const tenantId = t.tenantId;
    const idp = await t.call('POST', '/api/v1/identity-providers', {
      protocol: 'jwtAuth',
      provider: 'external',
      tenantIds: [tenantId],
      options: {
        issuer: ISSUER,
        staticKeys: [{ kid: 'k1', pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
      },
    });
    expect(idp.status).toBe(201);
    await t.call('PATCH', '/api/v1/groups/settings', [{ op: 'replace', path: '/autoCreateGroups', value: true }]);
  });

  const sign = (
    claims: Record<string, unknown> = {},
    options: { aud?: string; lifetimeS?: number; kid?: string } = {},
  ): Promise<string> => {
    const now = Math.floor(t.sim.clock.now() / 1000);
    return new SignJWT({
      subType: 'user',
      name: 'Jo User',
      email: 'jo@customer.example',
      email_verified: true,
      groups: ['Customer A Viewers'],
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
      .setIssuer(ISSUER)
      .setAudience(options.aud ?? 'qlik.api/login/jwt-session')
      .setSubject('partner|jo')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (options.lifetimeS ?? 300))
      .sign(privateKey);
  };
  const login = (jwt: string): Promise<Response> =>
    t.sim.fetch(src('/login/jwt-session'), { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });

  it('exchanges a partner JWT for session cookies, creating the user and its IdP groups', async () => {
    const res = await login(await sign());
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['eas.sid', '_csrfToken']);
    const users = await t.call('GET', `/api/v1/users?filter=${encodeURIComponent('subject eq "partner|jo"')}`);
    expect(users.body.data).toHaveLength(1);
    expect(users.body.data[0].assignedGroups.map((g: { name: string }) => g.name)).toEqual(['Customer A Viewers']);
    const groups = await t.call('GET', `/api/v1/groups?filter=${encodeURIComponent('name eq "Customer A Viewers"')}`);
    expect(groups.body.data).toHaveLength(1);
  });

  it('refuses a replayed JWT, a wrong audience, an unknown key, a lifetime over one hour and HS256', async () => {
    const jwt = await sign();
    expect((await login(jwt)).status).toBe(200);
    expect((await login(jwt)).status).toBe(401);
    expect((await login(await sign({}, { aud: 'qlik.api' }))).status).toBe(401);
    expect((await login(await sign({}, { kid: 'other' }))).status).toBe(401);
    expect((await login(await sign({}, { lifetimeS: 7200 }))).status).toBe(401);
    const hs = await new SignJWT({ subType: 'user' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('qlik.api/login/jwt-session')
      .setSubject('x')
      .setJti('j')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    const res = await login(hs);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('LOGIN-1');
  });

  it('refuses a JWT without a required claim with 400 INTERNAL-TOKEN-1, naming the claim, as Qlik does', async () => {
    const now = Math.floor(t.sim.clock.now() / 1000);
    const full: Record<string, unknown> = {
      iss: ISSUER,
      aud: 'qlik.api/login/jwt-session',
      sub: 'partner|claims',
      subType: 'user',
      jti: '',
      iat: now,
      nbf: now,
      exp: now + 300,
    };
    for (const claim of ['iss', 'aud', 'sub', 'subType', 'jti', 'iat', 'nbf', 'exp']) {
      const claims: Record<string, unknown> = { ...full, jti: randomUUID() };
      delete claims[claim];
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
      const res = await login(jwt);
      expect(res.status, claim).toBe(400);
      const body = (await res.json()) as { errors: Array<Record<string, string>> };
      expect(body.errors[0], claim).toEqual({
        code: 'INTERNAL-TOKEN-1',
        title: 'Invalid token request',
        detail: `JWT_LOGIN_VALIDATIONS Missing required claim: ${claim}`,
        status: '400',
      });
    }
  });

  it('refuses an expired JWT, a wrong issuer and a bad signature with 401 LOGIN-1 saying why', async () => {
    const expired = await sign({}, { lifetimeS: -60 });
    const why = async (jwt: string): Promise<string> => {
      const res = await login(jwt);
      expect(res.status).toBe(401);
      const item = ((await res.json()) as { errors: Array<{ code: string; detail: string }> }).errors[0];
      expect(item?.code).toBe('LOGIN-1');
      return item?.detail ?? '';
    };
    expect(await why(expired)).toMatch(/"exp"/);
    const now = Math.floor(t.sim.clock.now() / 1000);
    const foreign = await new SignJWT({ subType: 'user' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://someone-else.example')
      .setAudience('qlik.api/login/jwt-session')
      .setSubject('partner|jo')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    expect(await why(foreign)).toMatch(/issuer and key id/);
    const [head, body] = (await sign()).split('.');
    expect(await why(`${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`)).toMatch(/signature/);
  });

  it('takes the IdP key as a one-line PEM (breaks lost, spaces or literal \\n) and as a certificate', async () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const tenantId = t.sim.state.tenantByHost(SOURCE)?.id;
    const variants = [pem.replace(/\n/g, ''), pem.replace(/\n/g, ' '), pem.replace(/\n/g, '\\n')];
    for (const [i, oneLine] of variants.entries()) {
      const idp = await t.call('POST', '/api/v1/identity-providers', {
        protocol: 'jwtAuth',
        provider: 'external',
        tenantIds: [tenantId],
        options: { issuer: `${ISSUER}/one-line-${i}`, staticKeys: [{ kid: `one-line-${i}`, pem: oneLine }] },
      });
      expect(idp.status, oneLine.slice(0, 40)).toBe(201);
    }
    const now = Math.floor(t.sim.clock.now() / 1000);
    const jwt = await new SignJWT({ subType: 'user', name: 'Ann', email: 'ann@customer.example' })
      .setProtectedHeader({ alg: 'RS256', kid: 'one-line-0' })
      .setIssuer(`${ISSUER}/one-line-0`)
      .setAudience('qlik.api/login/jwt-session')
      .setSubject('partner|ann')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    expect((await login(jwt)).status).toBe(200);

    const ca = await createCertificateAuthority();
    const certificate = await t.call('POST', '/api/v1/identity-providers', {
      protocol: 'jwtAuth',
      provider: 'external',
      tenantIds: [tenantId],
      options: { issuer: `${ISSUER}/cert`, staticKeys: [{ kid: 'cert', pem: ca.caPem.replace(/\n/g, '') }] },
    });
    expect(certificate.status).toBe(201);
    // A private key is no public key, even though one can be derived from it.
    const leaked = await t.call('POST', '/api/v1/identity-providers', {
      protocol: 'jwtAuth',
      provider: 'external',
      tenantIds: [tenantId],
      options: {
        issuer: `${ISSUER}/private`,
        staticKeys: [{ kid: 'private', pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }],
      },
    });
    expect(leaked.status).toBe(400);
  });
});
