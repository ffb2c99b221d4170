import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStateFile, type Simulator } from '../src/index.js';
import { call, jwtLogin, SOURCE, SOURCE_CLIENT, src, startStrict, tokenFor } from './helpers.js';

const IMPERSONATION = 'urn:qlik:oauth:user-impersonation';

const impersonationClient = {
  appType: 'web',
  clientName: 'partner-embedding',
  description: 'Backend of the partner product',
  allowedScopes: ['user_default'],
  redirectUris: ['https://app.partner.example/callback'],
  allowedGrantTypes: ['client_credentials', IMPERSONATION],
};

describe('oauth-clients API (strict)', () => {
  let sim: Simulator;
  let admin: string;

  beforeAll(async () => {
    const state = defaultStateFile();
    state.tenants[0]!.users = [...(state.tenants[0]!.users ?? []), { subject: 'linda', name: 'Linda' }];
    sim = await startStrict({ state });
    admin = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
  });
  afterAll(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  const token = (body: Record<string, unknown>) =>
    sim.fetch(src('/oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('creates a web client allowed to impersonate, answers its secret once, and the client gets user tokens', async () => {
    const created = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), impersonationClient);
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };
    expect(clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body).toMatchObject({ appType: 'web', clientName: 'partner-embedding' });

    const read = await call(sim, admin, 'GET', src(`/api/v1/oauth-clients/${clientId}`));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      allowedGrantTypes: ['client_credentials', IMPERSONATION],
      redirectUris: impersonationClient.redirectUris,
      clientSecrets: [{ hint: clientSecret.slice(-4) }],
    });
    expect(JSON.stringify(read.body)).not.toContain(clientSecret);
    const listed = await call(
      sim,
      admin,
      'GET',
      src(`/api/v1/oauth-clients?filter=${encodeURIComponent('clientName eq "partner-embedding"')}`),
    );
    expect(listed.body.data.map((c: { clientId: string }) => c.clientId)).toEqual([clientId]);

    const granted = await token({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: IMPERSONATION,
      user_lookup: { field: 'subject', value: 'linda' },
      scope: 'user_default',
    });
    expect(granted.status).toBe(200);
    const me = await call(
      sim,
      ((await granted.json()) as { access_token: string }).access_token,
      'GET',
      src('/api/v1/users/me'),
    );
    // users/me redirects to the user's own record: the token acts as Linda, not as the client's bot.
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ subject: 'linda', name: 'Linda' });
  });

  it('refuses the impersonation grant to a client whose grants do not include it, until a patch adds it', async () => {
    const created = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), {
      ...impersonationClient,
      clientName: 'm2m-only',
      allowedGrantTypes: ['client_credentials'],
    });
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };
    const ask = () =>
      token({
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: IMPERSONATION,
        user_lookup: { field: 'subject', value: 'linda' },
      });
    const refused = await ask();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errors: [{ title: 'unauthorized_client' }] });

    const patched = await call(sim, admin, 'PATCH', src(`/api/v1/oauth-clients/${clientId}`), [
      { op: 'add', path: '/allowedGrantTypes', value: [IMPERSONATION] },
    ]);
    expect(patched.status).toBe(204);
    expect((await ask()).status).toBe(200);
  });

  it('keeps the spec rules: grants only on web clients, origins only on spa clients; delete needs the confirmation', async () => {
    const spaWithGrants = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), {
      appType: 'spa',
      clientName: 'spa',
      allowedGrantTypes: [IMPERSONATION],
    });
    expect(spaWithGrants.status).toBe(400);
    const webWithOrigins = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), {
      ...impersonationClient,
      clientName: 'web-origins',
      allowedOrigins: ['https://app.partner.example'],
    });
    expect(webWithOrigins.status).toBe(400);

    const created = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), {
      ...impersonationClient,
      clientName: 'short-lived',
    });
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };
    const unconfirmed = await call(sim, admin, 'DELETE', src(`/api/v1/oauth-clients/${clientId}`), undefined, {
      'qlik-confirm-delete': 'someone-else',
    });
    expect(unconfirmed.status).toBe(400);
    const deleted = await call(sim, admin, 'DELETE', src(`/api/v1/oauth-clients/${clientId}`), undefined, {
      'qlik-confirm-delete': clientId,
    });
    expect(deleted.status).toBe(204);
    expect((await call(sim, admin, 'GET', src(`/api/v1/oauth-clients/${clientId}`))).status).toBe(404);
    const afterDelete = await token({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    expect(afterDelete.status).toBe(401);
  });

  it('rotates secrets: a new one works at once, a deleted one no longer does; at most 5', async () => {
    const created = await call(sim, admin, 'POST', src('/api/v1/oauth-clients'), {
      ...impersonationClient,
      clientName: 'rotated',
    });
    const { clientId, clientSecret: first } = created.body as { clientId: string; clientSecret: string };
    const added = await call(sim, admin, 'POST', src(`/api/v1/oauth-clients/${clientId}/client-secrets`));
    expect(added.status).toBe(201);
    const second = (added.body as { clientSecret: string }).clientSecret;
    const m2m = (secret: string) =>
      token({ client_id: clientId, client_secret: secret, grant_type: 'client_credentials' });
    expect((await m2m(second)).status).toBe(200);
    const removed = await call(
      sim,
      admin,
      'DELETE',
      src(`/api/v1/oauth-clients/${clientId}/client-secrets/${first.slice(-4)}`),
    );
    expect(removed.status).toBe(204);
    expect((await m2m(first)).status).toBe(401);
    for (let i = 0; i < 4; i++)
      expect((await call(sim, admin, 'POST', src(`/api/v1/oauth-clients/${clientId}/client-secrets`))).status).toBe(
        201,
      );
    expect((await call(sim, admin, 'POST', src(`/api/v1/oauth-clients/${clientId}/client-secrets`))).status).toBe(409);
  });

  it('lets only a TenantAdmin create clients; other users read them without secrets or URIs', async () => {
    const user = await jwtLogin(sim, admin, SOURCE, 'john');
    const asUser = (method: string, path: string, body?: unknown) =>
      sim.fetch(src(path), {
        method,
        headers: {
          cookie: user.cookie,
          'qlik-csrf-token': user.csrf,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const refused = await asUser('POST', '/api/v1/oauth-clients', { ...impersonationClient, clientName: 'by-john' });
    expect(refused.status).toBe(403);
    const listed = await asUser('GET', '/api/v1/oauth-clients');
    expect(listed.status).toBe(200);
    const data = ((await listed.json()) as { data: Array<Record<string, unknown>> }).data;
    expect(data.length).toBeGreaterThan(0);
    for (const client of data) {
      expect(client).not.toHaveProperty('clientSecrets');
      expect(client).not.toHaveProperty('redirectUris');
    }
  });
});
