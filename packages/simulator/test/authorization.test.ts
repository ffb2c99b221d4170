import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { call, callAs, jwtLogin, SOURCE, SOURCE_CLIENT, src, startStrict, tokenFor } from './helpers.js';

async function scopedToken(sim: Simulator, scope: string): Promise<string> {
  const res = await sim.fetch(src('/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...SOURCE_CLIENT, grant_type: 'client_credentials', scope }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('authorization of tenant administration (strict)', () => {
  let sim: Simulator;
  let admin: string;

  beforeAll(async () => {
    sim = await startStrict();
    admin = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
  });
  afterAll(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('answers 403 to an end user without TenantAdmin on users, roles, IdPs, licenses and group writes', async () => {
    const user = await jwtLogin(sim, admin, SOURCE, 'partner|plain-user');
    for (const path of ['/api/v1/users', '/api/v1/roles', '/api/v1/identity-providers', '/api/v1/licenses/overview']) {
      const res = await callAs(sim, user, 'GET', src(path));
      expect(res.status, path).toBe(403);
      expect(res.body.errors[0]).toMatchObject({ code: 'HTTP-403', title: 'Forbidden' });
    }
    expect((await callAs(sim, user, 'POST', src('/api/v1/groups'), { name: 'Mine' })).status).toBe(403);
    expect((await callAs(sim, user, 'POST', src('/api/v1/web-integrations'), { name: 'w' })).status).toBe(403);
    // What every user may do.
    expect((await callAs(sim, user, 'GET', src(`/api/v1/users/${user.userId}`))).status).toBe(200);
    expect((await callAs(sim, user, 'GET', src('/api/v1/groups'))).status).toBe(200);
    expect((await callAs(sim, user, 'GET', src('/api/v1/themes'))).status).toBe(200);
    // Another user's record is an administrator's business.
    const other = await jwtLogin(sim, admin, SOURCE, 'partner|other-user');
    expect((await callAs(sim, user, 'GET', src(`/api/v1/users/${other.userId}`))).status).toBe(403);
  });

  it('lets the same end user administer once a group it belongs to has TenantAdmin', async () => {
    await jwtLogin(sim, admin, SOURCE, 'partner|first', ['Tenant Admins']);
    const groups = await call(
      sim,
      admin,
      'GET',
      src(`/api/v1/groups?filter=${encodeURIComponent('name eq "Tenant Admins"')}`),
    );
    const groupId = groups.body.data[0].id as string;
    const patched = await call(sim, admin, 'PATCH', src(`/api/v1/groups/${groupId}`), [
      { op: 'replace', path: 'assignedRoles', value: [{ name: 'TenantAdmin' }] },
    ]);
    expect(patched.status).toBe(204);
    const member = await jwtLogin(sim, admin, SOURCE, 'partner|group-admin', ['Tenant Admins']);
    expect((await callAs(sim, member, 'GET', src('/api/v1/roles'))).status).toBe(200);
    const outsider = await jwtLogin(sim, admin, SOURCE, 'partner|not-in-group', ['Viewers']);
    expect((await callAs(sim, outsider, 'GET', src('/api/v1/roles'))).status).toBe(403);
  });

  it('restricts a TenantAdmin bot by its token scopes: user_default cannot administer', async () => {
    const userScoped = await scopedToken(sim, 'user_default');
    const idp = await call(sim, userScoped, 'GET', src('/api/v1/identity-providers'));
    expect(idp.status).toBe(403);
    expect(idp.body.errors[0].detail).toContain('admin_classic');
    expect((await call(sim, userScoped, 'GET', src('/api/v1/spaces'))).status).toBe(200);
    const adminScoped = await scopedToken(sim, 'admin_classic');
    expect((await call(sim, adminScoped, 'GET', src('/api/v1/identity-providers'))).status).toBe(200);
  });
});

describe('authorization of content by space roles (strict)', () => {
  let sim: Simulator;
  let bot: string;
  let templateAppId: string;
  let templatesSpaceId: string;

  const assign = async (spaceId: string, type: 'user' | 'group', assigneeId: string, roles: string[]) => {
    const res = await call(sim, bot, 'POST', src(`/api/v1/spaces/${spaceId}/assignments`), { type, assigneeId, roles });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const groupId = async (name: string): Promise<string> => {
    const res = await call(sim, bot, 'GET', src(`/api/v1/groups?filter=${encodeURIComponent(`name eq "${name}"`)}`));
    return res.body.data[0].id as string;
  };
  const botId = (): string =>
    sim.state.tenantByHost(SOURCE)?.findUserBy((u) => u.clientId === SOURCE_CLIENT.client_id)?.id ?? '';

  beforeAll(async () => {
    sim = await startStrict();
    bot = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
    // The seeded "Templates" shared space and its app belong to the seeded Template Admin, not to the bot.
    const spaces = await call(sim, bot, 'GET', src('/api/v1/spaces?name=Templates'));
    templatesSpaceId = spaces.body.data[0].id;
    const items = await call(sim, bot, 'GET', src(`/api/v1/items?spaceId=${templatesSpaceId}`));
    templateAppId = items.body.data[0].resourceId;
  });
  afterAll(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('hides a shared space and its app from an end user without a role, and shows them once its group has one', async () => {
    const viewer = await jwtLogin(sim, bot, SOURCE, 'partner|viewer', ['Customer Viewers']);
    expect((await callAs(sim, viewer, 'GET', src(`/api/v1/apps/${templateAppId}`))).status).toBe(403);
    expect((await callAs(sim, viewer, 'GET', src('/api/v1/items'))).body.data).toEqual([]);
    expect((await callAs(sim, viewer, 'GET', src('/api/v1/spaces'))).body.data).toEqual([]);
    expect((await callAs(sim, viewer, 'GET', src(`/api/v1/spaces/${templatesSpaceId}`))).status).toBe(403);

    await assign(templatesSpaceId, 'group', await groupId('Customer Viewers'), ['consumer']);
    expect((await callAs(sim, viewer, 'GET', src(`/api/v1/apps/${templateAppId}`))).status).toBe(200);
    const items = await callAs(sim, viewer, 'GET', src('/api/v1/items'));
    expect(items.body.data.map((i: { resourceId: string }) => i.resourceId)).toEqual([templateAppId]);
    const space = await callAs(sim, viewer, 'GET', src(`/api/v1/spaces/${templatesSpaceId}`));
    expect(space.body.meta.roles).toEqual(['consumer']);
    // Can view is not Can edit: no export, no delete, no members.
    expect((await callAs(sim, viewer, 'POST', src(`/api/v1/apps/${templateAppId}/export`))).status).toBe(403);
    expect((await callAs(sim, viewer, 'DELETE', src(`/api/v1/apps/${templateAppId}`))).status).toBe(403);
    const selfAssign = await callAs(sim, viewer, 'POST', src(`/api/v1/spaces/${templatesSpaceId}/assignments`), {
      type: 'user',
      assigneeId: viewer.userId,
      roles: ['producer'],
    });
    expect(selfAssign.status).toBe(403);
  });

  it('lets a TenantAdmin bot without a space role see and open a shared app but not export it until it can edit', async () => {
    expect((await call(sim, bot, 'GET', src(`/api/v1/apps/${templateAppId}`))).status).toBe(200);
    const refused = await call(sim, bot, 'POST', src(`/api/v1/apps/${templateAppId}/export`));
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('producer');
    await assign(templatesSpaceId, 'user', botId(), ['consumer']);
    expect((await call(sim, bot, 'POST', src(`/api/v1/apps/${templateAppId}/export`))).status).toBe(403);
    const assignments = await call(
      sim,
      bot,
      'GET',
      src(`/api/v1/spaces/${templatesSpaceId}/assignments?assigneeId=${botId()}`),
    );
    const edit = await call(
      sim,
      bot,
      'PUT',
      src(`/api/v1/spaces/${templatesSpaceId}/assignments/${assignments.body.data[0].id}`),
      {
        roles: ['producer'],
      },
    );
    expect(edit.status).toBe(200);
    const exported = await call(sim, bot, 'POST', src(`/api/v1/apps/${templateAppId}/export`));
    expect(exported.status).toBe(201);
  });

  it('publishes into a managed space only as its owner or publisher, and opens the result only to viewers', async () => {
    const admin = await jwtLogin(sim, bot, SOURCE, 'partner|space-admin', ['Space Admins']);
    const patched = await call(sim, bot, 'PATCH', src(`/api/v1/groups/${await groupId('Space Admins')}`), [
      { op: 'replace', path: 'assignedRoles', value: [{ name: 'TenantAdmin' }] },
    ]);
    expect(patched.status).toBe(204);
    const managed = await callAs(sim, admin, 'POST', src('/api/v1/spaces'), { name: 'Customer Prod', type: 'managed' });
    expect(managed.status).toBe(201);
    const dev = await call(sim, bot, 'POST', src('/api/v1/spaces'), { name: 'Customer Dev', type: 'shared' });
    const created = await call(sim, bot, 'POST', src('/api/v1/apps'), {
      attributes: { name: 'Customer app', spaceId: dev.body.id },
    });
    expect(created.status).toBe(200);
    const appId = created.body.attributes.id as string;
    const publish = () => call(sim, bot, 'POST', src(`/api/v1/apps/${appId}/publish`), { spaceId: managed.body.id });
    const refused = await publish();
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('publisher');
    await callAs(sim, admin, 'POST', src(`/api/v1/spaces/${managed.body.id}/assignments`), {
      type: 'user',
      assigneeId: botId(),
      roles: ['publisher'],
    });
    const published = await publish();
    expect(published.status).toBe(200);
    const publishedId = published.body.attributes.id as string;

    const reader = await jwtLogin(sim, bot, SOURCE, 'partner|reader', ['Prod Readers']);
    const dataOnly = await jwtLogin(sim, bot, SOURCE, 'partner|data-only', ['Prod Data']);
    await callAs(sim, admin, 'POST', src(`/api/v1/spaces/${managed.body.id}/assignments`), {
      type: 'group',
      assigneeId: await groupId('Prod Readers'),
      roles: ['consumer'],
    });
    await callAs(sim, admin, 'POST', src(`/api/v1/spaces/${managed.body.id}/assignments`), {
      type: 'group',
      assigneeId: await groupId('Prod Data'),
      roles: ['dataconsumer'],
    });
    expect((await callAs(sim, reader, 'GET', src(`/api/v1/apps/${publishedId}`))).status).toBe(200);
    expect((await callAs(sim, dataOnly, 'GET', src(`/api/v1/apps/${publishedId}`))).status).toBe(403);
    // A publisher-only member publishes but does not see the apps of the space.
    expect((await call(sim, bot, 'GET', src(`/api/v1/apps/${publishedId}`))).status).toBe(200);
  });

  it('closes the engine socket of a user without access with 4203, and opens it for a space member', async () => {
    const closeOf = (session: { cookie: string }) =>
      new Promise<[number, string]>((resolve, reject) => {
        const socket = sim.createSocket(`wss://${SOURCE}/app/${templateAppId}`, {
          headers: { cookie: session.cookie },
        });
        socket.on('message', () => socket.close(1000, 'done'));
        socket.on('close', (code, reason) => resolve([code, reason.toString()]));
        socket.on('error', reject);
      });
    const stranger = await jwtLogin(sim, bot, SOURCE, 'partner|stranger');
    expect(await closeOf(stranger)).toEqual([4203, 'Access denied']);
    const member = await jwtLogin(sim, bot, SOURCE, 'partner|member', ['Engine Readers']);
    await assign(templatesSpaceId, 'group', await groupId('Engine Readers'), ['consumer']);
    expect(await closeOf(member)).toEqual([1000, 'done']);
  });

  it('refuses space creation without a creator role', async () => {
    const user = await jwtLogin(sim, bot, SOURCE, 'partner|no-creator');
    const res = await callAs(sim, user, 'POST', src('/api/v1/spaces'), { name: 'Mine', type: 'shared' });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].detail).toContain('SharedSpaceCreator');
  });
});

describe("the test-only switch authorization: 'off'", () => {
  it('refuses a value it does not know', async () => {
    await expect(startSimulator({ authorization: 'none' as never })).rejects.toThrow(TypeError);
  });

  it('lets the engine open an app for a user without access (the case that expects 4203 fails there)', async () => {
    const sim = await startSimulator({ latency: false, authorization: 'off' });
    try {
      const bot = await tokenFor(sim, SOURCE, SOURCE_CLIENT);
      const spaces = await call(sim, bot, 'GET', src('/api/v1/spaces?name=Templates'));
      const items = await call(sim, bot, 'GET', src(`/api/v1/items?spaceId=${spaces.body.data[0].id}`));
      const stranger = await jwtLogin(sim, bot, SOURCE, 'partner|stranger');
      const closed = await new Promise<[number, string]>((resolve, reject) => {
        const socket = sim.createSocket(`wss://${SOURCE}/app/${items.body.data[0].resourceId}`, {
          headers: { cookie: stranger.cookie },
        });
        socket.on('message', () => socket.close(1000, 'done'));
        socket.on('close', (code, reason) => resolve([code, reason.toString()]));
        socket.on('error', reject);
      });
      expect(closed).toEqual([1000, 'done']);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
