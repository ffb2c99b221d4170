import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStateFile, type Simulator } from '../src/index.js';
import { call, jwtLogin, SOURCE, SOURCE_CLIENT, src, startStrict, tokenFor } from './helpers.js';

const IMPERSONATOR = { client_id: 'sim-impersonator', client_secret: 'sim-impersonator-secret' };
const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('POST /oauth/token (strict)', () => {
  let sim: Simulator;

  beforeAll(async () => {
    const state = defaultStateFile();
    state.oauthClients.push({
      clientId: IMPERSONATOR.client_id,
      clientSecret: IMPERSONATOR.client_secret,
      tenant: SOURCE,
      scopes: ['user_default'],
      allowedGrantTypes: ['client_credentials', 'urn:qlik:oauth:user-impersonation'],
    });
    sim = await startStrict({ state });
  });
  afterAll(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  const post = (body: string, headers: Record<string, string>) =>
    sim.fetch(src('/oauth/token'), { method: 'POST', headers, body });

  it('authenticates the client with HTTP Basic (client_secret_basic), JSON or form body', async () => {
    const auth = basic(SOURCE_CLIENT.client_id, SOURCE_CLIENT.client_secret);
    const asJson = await post(JSON.stringify({ grant_type: 'client_credentials' }), {
      authorization: auth,
      'content-type': 'application/json',
    });
    expect(asJson.status).toBe(200);
    const asForm = await post('grant_type=client_credentials', {
      authorization: auth,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(asForm.status).toBe(200);
    const token = ((await asForm.json()) as { access_token: string }).access_token;
    expect((await call(sim, token, 'GET', src('/api/v1/users/me'))).status).toBe(200);
    const wrong = await post('grant_type=client_credentials', {
      authorization: basic(SOURCE_CLIENT.client_id, 'not-the-secret'),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(wrong.status).toBe(401);
  });

  it('takes the credentials in a form body (client_secret_post), and refuses two methods at once', async () => {
    const form = new URLSearchParams({ ...SOURCE_CLIENT, grant_type: 'client_credentials' }).toString();
    expect((await post(form, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    const both = await post(form, {
      authorization: basic(SOURCE_CLIENT.client_id, SOURCE_CLIENT.client_secret),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(both.status).toBe(400);
  });

  it('issues JWT-shaped access tokens with sub, tenant, scope, iat and exp, never starting with "-"', async () => {
    const tokens = await Promise.all(Array.from({ length: 64 }, () => tokenFor(sim, SOURCE, SOURCE_CLIENT)));
    for (const token of tokens) {
      expect(token).toMatch(/^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    }
    const [header, payload] = (tokens[0] ?? '')
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    const bot = sim.state.tenantByHost(SOURCE)?.findUserBy((u) => u.clientId === SOURCE_CLIENT.client_id);
    expect(payload).toMatchObject({
      sub: bot?.id,
      tenantId: sim.state.tenantByHost(SOURCE)?.id,
      iss: `https://${SOURCE}`,
      scope: 'admin_classic user_default',
    });
    expect(Number(payload?.exp) - Number(payload?.iat)).toBe(6 * 3600);
  });

  it('impersonates a user (urn:qlik:oauth:user-impersonation): the token acts with their groups and space roles', async () => {
    const bot = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
    const viewer = await jwtLogin(sim, bot, SOURCE, 'partner|impersonated', ['Impersonated Viewers']);
    const groups = await call(
      sim,
      bot,
      'GET',
      src(`/api/v1/groups?filter=${encodeURIComponent('name eq "Impersonated Viewers"')}`),
    );
    const spaces = await call(sim, bot, 'GET', src('/api/v1/spaces?name=Templates'));
    const spaceId = spaces.body.data[0].id as string;
    const appId = (await call(sim, bot, 'GET', src(`/api/v1/items?spaceId=${spaceId}`))).body.data[0].resourceId;
    const impersonate = (lookup: Record<string, string>, client = IMPERSONATOR) =>
      post(JSON.stringify({ ...client, grant_type: 'urn:qlik:oauth:user-impersonation', user_lookup: lookup }), {
        'content-type': 'application/json',
      });

    const issued = await impersonate({ field: 'subject', value: 'partner|impersonated' });
    expect(issued.status).toBe(200);
    const token = ((await issued.json()) as { access_token: string; scope: string }).access_token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: viewer.userId, scope: 'user_default' });
    expect((await call(sim, token, 'GET', src(`/api/v1/users/${viewer.userId}`))).status).toBe(200);
    expect((await call(sim, token, 'GET', src(`/api/v1/apps/${appId}`))).status).toBe(403);
    await call(sim, bot, 'POST', src(`/api/v1/spaces/${spaceId}/assignments`), {
      type: 'group',
      assigneeId: groups.body.data[0].id,
      roles: ['consumer'],
    });
    expect((await call(sim, token, 'GET', src(`/api/v1/apps/${appId}`))).status).toBe(200);
    // The user is no administrator, and neither is the token.
    expect((await call(sim, token, 'GET', src('/api/v1/users'))).status).toBe(403);

    const byId = await impersonate({ field: 'userId', value: viewer.userId });
    expect(byId.status).toBe(200);
    expect((await impersonate({ field: 'subject', value: 'partner|nobody' })).status).toBe(400);
    // A client without the grant may not impersonate.
    expect((await impersonate({ field: 'subject', value: 'partner|impersonated' }, SOURCE_CLIENT)).status).toBe(400);
  });

  it('judges a request with both a session cookie and an Authorization header by the session', async () => {
    const bot = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
    const user = await jwtLogin(sim, bot, SOURCE, 'partner|cookie-and-header');
    const res = await sim.fetch(src(`/api/v1/users/${user.userId}`), {
      headers: { cookie: user.cookie, authorization: 'Bearer the-jwt-the-page-still-sends' },
    });
    expect(res.status).toBe(200);
    const headerOnly = await sim.fetch(src(`/api/v1/users/${user.userId}`), {
      headers: { authorization: 'Bearer the-jwt-the-page-still-sends' },
    });
    expect(headerOnly.status).toBe(401);
  });
});
