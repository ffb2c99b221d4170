import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  EU_CLIENT,
  multiCloudIdpBody,
  REGISTER_EU,
  SOURCE,
  SOURCE_CLIENT,
  src,
  tokenFor,
  useStrictSource,
} from './helpers.js';

const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

describe('identity and admin APIs in strict mode', () => {
  const t = useStrictSource();

  describe('oauth', () => {
    const post = (host: string, body: string, contentType: string): Promise<Response> =>
      t.sim.fetch(`https://${host}/oauth/token`, { method: 'POST', headers: { 'content-type': contentType }, body });

    it('issues tokens from JSON and form bodies with expires_at and scope', async () => {
      const res = await post(
        SOURCE,
        new URLSearchParams({ ...EU_CLIENT, grant_type: 'client_credentials' }).toString(),
        'application/x-www-form-urlencoded',
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(body.token_type).toBe('bearer');
      expect(Date.parse(body.expires_at ?? '')).toBeGreaterThan(Date.now());
      expect(body.scope).toBe('admin_classic user_default');
      const scoped = await post(
        SOURCE,
        JSON.stringify({ ...EU_CLIENT, grant_type: 'client_credentials', scope: 'user_default' }),
        'application/json',
      );
      expect(((await scoped.json()) as { scope: string }).scope).toBe('user_default');
    });

    it('answers a wrong secret with 401 in Qlik error format, without echoing the secret', async () => {
      const res = await post(
        SOURCE,
        JSON.stringify({
          client_id: EU_CLIENT.client_id,
          client_secret: 'wrong-secret-value',
          grant_type: 'client_credentials',
        }),
        'application/json',
      );
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text).errors[0].code).toBe('OAUTH-1');
      expect(text).not.toContain('wrong-secret-value');
    });

    it('rejects scopes the client does not have', async () => {
      const res = await post(
        SOURCE,
        JSON.stringify({ ...EU_CLIENT, grant_type: 'client_credentials', scope: 'admin.apps' }),
        'application/json',
      );
      expect(res.status).toBe(400);
    });

    it.each([
      {
        client: 'a tenant client',
        on: 'the regional host',
        host: REGISTER_EU,
        credentials: SOURCE_CLIENT,
        status: 401,
      },
      {
        client: 'an EU client',
        on: 'the US host',
        host: 'register.us.qlikcloud.com',
        credentials: EU_CLIENT,
        status: 401,
      },
      { client: 'an EU client', on: 'the EU host', host: REGISTER_EU, credentials: EU_CLIENT, status: 200 },
    ])(
      'limits clients to their tenant or region: $client on $on gets $status',
      async ({ host, credentials, status }) => {
        const body = JSON.stringify({ ...credentials, grant_type: 'client_credentials' });
        expect((await post(host, body, 'application/json')).status).toBe(status);
      },
    );
  });

  describe('tenants', () => {
    let regToken: string;

    beforeAll(async () => {
      regToken = await tokenFor(t.sim, REGISTER_EU);
    });

    /** A new tenant from the source license key, as the registration host answers its create. */
    async function createTenant() {
      const overview = await t.call('GET', '/api/v1/licenses/overview');
      expect(overview.status).toBe(200);
      const res = await call(t.sim, regToken, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, {
        licenseKey: overview.body.licenseKey,
        datacenter: 'eu-west-1',
      });
      expect(res.status).toBe(201);
      return res;
    }

    it('creates a tenant from the source license key on the registration host', async () => {
      const res = await createTenant();
      const created = res.body;
      expect(res.body.status).toBe('active');
      expect(res.body.hostnames[0]).toMatch(/\.eu\.qlikcloud\.com$/);
      // The same regional client gets a token for the new tenant and sees itself there.
      const tenantToken = await tokenFor(t.sim, created.hostnames[0] ?? '');
      const me = await call(t.sim, tenantToken, 'GET', `https://${created.hostnames[0]}/api/v1/users/me`);
      expect(me.body.tenantId).toBe(created.id);
    });

    it('rejects a missing or forged license key', async () => {
      const missing = await call(t.sim, regToken, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, {});
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].code).toBe('TENANTS-21');
      const forged = await call(t.sim, regToken, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, {
        licenseKey: 'eyJ.forged.key',
      });
      expect(forged.status).toBe(403);
      expect(forged.body.errors[0].code).toBe('TENANTS-23');
    });

    it('refuses tenant creation with a tenant token or on a tenant host', async () => {
      expect((await t.call('POST', `https://${REGISTER_EU}/api/v1/tenants`, { licenseKey: 'x' })).status).toBe(401);
      expect((await t.call('POST', '/api/v1/tenants', { licenseKey: 'x' })).status).toBe(404);
    });

    it('gets, renames and aliases a tenant with JSON-Patch; the alias routes to it', async () => {
      const created = (await createTenant()).body;
      const host = created.hostnames[0] ?? '';
      const tenantToken = await tokenFor(t.sim, host);
      // No tenant has the alias yet (the simulator remembers hosts it found on no tenant until hostnames change).
      const before = await call(
        t.sim,
        tenantToken,
        'GET',
        `https://customer-a.eu.qlikcloud.com/api/v1/tenants/${created.id}`,
      );
      expect(before.status).toBe(404);
      const patch = await call(t.sim, tenantToken, 'PATCH', `https://${host}/api/v1/tenants/${created.id}`, [
        { op: 'replace', path: '/name', value: 'customer-a' },
        { op: 'replace', path: '/hostnames/1', value: 'customer-a.eu.qlikcloud.com' },
      ]);
      expect(patch.status).toBe(204);
      const got = await call(
        t.sim,
        tenantToken,
        'GET',
        `https://customer-a.eu.qlikcloud.com/api/v1/tenants/${created.id}`,
      );
      expect(got.status).toBe(200);
      expect(got.body.name).toBe('customer-a');
      expect(got.body.hostnames).toEqual([host, 'customer-a.eu.qlikcloud.com']);
      const bad = await call(t.sim, tenantToken, 'PATCH', `https://${host}/api/v1/tenants/${created.id}`, [
        { op: 'replace', path: '/hostnames/1', value: SOURCE },
      ]);
      expect(bad.status).toBe(400);
    });

    it('redirects /tenants/me to the tenant', async () => {
      const res = await t.sim.fetch(src('/api/v1/tenants/me'), {
        headers: { authorization: `Bearer ${t.token}` },
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/api/v1/tenants/${t.tenantId}`);
      const followed = await t.call('GET', '/api/v1/tenants/me');
      expect(followed.body.id).toBe(t.tenantId);
    });

    it('deactivates and reactivates only with the matching qlik-confirm-hostname header', async () => {
      const created = (await createTenant()).body;
      const url = `https://${REGISTER_EU}/api/v1/tenants/${created.id}/actions`;
      const host = created.hostnames[0] ?? '';
      const tenantToken = await tokenFor(t.sim, host);
      expect(
        (await call(t.sim, regToken, 'POST', `${url}/deactivate`, {}, { 'qlik-confirm-hostname': SOURCE })).status,
      ).toBe(412);
      const off = await call(
        t.sim,
        regToken,
        'POST',
        `${url}/deactivate`,
        { purgeAfterDays: 10 },
        { 'qlik-confirm-hostname': host },
      );
      expect(off.status).toBe(200);
      expect(off.body.status).toBe('disabled');
      expect(Date.parse(off.body.estimatedPurgeDate) - Date.now()).toBeGreaterThan(9 * 24 * 3600_000);
      expect((await call(t.sim, tenantToken, 'GET', `https://${host}/api/v1/users/me`)).status).toBe(403);
      const on = await call(t.sim, regToken, 'POST', `${url}/reactivate`, {}, { 'qlik-confirm-hostname': host });
      expect(on.status).toBe(200);
      expect((await call(t.sim, tenantToken, 'GET', `https://${host}/api/v1/users/me`)).status).toBe(200);
    });
  });

  describe('users and roles', () => {
    it('redirects /users/me with 301 to the user resource', async () => {
      const res = await t.sim.fetch(src('/api/v1/users/me'), {
        headers: { authorization: `Bearer ${t.token}` },
        redirect: 'manual',
      });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toMatch(/^\/api\/v1\/users\/[0-9a-f]{24}$/);
    });

    it('creates an invited user with roles by name, finds it by SCIM filter and actions/filter', async () => {
      const created = await t.call('POST', '/api/v1/users', {
        name: 'Ada',
        email: 'ada@customer.example',
        subject: 'auth0|ada',
        assignedRoles: [{ name: 'TenantAdmin' }],
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('invited');
      expect(created.body.assignedRoles[0].name).toBe('TenantAdmin');
      const dup = await t.call('POST', '/api/v1/users', { subject: 'auth0|ada' });
      expect(dup.status).toBe(409);
      const byEmail = await t.call(
        'GET',
        `/api/v1/users?filter=${encodeURIComponent('email eq "ada@customer.example"')}`,
      );
      expect(byEmail.body.data.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
      const bySubject = await t.call('POST', '/api/v1/users/actions/filter', {
        filter: 'subject eq "auth0|ada"',
      });
      expect(bySubject.body.data).toHaveLength(1);
      const got = await t.call('GET', `/api/v1/users/${created.body.id}`);
      expect(got.body.email).toBe('ada@customer.example');
      expect((await t.call('GET', '/api/v1/users/0123456789abcdef01234567')).status).toBe(404);
    });

    it('pages users with limit and next links', async () => {
      for (let i = 0; i < 3; i++) await t.call('POST', '/api/v1/users', { subject: `page|${i}` });
      const first = await t.call('GET', '/api/v1/users?limit=2');
      expect(first.body.data).toHaveLength(2);
      const next = await t.call('GET', first.body.links.next.href);
      expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
    });

    it('rejects a malformed SCIM filter with 400', async () => {
      const res = await t.call('GET', `/api/v1/users?filter=${encodeURIComponent('email eq')}`);
      expect(res.status).toBe(400);
    });

    it('lists roles with a name filter', async () => {
      const res = await t.call('GET', `/api/v1/roles?filter=${encodeURIComponent('name eq "TenantAdmin"')}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0]).toMatchObject({ name: 'TenantAdmin', type: 'default', level: 'admin' });
    });
  });

  describe('groups', () => {
    it('creates groups, refuses duplicates, filters by name', async () => {
      const g = await t.call('POST', '/api/v1/groups', {
        name: 'Finance',
        assignedRoles: [{ name: 'AnalyticsAdmin' }],
      });
      expect(g.status).toBe(201);
      const dup = await t.call('POST', '/api/v1/groups', { name: 'Finance' });
      expect(dup.status).toBe(409);
      expect(typeof dup.body.errors[0].status).toBe('number');
      const other = await t.call('POST', '/api/v1/groups', { name: 'finance' });
      expect(other.status).toBe(201);
      const found = await t.call('GET', `/api/v1/groups?filter=${encodeURIComponent('name eq "Finance"')}`);
      expect(found.body.data.map((x: { name: string }) => x.name)).toContain('Finance');
      const filtered = await t.call('POST', '/api/v1/groups/actions/filter', {
        filter: `id eq "${g.body.id}"`,
      });
      expect(filtered.body.data).toHaveLength(1);
    });

    it('reads and patches group settings', async () => {
      const patch = await t.call('PATCH', '/api/v1/groups/settings', [
        { op: 'replace', path: '/autoCreateGroups', value: true },
        { op: 'replace', path: '/syncIdpGroups', value: true },
      ]);
      expect(patch.status).toBe(204);
      const got = await t.call('GET', '/api/v1/groups/settings');
      expect(got.body).toMatchObject({ tenantId: t.tenantId, autoCreateGroups: true, syncIdpGroups: true });
    });
  });

  describe('licenses', () => {
    it('reads the overview with a signed license key', async () => {
      const res = await t.call('GET', '/api/v1/licenses/overview');
      expect(res.body.licenseKey.split('.')).toHaveLength(3);
      expect(res.body.allotments.map((a: { name: string }) => a.name)).toEqual(['professional', 'analyzer']);
    });

    it('puts and gets settings, and adds assignments with per-subject results', async () => {
      const put = await t.call('PUT', '/api/v1/licenses/settings', {
        autoAssignProfessional: false,
        autoAssignAnalyzer: true,
      });
      expect(put.body).toEqual({ autoAssignProfessional: false, autoAssignAnalyzer: true });
      expect((await t.call('GET', '/api/v1/licenses/settings')).body.autoAssignAnalyzer).toBe(true);
      const add = await t.call('POST', '/api/v1/licenses/assignments/actions/add', {
        add: [
          { subject: 'auth0|ada', type: 'professional' },
          { subject: 'auth0|ada', type: 'analyzer' },
          { subject: 'auth0|bob', type: 'nonsense' },
        ],
      });
      expect(add.status).toBe(207);
      expect(add.body.data.map((d: { status: number }) => d.status)).toEqual([201, 409, 400]);
    });
  });

  describe('identity providers', () => {
    it('creates a JWT IdP, validating the body first', async () => {
      const bad = await t.call('POST', '/api/v1/identity-providers', {
        protocol: 'jwtAuth',
        provider: 'external',
        tenantIds: [t.tenantId],
        options: { issuer: 'https://partner.example', staticKeys: [{ kid: 'k1', pem: 'not a pem' }] },
      });
      expect(bad.status).toBe(400);
      const ok = await t.call('POST', '/api/v1/identity-providers', {
        protocol: 'jwtAuth',
        provider: 'external',
        tenantIds: [t.tenantId],
        description: 'Partner SSO',
        options: { issuer: 'https://partner.example', staticKeys: [{ kid: 'k1', pem: publicPem }] },
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ protocol: 'jwtAuth', active: true, interactive: false, tenantIds: [t.tenantId] });
      const wrongTenant = await t.call('POST', '/api/v1/identity-providers', {
        protocol: 'jwtAuth',
        provider: 'external',
        tenantIds: ['someone-else'],
        options: { issuer: 'https://other.example', staticKeys: [{ kid: 'k2', pem: publicPem }] },
      });
      expect(wrongTenant.status).toBe(400);
    });

    it('creates the multi-cloud IdP (not in the spec), then lists, gets, patches and deletes it', async () => {
      const created = await t.call(
        'POST',
        '/api/v1/identity-providers',
        multiCloudIdpBody(t.tenantId, { issuer: 'qseow', keys: [] }),
      );
      expect(created.status).toBe(201);
      const notBase64 = await t.call('POST', '/api/v1/identity-providers', {
        provider: 'qlik',
        protocol: 'qsefw-local-bearer-token',
        base64Encoded: '%%%',
      });
      expect(notBase64.status).toBe(400);
      const list = await t.call('GET', '/api/v1/identity-providers');
      expect(list.body.data.map((i: { id: string }) => i.id)).toContain(created.body.id);
      const patch = await t.call('PATCH', `/api/v1/identity-providers/${created.body.id}`, [
        { op: 'replace', path: '/description', value: 'Multi-cloud' },
      ]);
      expect(patch.status).toBe(204);
      expect((await t.call('GET', `/api/v1/identity-providers/${created.body.id}`)).body.description).toBe(
        'Multi-cloud',
      );
      expect((await t.call('DELETE', `/api/v1/identity-providers/${created.body.id}`)).status).toBe(204);
      expect((await t.call('GET', `/api/v1/identity-providers/${created.body.id}`)).status).toBe(404);
    });
  });

  describe('settings', () => {
    it('patches tenant settings with JSON-Patch', async () => {
      const before = await t.call('GET', '/api/v1/tenant-settings');
      expect(before.body.tenantId).toBe(t.tenantId);
      const res = await t.call('PATCH', '/api/v1/tenant-settings', [
        { op: 'replace', path: '/releaseCadence', value: 'monthly' },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.releaseCadence).toBe('monthly');
      const ro = await t.call('PATCH', '/api/v1/tenant-settings', [{ op: 'replace', path: '/tenantId', value: 'x' }]);
      expect(ro.status).toBeGreaterThanOrEqual(400);
    });

    it('applies a tenant-settings patch as RFC 6902 does: deep test in any key order, all or nothing', async () => {
      const current = (await t.call('GET', '/api/v1/tenant-settings')).body;
      const tested = await t.call('PATCH', '/api/v1/tenant-settings', [
        { op: 'test', path: '/customizeNoAccess', value: { ...current.customizeNoAccess } },
        { op: 'replace', path: '/customizeNoAccess/linkEnabled', value: true },
      ]);
      expect(tested.status).toBe(200);
      expect(tested.body.customizeNoAccess.linkEnabled).toBe(true);
      const failed = await t.call('PATCH', '/api/v1/tenant-settings', [
        { op: 'replace', path: '/customizeNoAccess/linkEnabled', value: false },
        { op: 'remove', path: '/customizeNoAccess/missing' },
      ]);
      expect(failed.status).toBe(400);
      expect((await t.call('GET', '/api/v1/tenant-settings')).body.customizeNoAccess.linkEnabled).toBe(true);
    });

    it("refuses an array index with a leading zero (RFC 6901) with a 400 in Qlik's error shape, applying nothing", async () => {
      const refused = await t.call('PATCH', '/api/v1/tenant-settings', [
        { op: 'add', path: '/customizeNoAccess/message', value: 'ask your admin' },
        { op: 'add', path: '/customizeNoAccess/labels', value: ['a', 'b'] },
        { op: 'remove', path: '/customizeNoAccess/labels/01' },
      ]);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        errors: [
          // The tenant-settings dialect: a numeric code (its spec's Error schema).
          { code: 400, title: 'Bad request', detail: expect.stringMatching(/operation 2 .*leading zero/) },
        ],
      });
      const after = (await t.call('GET', '/api/v1/tenant-settings')).body;
      expect(after.customizeNoAccess).not.toHaveProperty('message');
      expect(after.customizeNoAccess).not.toHaveProperty('labels');
    });

    it('patches core auth settings (whole hours only)', async () => {
      const ok = await t.call('PATCH', '/api/core/auth-settings', [
        { op: 'replace', path: '/maxUserSessionLifespanMinutes', value: 480 },
      ]);
      expect(ok.status).toBe(200);
      expect(ok.body.maxUserSessionLifespanMinutes).toBe(480);
      const bad = await t.call('PATCH', '/api/core/auth-settings', [
        { op: 'replace', path: '/maxUserSessionLifespanMinutes', value: 90 },
      ]);
      expect(bad.status).toBe(400);
      expect((await t.call('GET', '/api/core/auth-settings')).body.maxUserSessionLifespanMinutes).toBe(480);
    });

    it('patches the API-key config of its own tenant only', async () => {
      const res = await t.call('PATCH', `/api/v1/api-keys/configs/${t.tenantId}`, [
        { op: 'replace', path: '/max_api_key_expiry', value: 'P30D' },
        { op: 'replace', path: '/max_keys_per_user', value: 10 },
      ]);
      expect(res.status).toBe(204);
      const got = await t.call('GET', `/api/v1/api-keys/configs/${t.tenantId}`);
      expect(got.body).toMatchObject({ max_api_key_expiry: 'P30D', max_keys_per_user: 10 });
      expect((await t.call('GET', '/api/v1/api-keys/configs/another-tenant')).status).toBe(404);
    });
  });

  it('answers unknown routes with 404 in Qlik error format', async () => {
    const res = await t.call('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe('HTTP-404');
  });
});
