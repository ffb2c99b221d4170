/**
 * Authorization as Qlik's official REST client sees it: @qlik/api (unchanged, over Node's global fetch with
 * the simulator's undici dispatcher) getting tokens (client credentials, user impersonation) and meeting
 * the 403s Qlik documents: a missing tenant role, a missing scope, a missing space role.
 */
import { apps, identityProviders, items, roles, spaces, users } from '@qlik/api';
import { defaultStateFile, type Simulator } from '@qlik-oem/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeGlobalFetch, startHttpsSimulator, statusOf } from './setup.js';

const HOST = 'source.eu.qlikcloud.com';
const BOT = { clientId: 'sim-source-client', clientSecret: 'sim-source-secret' };
const IMPERSONATOR = { clientId: 'conformance-impersonator', clientSecret: 'conformance-impersonator-secret' };

let sim: Simulator;
let restoreFetch: () => void;

beforeAll(async () => {
  const state = defaultStateFile();
  state.oauthClients.push({
    ...IMPERSONATOR,
    tenant: HOST,
    scopes: ['user_default'],
    allowedGrantTypes: ['urn:qlik:oauth:user-impersonation'],
  });
  state.tenants[0]!.users!.push({ subject: 'partner|viewer', name: 'Viewer' });
  sim = await startHttpsSimulator(state);
  restoreFetch = routeGlobalFetch(sim);
});
afterAll(async () => {
  restoreFetch();
  expect(sim.violations).toEqual([]);
  await sim.close();
});

const oauth = (extra: Record<string, unknown> = {}) => ({
  hostConfig: { authType: 'oauth2', host: HOST, ...BOT, ...extra } as never,
  noCache: true,
});

describe('@qlik/api REST calls against the simulator: authorization', () => {
  it('a TenantAdmin bot with admin_classic reads roles and identity providers; with the default user_default scope it gets 403', async () => {
    const admin = oauth({ scope: 'admin_classic' });
    expect((await roles.getRoles({}, admin)).status).toBe(200);
    expect((await identityProviders.getIdps({}, admin)).status).toBe(200);
    // @qlik/api's default scope is user_default: scopes restrict even a TenantAdmin.
    const userScoped = oauth();
    expect(await statusOf(roles.getRoles({}, userScoped))).toBe(403);
    expect((await spaces.getSpaces({}, userScoped)).status).toBe(200);
  });

  it('a bot without a role in the template space reads the app but its export is 403 until it can edit', async () => {
    const admin = oauth({ scope: 'admin_classic user_default' });
    const templates = (await spaces.getSpaces({ name: 'Templates' }, admin)).data.data![0]!;
    const me = (await users.getMyUser(admin)).data;
    const appId = (await items.getItems({ spaceId: templates.id }, admin)).data.data[0]!.resourceId!;
    expect((await apps.getAppInfo(appId, admin)).status).toBe(200);
    expect(await statusOf(apps.exportApp(appId, {}, admin))).toBe(403);
    await spaces.createSpaceAssignment(templates.id, { type: 'user', assigneeId: me.id, roles: ['producer'] }, admin);
    expect(await statusOf(apps.exportApp(appId, {}, admin))).toBe(201);
  });

  it('impersonation (subject): the token acts as that user, who is no admin and sees only spaces they belong to', async () => {
    const asViewer = {
      hostConfig: {
        authType: 'oauth2',
        host: HOST,
        ...IMPERSONATOR,
        subject: 'partner|viewer',
        noCache: true,
      } as never,
      noCache: true,
    };
    const me = await users.getMyUser(asViewer);
    expect(me.data.subject).toBe('partner|viewer');
    expect(await statusOf(users.getUsers({}, asViewer))).toBe(403);
    expect((await spaces.getSpaces({}, asViewer)).data.data).toEqual([]);
  });
});
