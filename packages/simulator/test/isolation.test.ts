import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { call, REGISTER_EU, SOURCE, startStrict, tokenFor } from './helpers.js';

describe('tenant isolation', () => {
  let sim: Simulator;
  let other: string;
  beforeAll(async () => {
    sim = await startStrict();
    const reg = await tokenFor(sim, REGISTER_EU);
    const overview = await call(sim, await tokenFor(sim, SOURCE), 'GET', `https://${SOURCE}/api/v1/licenses/overview`);
    const created = await call(sim, reg, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, {
      licenseKey: overview.body.licenseKey,
    });
    other = created.body.hostnames[0];
  });
  afterAll(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('refuses a token of one tenant on another with 401', async () => {
    const sourceToken = await tokenFor(sim, SOURCE);
    const res = await call(sim, sourceToken, 'GET', `https://${other}/api/v1/users/me`);
    expect(res.status).toBe(401);
    const reg = await tokenFor(sim, REGISTER_EU);
    expect((await call(sim, reg, 'GET', `https://${other}/api/v1/users`)).status).toBe(401);
  });

  it('shows nothing of one tenant from another', async () => {
    const sourceToken = await tokenFor(sim, SOURCE);
    const otherToken = await tokenFor(sim, other);
    const group = await call(sim, sourceToken, 'POST', `https://${SOURCE}/api/v1/groups`, { name: 'Only in source' });
    expect(group.status).toBe(201);
    expect((await call(sim, otherToken, 'GET', `https://${other}/api/v1/groups/${group.body.id}`)).status).toBe(404);
    const list = await call(sim, otherToken, 'GET', `https://${other}/api/v1/groups`);
    expect(list.body.data).toEqual([]);
    const sourceUsers = await call(sim, sourceToken, 'GET', `https://${SOURCE}/api/v1/users`);
    for (const u of sourceUsers.body.data)
      expect((await call(sim, otherToken, 'GET', `https://${other}/api/v1/users/${u.id}`)).status).toBe(404);
    const sourceTenantId = sim.state.tenantByHost(SOURCE)?.id;
    expect((await call(sim, otherToken, 'GET', `https://${other}/api/v1/tenants/${sourceTenantId}`)).status).toBe(404);
  });

  it('keeps rate-limit buckets per tenant host', async () => {
    await tokenFor(sim, SOURCE);
    const hosts = new Set(sim.counters.map((c) => c.host));
    expect(hosts.has(SOURCE)).toBe(true);
    expect(hosts.has(other)).toBe(true);
  });
});
