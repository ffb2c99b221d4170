/**
 * Every REST area the SDK uses, driven by Qlik's own client: @qlik/api (unchanged) over Node's global fetch
 * with the simulator's undici dispatcher, HTTPS on loopback. Each case asserts what qlik.dev documents for the
 * call (its status and the fields of its answer), including the 404 and 409 answers the SDK meets; the 403s of
 * authorization are the table in forbidden-cases.ts (rest-auth.test.ts).
 */
import {
  apiKeys,
  apps,
  brands,
  cspOrigins,
  dataConnections,
  extensions,
  groups,
  identityProviders,
  items,
  licenses,
  reloads,
  roles,
  spaces,
  tempContents,
  tenants,
  themes,
  users,
  webIntegrations,
} from '@qlik/api';
import { defaultStateFile, type Simulator } from '@qlik-oem/simulator';
import { generateKeyPairSync } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeGlobalFetch, startHttpsSimulator, statusOf } from './setup.js';

const HOST = 'source.eu.qlikcloud.com';
const REGISTRATION_HOST = 'register.eu.qlikcloud.com';
const BOT = { clientId: 'sim-source-client', clientSecret: 'sim-source-secret' };
const REGIONAL = { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' };

let sim: Simulator;
let restoreFetch: () => void;

beforeAll(async () => {
  sim = await startHttpsSimulator(defaultStateFile());
  restoreFetch = routeGlobalFetch(sim);
});
afterAll(async () => {
  restoreFetch();
  if (process.env.DEBUG_VIOLATIONS) console.log(JSON.stringify(sim.violations, null, 1));
  expect(sim.violations).toEqual([]);
  await sim.close();
});

/** @qlik/api options for an OAuth client on a host (a fresh token per host config; no response cache). */
const as = (
  host: string,
  client: { clientId: string; clientSecret: string },
  scope = 'admin_classic user_default',
) => ({
  hostConfig: { authType: 'oauth2', host, ...client, scope } as never,
  noCache: true,
});
const admin = () => as(HOST, BOT);

/** An extension or theme archive as Qlik takes it: a folder with its .qext manifest. */
const bundleZip = (qextFilename: string, manifest: Record<string, unknown>): Uint8Array =>
  zipSync({
    [`${qextFilename}/${qextFilename}.qext`]: strToU8(JSON.stringify(manifest)),
    [`${qextFilename}/${qextFilename}.js`]: strToU8('define([], function () { return {}; });'),
  });

const unique = (() => {
  let n = 0;
  return (prefix: string) => `${prefix}-${++n}`;
})();

async function templateAppId(): Promise<string> {
  const templates = (await spaces.getSpaces({ name: 'Templates' }, admin())).data.data![0]!;
  return (await items.getItems({ spaceId: templates.id, resourceType: 'app' }, admin())).data.data[0]!.resourceId!;
}

describe('@qlik/api against the simulator: the REST areas the SDK uses', () => {
  it('tenants: created on the registration host with the source license key, read and renamed on the new host', async () => {
    const overview = (await licenses.getLicenseOverview(admin())).data;
    expect(overview.licenseKey).toEqual(expect.any(String));
    const created = await tenants.createTenant({ licenseKey: overview.licenseKey }, as(REGISTRATION_HOST, REGIONAL));
    expect(created.status).toBe(201);
    const tenant = created.data;
    expect(tenant).toMatchObject({ id: expect.any(String), hostnames: [expect.stringMatching(/\.qlikcloud\.com$/)] });
    const newHost = tenant.hostnames![0]!;
    // The regional client works on every tenant of its region.
    const onTenant = as(newHost, REGIONAL);
    expect((await tenants.getTenant(tenant.id, onTenant)).data.id).toBe(tenant.id);
    const renamed = await tenants.patchTenant(
      tenant.id,
      [{ op: 'replace', path: '/name', value: unique('customer') }],
      { ...onTenant, headers: { 'qlik-confirm-hostname': newHost } },
    );
    expect(renamed.status).toBe(204);
    // A license key that Qlik did not sign is refused.
    expect(await statusOf(tenants.createTenant({ licenseKey: 'not-a-key' }, as(REGISTRATION_HOST, REGIONAL)))).toBe(
      403,
    );
  });

  it('users: create, find by subject, patch roles, get, delete; 404 after the delete', async () => {
    const subject = unique('partner|user');
    const created = await users.createUser(
      { subject, name: 'Conformance User', email: `${subject}@x.example` },
      admin(),
    );
    expect(created.status).toBe(201);
    const id = created.data.id;
    const found = (await users.getUsers({ filter: `subject eq "${subject}"` }, admin())).data.data;
    expect(found?.map((u) => u.id)).toEqual([id]);
    const roleList = (await roles.getRoles({ limit: 100 }, admin())).data.data;
    const analyticsAdmin = roleList.find((r) => r.name === 'AnalyticsAdmin')!;
    expect(analyticsAdmin).toBeDefined();
    expect(
      (
        await users.patchUser(
          id,
          [{ op: 'replace', path: '/assignedRoles', value: [{ id: analyticsAdmin.id }] }],
          admin(),
        )
      ).status,
    ).toBe(204);
    expect((await users.getUser(id, {}, admin())).data.assignedRoles?.map((r) => r.name)).toEqual(['AnalyticsAdmin']);
    expect((await users.deleteUser(id, admin())).status).toBe(204);
    expect(await statusOf(users.getUser(id, {}, admin()))).toBe(404);
  });

  it('groups: create, list by name, 409 on a duplicate name; the groups settings read and patch', async () => {
    const name = unique('Analytics Consumers');
    const created = await groups.createGroup({ name }, admin());
    expect(created.status).toBe(201);
    expect((await groups.getGroups({ filter: `name eq "${name}"` }, admin())).data.data?.map((g) => g.id)).toEqual([
      created.data.id,
    ]);
    expect(await statusOf(groups.createGroup({ name }, admin()))).toBe(409);
    const settings = (await groups.getGroupsSettings(admin())).data;
    expect(settings).toMatchObject({ autoCreateGroups: expect.any(Boolean), syncIdpGroups: expect.any(Boolean) });
    expect(
      (await groups.patchGroupsSettings([{ op: 'replace', path: '/autoCreateGroups', value: true }], admin())).status,
    ).toBe(204);
    expect((await groups.getGroupsSettings(admin())).data.autoCreateGroups).toBe(true);
  });

  it('licenses: overview, settings (auto-assignment) and an assignment for a user', async () => {
    const overview = (await licenses.getLicenseOverview(admin())).data;
    expect(overview.allotments?.map((a) => a.name)).toEqual(expect.arrayContaining(['professional', 'analyzer']));
    const settings = await licenses.updateLicenseSettings({ autoAssignAnalyzer: true }, admin());
    expect(settings.status).toBe(200);
    expect((await licenses.getLicenseSettings(admin())).data.autoAssignAnalyzer).toBe(true);
    const subject = unique('partner|analyzer');
    await users.createUser({ subject, name: 'Analyzer', email: `${subject}@x.example` }, admin());
    const added = await licenses.addLicenseAssignments({ add: [{ subject, type: 'analyzer' }] }, admin());
    expect(added.status).toBe(207);
    expect(added.data.data?.[0]).toMatchObject({ subject, type: 'analyzer', status: 201 });
    const listed = (await licenses.getLicenseAssignments({ filter: `subject eq "${subject}"` }, admin())).data.data;
    expect(listed?.map((a) => a.type)).toEqual(['analyzer']);
  });

  it('identity providers: a JWT IdP is created, listed and deleted; a second one for the same issuer is refused', async () => {
    const issuer = `https://${unique('issuer')}.partner.example`;
    const jwtIdp = {
      provider: 'external',
      protocol: 'jwtAuth',
      interactive: false,
      description: 'conformance',
      options: {
        issuer,
        staticKeys: [
          {
            kid: 'k1',
            pem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
              .publicKey.export({ type: 'spki', format: 'pem' })
              .toString(),
          },
        ],
      },
    };
    const created = await identityProviders.createIdp(jwtIdp as never, admin());
    expect(created.status).toBe(201);
    const id = (created.data as { id: string }).id;
    expect(((await identityProviders.getIdps({}, admin())).data.data ?? []).map((i) => i.id)).toContain(id);
    expect((await identityProviders.getIdp(id, admin())).data).toMatchObject({ id, protocol: 'jwtAuth' });
    expect(await statusOf(identityProviders.createIdp(jwtIdp as never, admin()))).toBe(400);
    expect((await identityProviders.deleteIdp(id, admin())).status).toBe(204);
    expect(await statusOf(identityProviders.getIdp(id, admin()))).toBe(404);
  });

  it('spaces and assignments: shared and managed spaces, a group assignment, 409 on a duplicate space name', async () => {
    const managed = await spaces.createSpace({ name: unique('Analytics'), type: 'managed' }, admin());
    expect(managed.status).toBe(201);
    expect(await statusOf(spaces.createSpace({ name: managed.data.name, type: 'managed' }, admin()))).toBe(409);
    const group = (await groups.createGroup({ name: unique('Consumers') }, admin())).data;
    const assigned = await spaces.createSpaceAssignment(
      managed.data.id,
      { type: 'group', assigneeId: group.id, roles: ['consumer'] },
      admin(),
    );
    expect(assigned.status).toBe(201);
    const listed = (await spaces.getSpaceAssignments(managed.data.id, { type: 'group' }, admin())).data.data;
    expect(listed?.map((a) => [a.assigneeId, a.roles])).toEqual([[group.id, ['consumer']]]);
    // A role the space type does not have (producer is for shared spaces) is refused.
    expect(
      await statusOf(
        spaces.createSpaceAssignment(
          managed.data.id,
          { type: 'group', assigneeId: group.id, roles: ['producer'] },
          admin(),
        ),
      ),
    ).toBe(400);
    expect((await spaces.deleteSpaceAssignment(managed.data.id, assigned.data.id, admin())).status).toBe(204);
    expect(await statusOf(spaces.getSpace('0123456789abcdef01234567', admin()))).toBe(404);
  });

  it('apps: export the template, import it, copy it, publish to a managed space, republish over it; items list them', async () => {
    const appId = await templateAppId();
    const me = (await users.getMyUser(admin())).data;
    const templates = (await spaces.getSpaces({ name: 'Templates' }, admin())).data.data![0]!;
    // The bot needs edit rights in the template's space to export it (Qlik: "Can edit" in a shared space).
    await spaces.createSpaceAssignment(templates.id, { type: 'user', assigneeId: me.id, roles: ['producer'] }, admin());
    const exported = await apps.exportApp(appId, {}, admin());
    expect(exported.status).toBe(201);
    // The answer is a Location on the Temporary Content Service, where the file is downloaded.
    const location = exported.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v1\/temp-contents\/[^/?]+/);
    const tempId = new URL(location, `https://${HOST}`).pathname.split('/').at(-1)!;
    const download = await tempContents.downloadTempFile(tempId, {}, admin());
    expect(download.status).toBe(200);
    const bytes = await (download.data as Blob).arrayBuffer();
    expect(bytes.byteLength).toBeGreaterThan(0);

    const shared = (await spaces.createSpace({ name: unique('Dev'), type: 'shared' }, admin())).data;
    const imported = await apps.importApp({ spaceId: shared.id, name: 'Imported template' }, bytes, admin());
    expect(imported.status).toBe(200);
    const importedId = imported.data.attributes!.id!;
    expect(imported.data.attributes).toMatchObject({ name: 'Imported template', spaceId: shared.id });

    const copy = await apps.copyApp(importedId, { attributes: { name: 'Copy of template' } }, admin());
    expect(copy.status).toBe(200);
    expect(copy.data.attributes).toMatchObject({ name: 'Copy of template' });

    const managed = (await spaces.createSpace({ name: unique('Prod'), type: 'managed' }, admin())).data;
    const published = await apps.publishApp(
      importedId,
      { spaceId: managed.id, data: 'source', attributes: { description: 'v1' } },
      admin(),
    );
    expect(published.status).toBe(200);
    const publishedId = published.data.attributes!.id!;
    expect(published.data.attributes).toMatchObject({
      published: true,
      spaceId: managed.id,
      originAppId: importedId,
      description: 'v1',
    });
    const republished = await apps.republishApp(
      importedId,
      { targetId: publishedId, data: 'source', attributes: { description: 'v2' } },
      admin(),
    );
    expect(republished.status).toBe(200);
    expect(republished.data.attributes).toMatchObject({ id: publishedId, description: 'v2' });

    const listed = (await items.getItems({ resourceType: 'app', spaceId: managed.id }, admin())).data.data;
    expect(listed.map((item) => item.resourceId)).toEqual([publishedId]);
    expect(await statusOf(apps.getAppInfo('00000000-0000-0000-0000-000000000000', admin()))).toBe(404);
    // Publishing into a shared space is refused: a publish target is a managed space.
    expect(await statusOf(apps.publishApp(importedId, { spaceId: shared.id, data: 'source' }, admin()))).toBe(400);
  });

  it('data connections and reloads: a connection in a shared space, a reload queued and read until it ends', async () => {
    const shared = (await spaces.createSpace({ name: unique('Data'), type: 'shared' }, admin())).data;
    const created = await dataConnections.createDataConnection(
      {
        qName: 'Customer Data',
        qType: 'QvOdbcConnectorPackage.exe',
        qConnectStatement:
          'CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=postgres;host=acme.partner.example;database=analytics;"',
        datasourceID: 'postgres',
        space: shared.id,
      },
      admin(),
    );
    expect(created.status).toBe(201);
    // The create answers the connection's qID (the engine's id of it).
    const id = (created.data as { qID: string }).qID;
    expect((await dataConnections.getDataConnection(id, {}, admin())).data).toMatchObject({
      qID: id,
      qName: 'Customer Data',
    });
    expect(await statusOf(dataConnections.getDataConnection('0123456789abcdef01234567', {}, admin()))).toBe(404);

    const appId = await templateAppId();
    const queued = await reloads.queueReload({ appId }, admin());
    expect(queued.status).toBe(201);
    expect(queued.data).toMatchObject({ appId, status: expect.stringMatching(/^(CREATED|QUEUED|RELOADING)$/) });
    const read = await reloads.getReload(queued.data.id, admin());
    expect(read.data.id).toBe(queued.data.id);
    expect((await reloads.getReloads({ appId }, admin())).data.data.map((r) => r.id)).toContain(queued.data.id);
  });

  it('web integrations and CSP origins: the partner origin allowed for embedding', async () => {
    const integration = await webIntegrations.createWebIntegration(
      { name: unique('Partner portal'), validOrigins: ['https://portal.partner.example'] },
      admin(),
    );
    expect(integration.status).toBe(201);
    expect(integration.data).toMatchObject({
      id: expect.any(String),
      validOrigins: ['https://portal.partner.example'],
    });
    expect((await webIntegrations.getWebIntegration(integration.data.id!, admin())).data.name).toBe(
      integration.data.name,
    );
    const csp = await cspOrigins.createCSPEntry(
      { name: unique('Partner portal'), origin: 'portal.partner.example', frameAncestors: true },
      admin(),
    );
    expect(csp.status).toBe(201);
    expect(csp.data).toMatchObject({ origin: 'portal.partner.example', frameAncestors: true });
    expect(((await cspOrigins.getCSPEntries({}, admin())).data.data ?? []).map((e) => e.id)).toContain(csp.data.id);
    expect((await cspOrigins.deleteCSPEntry(csp.data.id!, admin())).status).toBe(204);
  });

  it('brands, themes and extensions: a brand activated, a theme and an extension named by their .qext', async () => {
    // The Qlik default brand: the active brand is an empty object.
    expect((await brands.getActiveBrand(admin())).data).toEqual({});
    const brand = await brands.createBrand({ name: unique('Partner brand'), description: 'white label' }, admin());
    expect(brand.status).toBe(201);
    expect((await brands.activateBrand(brand.data.id, {}, admin())).status).toBe(200);
    expect((await brands.getBrand(brand.data.id, admin())).data).toMatchObject({ id: brand.data.id, active: true });
    // A 301 to the active brand, which fetch follows.
    expect((await brands.getActiveBrand(admin())).data).toMatchObject({ id: brand.data.id, active: true });
    expect((await brands.deactivateBrand(brand.data.id, {}, admin())).status).toBe(200);
    expect((await brands.getActiveBrand(admin())).data).toEqual({});

    const theme = await themes.uploadTheme(
      { file: new Blob([bundleZip('partner-theme', { name: 'Partner theme', type: 'theme', version: '1.0.0' })]) },
      admin(),
    );
    expect(theme.status).toBe(201);
    expect(theme.data).toMatchObject({ name: 'Partner theme', qextFilename: 'partner-theme', version: '1.0.0' });
    const extension = await extensions.uploadExtension(
      { file: new Blob([bundleZip('partner-kpi', { name: 'Partner KPI', type: 'visualization', version: '2.0.0' })]) },
      admin(),
    );
    expect(extension.status).toBe(201);
    expect(extension.data).toMatchObject({ name: 'Partner KPI', qextFilename: 'partner-kpi' });
    expect(
      await statusOf(
        extensions.uploadExtension(
          { file: new Blob([bundleZip('partner-kpi', { name: 'Partner KPI', type: 'visualization' })]) },
          admin(),
        ),
      ),
    ).toBe(409);
  });

  it("api keys: the tenant's settings read and patched; a Developer creates, lists, renames and deletes their own key, which acts as them", async () => {
    const me = (await users.getMyUser(admin())).data;
    const tenantId = me.tenantId;
    const config = (await apiKeys.getApiKeysConfig(tenantId, admin())).data;
    expect(config).toMatchObject({ max_api_key_expiry: expect.any(String), max_keys_per_user: expect.any(Number) });
    expect(
      (
        await apiKeys.patchApiKeysConfig(
          tenantId,
          [{ op: 'replace', path: '/max_api_key_expiry', value: 'P30D' }],
          admin(),
        )
      ).status,
    ).toBe(204);
    expect((await apiKeys.getApiKeysConfig(tenantId, admin())).data.max_api_key_expiry).toBe('P30D');
    const developer = (await roles.getRoles({ filter: 'name eq "Developer"' }, admin())).data.data[0]!;
    const current = (me.assignedRoles ?? []).map((r) => ({ id: r.id }));
    await users.patchUser(
      me.id,
      [{ op: 'replace', path: '/assignedRoles', value: [...current, { id: developer.id }] }],
      admin(),
    );
    const created = await apiKeys.createApiKey({ description: 'conformance' }, admin());
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ description: 'conformance', sub: me.id, token: expect.any(String) });
    const asKey = {
      hostConfig: { authType: 'apikey', host: HOST, apiKey: created.data.token } as never,
      noCache: true,
    };
    expect((await users.getMyUser(asKey)).data.id).toBe(me.id);
    const listed = (await apiKeys.getApiKeys({ sub: me.id }, admin())).data.data;
    expect(listed.map((k) => [k.id, k.status])).toEqual([[created.data.id, 'active']]);
    expect(listed[0]).not.toHaveProperty('token');
    expect(
      (await apiKeys.patchApiKey(created.data.id, [{ op: 'replace', path: '/description', value: 'renamed' }], admin()))
        .status,
    ).toBe(204);
    expect((await apiKeys.getApiKey(created.data.id, admin())).data).toMatchObject({
      id: created.data.id,
      description: 'renamed',
      sub: me.id,
    });
    expect(await statusOf(apiKeys.getApiKey('0123456789abcdef01234567', admin()))).toBe(404);
    expect((await apiKeys.deleteApiKey(created.data.id, admin())).status).toBe(204);
    expect(await statusOf(users.getMyUser(asKey))).toBe(401);
  });
});
