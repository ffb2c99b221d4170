// The api-keys API: a Developer's own keys, whose tokens act as that user until revoked or expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStateFile, startSimulator, type Simulator } from '../src/index.js';
import { call, callAs, jwtLogin, type SessionUser, SOURCE, src, tokenFor } from './helpers.js';

let sim: Simulator;
let admin: string;
let developer: SessionUser;
let tenantId: string;

beforeAll(async () => {
  sim = await startSimulator({ latency: false, rateLimits: false });
  admin = await tokenFor(sim, SOURCE);
  tenantId = (await call(sim, admin, 'GET', src('/api/v1/users/me'))).body.tenantId;
  developer = await jwtLogin(sim, admin, SOURCE, 'partner|dev');
});
afterAll(async () => {
  expect(sim.violations).toEqual([]);
  await sim.close();
});

const create = (body: Record<string, unknown>) => callAs(sim, developer, 'POST', src('/api/v1/api-keys'), body);

describe('api keys', () => {
  it('are refused with 403 in a tenant where no admin has enabled them (disabled by default)', async () => {
    const state = defaultStateFile();
    delete state.tenants[0]!.apiKeys;
    const fresh = await startSimulator({ latency: false, rateLimits: false, state });
    try {
      const bot = await tokenFor(fresh, SOURCE);
      const user = await jwtLogin(fresh, bot, SOURCE, 'partner|dev');
      await call(fresh, bot, 'PATCH', src(`/api/v1/users/${user.userId}`), [
        { op: 'replace', path: '/assignedRoles', value: [{ name: 'Developer' }] },
      ]);
      const refused = await callAs(fresh, user, 'POST', src('/api/v1/api-keys'), { description: 'CI' });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toContain('API keys are disabled');
      expect(fresh.violations).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('needs the Developer role to create one, even for a TenantAdmin', async () => {
    expect((await call(sim, admin, 'POST', src('/api/v1/api-keys'), { description: 'bot' })).status).toBe(403);
    expect((await create({ description: 'before the role' })).status).toBe(403);
    const granted = await call(sim, admin, 'PATCH', src(`/api/v1/users/${developer.userId}`), [
      { op: 'replace', path: '/assignedRoles', value: [{ name: 'Developer' }] },
    ]);
    expect(granted.status).toBe(204);
    const other = await jwtLogin(sim, admin, SOURCE, 'partner|other');
    expect((await create({ description: 'for someone else', sub: other.userId })).status).toBe(403);
  });

  it('creates a key whose JWT acts as the user, within the tenant maximum', async () => {
    const created = await create({ description: 'CI', expiry: 'PT12H' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId, sub: developer.userId, subType: 'user', status: 'active' });
    expect(created.body.token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(created.body.expiry) - Date.parse(created.body.created)).toBe(12 * 3600 * 1000);
    const me = await call(sim, created.body.token, 'GET', src('/api/v1/users/me'));
    expect(me.body.id).toBe(developer.userId);
    // The user's roles decide, not an OAuth scope: a Developer is no TenantAdmin.
    expect((await call(sim, created.body.token, 'GET', src('/api/v1/roles'))).status).toBe(403);
    expect((await create({ description: 'too long', expiry: 'P400D' })).status).toBe(400);
    // The tenant default maximum is the spec's PT24H.
    expect((await create({ description: 'a day and an hour', expiry: 'PT25H' })).status).toBe(400);
    expect((await create({ description: 'bad', expiry: 'seven days' })).status).toBe(400);
    // Read again, the key carries no token.
    const read = await callAs(sim, developer, 'GET', src(`/api/v1/api-keys/${created.body.id}`));
    expect(read.body.token).toBeUndefined();
  });

  it('keeps to max_keys_per_user active keys', async () => {
    await call(sim, admin, 'PATCH', src(`/api/v1/api-keys/configs/${tenantId}`), [
      { op: 'replace', path: '/max_keys_per_user', value: 2 },
    ]);
    expect((await create({ description: 'second' })).status).toBe(201);
    expect((await create({ description: 'third' })).status).toBe(400);
  });

  it('lists a user their own keys and a TenantAdmin every key; patches the description', async () => {
    const own = await callAs(sim, developer, 'GET', src('/api/v1/api-keys?sort=%2Bcreated'));
    expect(own.body.data.map((k: { description: string }) => k.description)).toEqual(['CI', 'second']);
    const paged = await callAs(sim, developer, 'GET', src('/api/v1/api-keys?limit=1&sort=%2Bcreated'));
    expect(paged.body.data).toHaveLength(1);
    const next = await callAs(sim, developer, 'GET', paged.body.links.next.href);
    expect(next.body.data[0].description).toBe('second');
    expect(next.body.links.next).toBeUndefined();
    const prev = await callAs(sim, developer, 'GET', next.body.links.prev.href);
    expect(prev.body.data.map((k: { description: string }) => k.description)).toEqual(['CI']);
    const id = own.body.data[0].id as string;
    const patched = await callAs(sim, developer, 'PATCH', src(`/api/v1/api-keys/${id}`), [
      { op: 'replace', path: '/description', value: 'CI runner' },
    ]);
    expect(patched.status).toBe(204);
    const all = await call(sim, admin, 'GET', src(`/api/v1/api-keys?sub=${developer.userId}`));
    expect(all.body.data.map((k: { description: string }) => k.description).sort()).toEqual(['CI runner', 'second']);
    const other = await jwtLogin(sim, admin, SOURCE, 'partner|other');
    expect((await callAs(sim, other, 'GET', src(`/api/v1/api-keys/${id}`))).status).toBe(403);
    expect((await callAs(sim, other, 'GET', src('/api/v1/api-keys'))).body.data).toEqual([]);
  });

  it('ends a key on revoke (TenantAdmin) and on delete (owner)', async () => {
    expect((await create({ description: 'one too many' })).status).toBe(400);
    const listed = (await callAs(sim, developer, 'GET', src('/api/v1/api-keys?sort=%2Bcreated'))).body.data;
    const first = (listed as Array<{ id: string }>)[0]?.id ?? '';
    expect((await call(sim, admin, 'DELETE', src(`/api/v1/api-keys/${first}`))).status).toBe(204);
    expect((await call(sim, admin, 'GET', src(`/api/v1/api-keys/${first}`))).body.status).toBe('revoked');
    const replacement = await create({ description: 'replacement' });
    expect(replacement.status).toBe(201);
    expect((await call(sim, replacement.body.token, 'GET', src('/api/v1/spaces'))).status).toBe(200);
    expect((await callAs(sim, developer, 'DELETE', src(`/api/v1/api-keys/${replacement.body.id}`))).status).toBe(204);
    expect((await call(sim, replacement.body.token, 'GET', src('/api/v1/spaces'))).status).toBe(401);
    expect((await callAs(sim, developer, 'GET', src(`/api/v1/api-keys/${replacement.body.id}`))).status).toBe(404);
  });
});
