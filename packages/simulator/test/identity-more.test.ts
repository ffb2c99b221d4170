import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/index.js';
import {
  call,
  SOURCE,
  SOURCE_CLIENT,
  src,
  startStrict,
  tokenFor,
  useStrictSource,
  withStrictSource,
} from './helpers.js';

describe('more identity operations and their errors (strict)', () => {
  const t = useStrictSource();

  it('gets roles and groups by id, deletes groups, 404s on unknown ids', async () => {
    const roles = await t.call('GET', '/api/v1/roles?limit=100');
    const role = roles.body.data[0];
    expect((await t.call('GET', `/api/v1/roles/${role.id}`)).body.name).toBe(role.name);
    expect((await t.call('GET', '/api/v1/roles/000000000000000000000000')).status).toBe(404);
    const g = await t.call('POST', '/api/v1/groups', { name: 'Temp', providerType: 'custom' });
    expect((await t.call('GET', `/api/v1/groups/${g.body.id}`)).body.providerType).toBe('custom');
    expect((await t.call('DELETE', `/api/v1/groups/${g.body.id}`)).status).toBe(204);
    const gone = await t.call('GET', `/api/v1/groups/${g.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0].status).toBe(404);
    expect(
      (
        await t.call('POST', '/api/v1/groups', {
          name: 'Bad roles',
          assignedRoles: [{ name: 'NoSuchRole' }],
        })
      ).status,
    ).toBe(400);
  });

  it('patches and deletes users', async () => {
    const u = await t.call('POST', '/api/v1/users', { subject: 'auth0|eve', name: 'Eve' });
    expect(
      (await t.call('PATCH', `/api/v1/users/${u.body.id}`, [{ op: 'replace', path: '/name', value: 'Eve A.' }])).status,
    ).toBe(204);
    expect((await t.call('GET', `/api/v1/users/${u.body.id}`)).body.name).toBe('Eve A.');
    expect((await t.call('DELETE', `/api/v1/users/${u.body.id}`)).status).toBe(204);
    expect((await t.call('GET', `/api/v1/users/${u.body.id}`)).status).toBe(404);
  });

  it('filters identity providers by active', async () => {
    const created = await t.call('POST', '/api/v1/identity-providers', {
      provider: 'qlik',
      protocol: 'qsefw-local-bearer-token',
      interactive: false,
      base64Encoded: 'dG9rZW4=',
    });
    expect(created.status).toBe(201);
    expect((await t.call('GET', '/api/v1/identity-providers?active=true')).body.data).toHaveLength(1);
    expect((await t.call('GET', '/api/v1/identity-providers?active=false')).body.data).toHaveLength(0);
  });

  it('answers 403 in each API dialect when the caller is not a TenantAdmin', async () => {
    // Demote the tenant client's bot user, then let it try admin operations.
    const weak = await tokenFor(t.sim, SOURCE, SOURCE_CLIENT);
    const bot = t.sim.state.tenantByHost(SOURCE)?.findUserBy((u) => u.clientId === SOURCE_CLIENT.client_id);
    const demoted = await t.call('PATCH', `/api/v1/users/${bot?.id}`, [
      { op: 'replace', path: '/assignedRoles', value: [{ name: 'SharedSpaceCreator' }] },
    ]);
    expect(demoted.status).toBe(204);
    const group = await call(t.sim, weak, 'POST', src('/api/v1/groups'), { name: 'Nope' });
    expect(group.status).toBe(403);
    expect(group.body.errors[0].status).toBe(403);
    const license = await call(t.sim, weak, 'PUT', src('/api/v1/licenses/settings'), { autoAssignAnalyzer: false });
    expect(license.status).toBe(403);
    expect(license.body).toMatchObject({ error: 'util.Error', message: 'Forbidden' });
    const idp = await call(t.sim, weak, 'POST', src('/api/v1/identity-providers'), {
      provider: 'qlik',
      protocol: 'qsefw-local-bearer-token',
      base64Encoded: 'dG9rZW4=',
    });
    expect(idp.status).toBe(403);
    // Reading groups stays allowed; reading roles is TenantAdmin-only since April 2024.
    expect((await call(t.sim, weak, 'GET', src('/api/v1/groups'))).status).toBe(200);
    expect((await call(t.sim, weak, 'GET', src('/api/v1/roles'))).status).toBe(403);
  });

  it('refuses a token after it expires (simulated time)', async () => {
    const clock = createManualClock();
    const manual = await startStrict({ clock });
    try {
      const res = await manual.fetch(src('/oauth/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...SOURCE_CLIENT, grant_type: 'client_credentials' }),
      });
      const { access_token: token, expires_at: expiresAt } = (await res.json()) as {
        access_token: string;
        expires_at: string;
      };
      expect(Date.parse(expiresAt) - clock.now()).toBe(6 * 3600_000);
      expect((await call(manual, token, 'GET', src('/api/v1/users/me'))).status).toBe(200);
      clock.advance(6 * 3600_000);
      expect((await call(manual, token, 'GET', src('/api/v1/users/me'))).status).toBe(401);
      expect((await call(manual, 'not-a-token', 'GET', src('/api/v1/users/me'))).status).toBe(401);
    } finally {
      await manual.close();
    }
  });
});

describe('user invites (strict)', () => {
  it('invites new users and reports known ones as existing; a bad email fails the request', async () => {
    await withStrictSource(async (sim, token) => {
      const url = `https://${SOURCE}/api/v1/users/actions/invite`;
      const bad = await call(sim, token, 'POST', url, {
        invitees: [{ email: 'ok@customer.example' }, { email: 'not-an-email' }],
      });
      expect(bad.status).toBe(400);
      const first = await call(sim, token, 'POST', url, { invitees: [{ email: 'new@customer.example', name: 'New' }] });
      expect(first.status).toBe(207);
      expect(first.body.data.map((d: { status: string }) => d.status)).toEqual(['ok']);
      expect(first.body.data[0].subject).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      const again = await call(sim, token, 'POST', url, {
        invitees: [{ email: 'new@customer.example', resend: true }],
      });
      expect(again.body.data[0]).toMatchObject({ status: 'exists', userId: first.body.data[0].userId });
    });
  });
});

