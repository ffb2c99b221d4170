import { isQlikAuthError, isQlikPermissionError } from '@qlik-oem/core';
import type { Simulator } from '@qlik-oem/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectAll,
  exportApp,
  importApp,
  oauthClientCredentials,
  paginate,
  registrationHost,
  unwrap,
  type QlikCloud,
} from '../src/index.js';
import { CLIENT, HOST, startSimulatedTenant } from './simulated-tenant.js';

let sim: Simulator;
let qc: QlikCloud;

beforeAll(async () => {
  ({ sim, qc } = await startSimulatedTenant());
});
afterAll(async () => {
  await sim?.close();
});

describe('@qlik-oem/qlik-cloud against startSimulator() (strict: spec-validated traffic)', () => {
  it('authenticates with client credentials and follows /users/me to the bot user', async () => {
    const me = unwrap(await qc.users.GET('/api/v1/users/me'));
    expect(me.tenantId).toBeTruthy();
    const tenant = unwrap(
      await qc.tenants.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: me.tenantId } } }),
    );
    expect(tenant.hostnames).toContain(HOST);
  });

  it('creates spaces and pages through them', async () => {
    for (let i = 0; i < 5; i++) {
      unwrap(await qc.spaces.POST('/api/v1/spaces', { body: { name: `Managed ${i}`, type: 'managed' } }));
    }
    const managed = await collectAll(
      paginate(qc.spaces, '/api/v1/spaces', { params: { query: { type: 'managed', limit: 2 } } }),
      { limit: 100 },
    );
    expect(managed.map((s) => s.name).sort()).toEqual([
      'Managed 0',
      'Managed 1',
      'Managed 2',
      'Managed 3',
      'Managed 4',
    ]);
  });

  it('exports an app and imports it again', async () => {
    const items = await collectAll(
      paginate(qc.items, '/api/v1/items', { params: { query: { resourceType: 'app' } } }),
      { limit: 10 },
    );
    const template = items.find((item) => item.name === 'Customer Analytics Template');
    expect(template?.resourceId).toBeTruthy();
    // The template's shared space belongs to another user: the TenantAdmin bot sees the app but may
    // export it only with Can edit in that space (help.qlik.com shared-space permissions).
    const refused = await exportApp(qc, template!.resourceId!).catch((error: unknown) => error);
    expect(isQlikPermissionError(refused)).toBe(true);
    const me = unwrap(await qc.users.GET('/api/v1/users/me'));
    unwrap(
      await qc.spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId: template!.spaceId! } },
        body: { type: 'user', assigneeId: me.id, roles: ['producer'] },
      }),
    );
    const bytes = await exportApp(qc, template!.resourceId!);
    expect(bytes.byteLength).toBeGreaterThan(0);
    const imported = await importApp(qc, { bytes, name: 'Imported copy' });
    expect(imported.attributes?.id).toBeTruthy();
    expect(imported.attributes?.id).not.toBe(template!.resourceId);
  });

  it('gets a token on the registration host and refuses a wrong secret with QlikAuthError', async () => {
    const register = registrationHost('eu');
    const token = await oauthClientCredentials({ host: register, ...CLIENT, fetch: sim.nodeFetch }).getToken();
    expect(token.token).toBeTruthy();
    const error = await oauthClientCredentials({
      host: HOST,
      ...CLIENT,
      clientSecret: 'wrong-secret-xyz',
      fetch: sim.nodeFetch,
    })
      .getToken()
      .catch((e: unknown) => e);
    expect(isQlikAuthError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('wrong-secret-xyz');
  });

  it('sent only spec-valid requests', () => {
    expect(sim.violations).toEqual([]);
  });
});
