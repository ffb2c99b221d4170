import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultStateFile, startSimulator, StateFileError, validateStateFile, type Simulator } from '../src/index.js';
import { call, SOURCE, startStrict, tokenFor } from './helpers.js';

const started: Simulator[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

describe('strict mode', () => {
  it('fails loudly on a request that breaks the spec, naming operation, pointer and message', async () => {
    const sim = await startStrict();
    started.push(sim);
    const token = await tokenFor(sim, SOURCE);
    const res = await call(sim, token, 'POST', `https://${SOURCE}/api/v1/users`, { subject: 42 });
    expect(res.status).toBe(500);
    expect(res.body.errors[0].code).toBe('SIM-SPEC-VIOLATION');
    expect(res.body.errors[0].detail).toContain('POST /api/v1/users (users) request /body/subject');
    expect(sim.violations).toEqual([
      expect.objectContaining({
        operation: 'POST /api/v1/users (users)',
        direction: 'request',
        pointer: '/body/subject',
      }),
    ]);
    const unknownParam = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/roles?colour=blue`);
    expect(unknownParam.status).toBe(500);
    expect(sim.violations.at(-1)?.pointer).toBe('/query/colour');
  });

  it('fails loudly on a response that breaks the spec', async () => {
    const sim = await startStrict({
      routes: [
        {
          api: 'users',
          method: 'GET',
          path: '/api/v1/users/actions/count',
          handler: () => ({ status: 200, body: { total: 'many' } }),
        },
      ],
    });
    started.push(sim);
    const token = await tokenFor(sim, SOURCE);
    const res = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/users/actions/count`);
    expect(res.status).toBe(500);
    expect(sim.violations).toEqual([
      expect.objectContaining({
        operation: 'GET /api/v1/users/actions/count (users)',
        direction: 'response',
        pointer: '/body/total',
      }),
    ]);
  });

  it('refuses routes that are not operations of their spec at start', async () => {
    await expect(
      startStrict({
        routes: [{ api: 'users', method: 'GET', path: '/api/v1/users/whatever', handler: () => ({ status: 200 }) }],
      }),
    ).rejects.toThrow(/not an operation of specs\/qlik-cloud\/users.json/);
  });

  it('lenient, the handler answers a bad body with a 400 and nothing is recorded', async () => {
    const sim = await startSimulator({ latency: false, lenient: true });
    started.push(sim);
    const token = await tokenFor(sim, SOURCE);
    const res = await call(sim, token, 'POST', `https://${SOURCE}/api/v1/users`, { subject: 42 });
    expect(res.status).toBe(400);
    expect(sim.violations).toEqual([]);
  });
});

describe('state file', () => {
  it('lists every problem with its path', () => {
    const bad = {
      regions: ['eu', 'mars'],
      tenants: [{ hostname: 'A B', region: 'us' }],
      oauthClients: [{ clientId: 'x', region: 'eu', tenant: 'a.eu.qlikcloud.com' }],
    };
    let error: unknown;
    try {
      validateStateFile(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as StateFileError).problems).toEqual([
      'regions[1] must be one of eu, us, de, uk, ap, sg, jp',
      'tenants[0].hostname must be a lowercase hostname',
      'tenants[0].region must be one of the listed regions',
      'oauthClients[0].clientSecret must be a non-empty string',
      'oauthClients[0] needs exactly one of "region", "tenant" or "organization"',
      'oauthClients[0].tenant must be the hostname of a listed tenant',
    ]);
  });

  it('starts from a JSON file with its own tenants, users, groups and clients', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    const file = join(dir, 'state.json');
    writeFileSync(
      file,
      JSON.stringify({
        seed: 42,
        regions: ['us'],
        tenants: [
          {
            hostname: 'partner.us.qlikcloud.com',
            aliases: ['analytics.us.qlikcloud.com'],
            region: 'us',
            users: [{ subject: 'auth0|jo', email: 'jo@partner.example', roles: ['TenantAdmin'] }],
            groups: [{ name: 'Sales' }],
          },
        ],
        oauthClients: [
          {
            clientId: 'partner',
            clientSecret: 'partner-secret',
            tenant: 'partner.us.qlikcloud.com',
            scopes: ['admin_classic'],
          },
        ],
      }),
    );
    const sim = await startStrict({ state: file });
    started.push(sim);
    const token = await tokenFor(sim, 'analytics.us.qlikcloud.com', {
      client_id: 'partner',
      client_secret: 'partner-secret',
    });
    const users = await call(
      sim,
      token,
      'GET',
      `https://partner.us.qlikcloud.com/api/v1/users?filter=${encodeURIComponent('email eq "jo@partner.example"')}`,
    );
    expect(users.body.data).toHaveLength(1);
    const groups = await call(sim, token, 'GET', 'https://partner.us.qlikcloud.com/api/v1/groups');
    expect(groups.body.data.map((g: { name: string }) => g.name)).toEqual(['Sales']);
    expect(sim.violations).toEqual([]);
  });

  it('gives a clear error for an unreadable or invalid file', async () => {
    await expect(startSimulator({ state: '/nonexistent/state.json' })).rejects.toThrow(
      /Cannot read the state file \/nonexistent\/state.json/,
    );
    await expect(startSimulator({ state: { ...defaultStateFile(), regions: 'eu' } as never })).rejects.toThrow(
      /regions must be an array/,
    );
  });

  it('builds the same ids from the same seed', async () => {
    const a = await startSimulator({ seed: 5, latency: false });
    const b = await startSimulator({ seed: 5, latency: false });
    started.push(a, b);
    expect(a.state.tenantByHost(SOURCE)?.id).toBe(b.state.tenantByHost(SOURCE)?.id);
  });
});

it('starts from the example state file shipped with the package', async () => {
  const sim = await startStrict({ state: new URL('../state.example.json', import.meta.url).pathname });
  started.push(sim);
  const token = await tokenFor(sim, 'templates.eu.qlikcloud.com', {
    client_id: 'sim-source-client',
    client_secret: 'sim-source-secret',
  });
  const groups = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/groups`);
  expect(groups.body.data.map((g: { name: string }) => g.name)).toEqual(['Developers']);
  expect(sim.violations).toEqual([]);
});