describe('group patch and license assignment lists (strict)', () => {
  it('patches group roles and custom group names', async () => {
    await withStrictSource(async (sim, token) => {
      const url = `https://${SOURCE}/api/v1/groups`;
      const custom = await call(sim, token, 'POST', url, { name: 'Partner admins', providerType: 'custom' });
      const idp = await call(sim, token, 'POST', url, { name: 'From IdP' });
      expect(
        (
          await call(sim, token, 'PATCH', `${url}/${custom.body.id}`, [
            { op: 'replace', path: 'assignedRoles', value: [{ name: 'TenantAdmin' }] },
            { op: 'replace', path: 'name', value: 'Partner owners' },
          ])
        ).status,
      ).toBe(204);
      const got = await call(sim, token, 'GET', `${url}/${custom.body.id}`);
      expect(got.body).toMatchObject({ name: 'Partner owners', assignedRoles: [{ name: 'TenantAdmin' }] });
      expect(
        (await call(sim, token, 'PATCH', `${url}/${idp.body.id}`, [{ op: 'replace', path: 'name', value: 'Renamed' }]))
          .status,
      ).toBe(400);
    });
  });

  it('lists license assignments with page cursors', async () => {
    await withStrictSource(async (sim, token) => {
      const base = `https://${SOURCE}/api/v1/licenses/assignments`;
      const add = await call(sim, token, 'POST', `${base}/actions/add`, {
        add: ['a', 'b', 'c'].map((s) => ({ subject: `auth0|${s}`, type: 'analyzer' })),
      });
      expect(add.status).toBe(207);
      const first = await call(sim, token, 'GET', `${base}?limit=2`);
      expect(first.body.data.map((a: { subject: string }) => a.subject)).toEqual(['auth0|a', 'auth0|b']);
      expect(first.body.links.next.href).toContain('page=');
      const second = await call(sim, token, 'GET', first.body.links.next.href);
      expect(second.body.data).toEqual([
        expect.objectContaining({ subject: 'auth0|c', type: 'analyzer', excess: false }),
      ]);
    });
  });
});
