import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as backend from '../../src/content/backend.js';
import { databasesOf } from '../../src/engine/script/plugin.js';
import { defaultStateFile, startSimulator, type Simulator, type TenantState } from '../../src/index.js';
import { tokenFor } from '../helpers.js';
import { HOST, startContentSim, type ContentSim } from './helpers.js';

describe('the backend API the engine and QSEoW hosts use', () => {
  let t: ContentSim;
  let tenant: TenantState;
  let spaceA: string;
  let spaceB: string;
  let appId: string;
  beforeAll(async () => {
    t = await startContentSim();
    const found = t.sim.state.tenantByHost(HOST);
    if (!found) throw new Error('no tenant');
    tenant = found;
    spaceA = (await t.api('POST', '/api/v1/spaces', { name: 'A', type: 'shared' })).body.id;
    spaceB = (await t.api('POST', '/api/v1/spaces', { name: 'B', type: 'managed' })).body.id;
    const created = await t.api('POST', '/api/v1/apps', { attributes: { name: 'Engine app', spaceId: spaceA } });
    appId = created.body.attributes.id;
  });
  afterAll(() => t.close());

  it('starts from the state file: the seeded space and template app exist', async () => {
    const templates = await t.api('GET', '/api/v1/spaces?name=Templates');
    expect(templates.body.data).toHaveLength(1);
    const items = await t.api('GET', `/api/v1/items?spaceId=${templates.body.data[0].id}`);
    expect(items.body.data.map((i: { name: string }) => i.name)).toEqual(['Customer Analytics Template']);
  });

  it('reads and writes the script and properties the REST API sees', async () => {
    const now = t.clock.now();
    backend.setAppScript(tenant, appId, "LIB CONNECT TO 'Engine Conn';", now);
    expect(backend.getAppScript(tenant, appId)).toBe("LIB CONNECT TO 'Engine Conn';");
    backend.setAppProperties(tenant, appId, { qTitle: 'Renamed by engine', custom: 1 }, now);
    expect(backend.getAppProperties(tenant, appId)).toMatchObject({ qTitle: 'Renamed by engine', custom: 1 });
    expect((await t.api('GET', `/api/v1/apps/${appId}`)).body.attributes.name).toBe('Renamed by engine');
    expect(backend.findApp(tenant, 'nope')).toBeUndefined();
    expect(() => backend.getAppScript(tenant, 'nope')).toThrow(backend.ContentError);
  });

  it('creates, modifies and deletes connections in the app’s space, visible over REST, without secrets', async () => {
    const now = t.clock.now();
    const created = backend.createAppConnection(
      tenant,
      appId,
      { name: 'Engine Conn', connectionString: 'host=a', type: 'postgres', password: 'pw-x' },
      'bot',
      now,
    );
    expect(created.spaceId).toBe(spaceA);
    expect(JSON.stringify(created)).not.toContain('pw-x');
    const rest = await t.api('GET', `/api/v1/data-connections/${created.id}`);
    expect(rest.body).toMatchObject({ qName: 'Engine Conn', space: spaceA });
    expect(() =>
      backend.createAppConnection(
        tenant,
        appId,
        { name: 'engine conn', connectionString: 'x', type: 'postgres' },
        'bot',
        now,
      ),
    ).toThrow(/already exists/);
    backend.modifyAppConnection(tenant, appId, created.id, { connectionString: 'host=b.partner.example' }, { now });
    expect((await t.api('GET', `/api/v1/data-connections/${created.id}`)).body.qConnectStatement).toBe(
      'host=b.partner.example',
    );
    expect(() => backend.modifyAppConnection(tenant, appId, created.id, { type: 'odbc' }, { now })).toThrow(
      /cannot be modified/,
    );
    expect(backend.listAppConnections(tenant, appId).map((c) => c.name)).toEqual(['Engine Conn']);

    // A connection in another space is not the app's.
    const other = await t.api('POST', '/api/v1/data-connections', {
      qName: 'B conn',
      qType: 'folder',
      qConnectStatement: 'x',
      datasourceID: 'folder',
      space: spaceB,
    });
    expect(() => backend.getAppConnection(tenant, appId, other.body.qID)).toThrow(/not found/);
    expect(t.sim.violations).toEqual([]);
  });

  it('reloads now with the REST rules, and stamps lastReloadTime on success', async () => {
    const ok = await backend.reloadApp(tenant, appId, t.clock.now(), { databases: databasesOf(t.sim.state) });
    expect(ok.success).toBe(true);
    expect((await t.api('GET', `/api/v1/apps/${appId}`)).body.attributes.lastReloadTime).toBe(
      new Date(t.clock.now()).toISOString(),
    );
    backend.setAppScript(tenant, appId, "LIB CONNECT TO 'B conn';", t.clock.now());
    const failed = await backend.reloadApp(tenant, appId, t.clock.now(), { databases: databasesOf(t.sim.state) });
    expect(failed.success).toBe(false);
    expect(failed.log).toMatch(/'B conn' not found in space 'A'/);
    const conn = backend.listAppConnections(tenant, appId)[0];
    if (!conn) throw new Error('no connection');
    backend.deleteAppConnection(tenant, appId, conn.id);
    expect(backend.findConnection(tenant, conn.id)).toBeUndefined();
  });

  it('lands a distributed app staged with the QSEoW id; a re-distribution keeps its space', async () => {
    const content = {
      description: '',
      script: 'LOAD 1 AS a AUTOGENERATE 1;',
      properties: {},
      objects: [],
      hasData: true,
    };
    const id = '6c1b1ddf-8a3c-4b7a-9a4e-2f2ad3b0c001';
    const staged = backend.putDistributedApp(tenant, { id, name: 'From QSEoW', content }, t.clock.now());
    expect(staged.spaceId).toBeUndefined();
    expect((await t.api('GET', `/api/v1/apps/${id}`)).body.attributes).toMatchObject({
      id,
      name: 'From QSEoW',
      published: true,
    });
    await t.api('PUT', `/api/v1/apps/${id}/space`, { spaceId: spaceB });
    const replaced = backend.putDistributedApp(
      tenant,
      { id, name: 'From QSEoW v2', content: { ...content, script: 'LOAD 2 AS a AUTOGENERATE 1;' } },
      t.clock.now(),
    );
    expect(replaced.spaceId).toBe(spaceB);
    expect(backend.getAppScript(tenant, id)).toBe('LOAD 2 AS a AUTOGENERATE 1;');
    expect(t.sim.violations).toEqual([]);
  });
});

describe('tenant isolation', () => {
  let sim: Simulator;
  beforeAll(async () => {
    const state = defaultStateFile();
    state.tenants.push({ hostname: 'other.eu.qlikcloud.com', region: 'eu' });
    sim = await startSimulator({ strict: true, latency: false, rateLimits: false, state });
  });
  afterAll(() => sim.close());

  it('keeps each tenant’s spaces and connections to itself', async () => {
    const call = async (host: string, method: string, path: string, body?: unknown) => {
      const token = await tokenFor(sim, host);
      const res = await sim.fetch(`https://${host}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const space = await call('other.eu.qlikcloud.com', 'POST', '/api/v1/spaces', { name: 'Only here', type: 'shared' });
    expect(space.status).toBe(201);
    expect((await call(HOST, 'GET', '/api/v1/spaces?name=Only')).body.data).toEqual([]);
    expect((await call(HOST, 'GET', `/api/v1/spaces/${space.body.id}`)).status).toBe(404);
    expect((await call('other.eu.qlikcloud.com', 'GET', '/api/v1/spaces?name=Templates')).body.data).toEqual([]);
    expect(sim.violations).toEqual([]);
  });
});
