import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type Simulator } from '../src/index.js';
import { call, EU_CLIENT, REGISTER_EU, SOURCE, startStrict, tokenFor } from './helpers.js';

const CONSOLE = 'console.qlikcloud.com';
const ORG_CLIENT = { client_id: 'sim-org', client_secret: 'sim-org-secret' };

const started: Simulator[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    expect(s.violations).toEqual([]);
    await s.close();
  }
});
async function start(options: Parameters<typeof startStrict>[0] = {}): Promise<Simulator> {
  const sim = await startStrict(options);
  started.push(sim);
  return sim;
}

/** Creates `count` tenants from the source tenant's license; returns their ids. */
async function createTenants(sim: Simulator, count: number): Promise<string[]> {
  const sourceToken = await tokenFor(sim, SOURCE);
  const { licenseKey } = (await call(sim, sourceToken, 'GET', `https://${SOURCE}/api/v1/licenses/overview`)).body;
  const registration = await tokenFor(sim, REGISTER_EU);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await call(sim, registration, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, { licenseKey });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  return ids;
}

const tenantsUrl = (query: Record<string, string>) =>
  `https://${CONSOLE}/api/core/tenants?${new URLSearchParams(query).toString()}`;

describe('the Organization API on console.qlikcloud.com', () => {
  it('issues organization tokens only to organization clients, and only on the console', async () => {
    const sim = await start();
    const token = await tokenFor(sim, CONSOLE, ORG_CLIENT);
    expect(token).toBeTruthy();
    await expect(tokenFor(sim, CONSOLE, EU_CLIENT)).rejects.toThrow(/401/);
    await expect(tokenFor(sim, SOURCE, ORG_CLIENT)).rejects.toThrow(/401/);
    // A regional token is no organization token.
    const regional = await tokenFor(sim, REGISTER_EU);
    expect((await call(sim, regional, 'GET', tenantsUrl({ filter: 'subscriptionId eq "x"' }))).status).toBe(401);
    // The organization token is refused on a tenant host.
    expect((await call(sim, token, 'GET', `https://${SOURCE}/api/v1/users`)).status).toBe(401);
  });

  it('lists, counts and filters the tenants of a subscription by createdAt, hostnames and status', async () => {
    const clock = createManualClock(Date.parse('2026-12-02T10:00:00Z'));
    const sim = await start({ clock });
    const token = await tokenFor(sim, CONSOLE, ORG_CLIENT);
    const source = (await call(sim, token, 'GET', tenantsUrl({ filter: 'subscriptionId eq "none"' }))).body;
    expect(source.data).toEqual([]);

    const sourceTenant = sim.state.tenantByHost(SOURCE)!;
    const subscription = sourceTenant.subscriptionId;
    clock.advance(60_000);
    const since = new Date(clock.now()).toISOString();
    const ids = await createTenants(sim, 3);

    const bySub = `subscriptionId eq "${subscription}"`;
    const all = await call(sim, token, 'GET', tenantsUrl({ filter: bySub, totalResults: 'true' }));
    expect(all.status).toBe(200);
    expect(all.body.totalResults).toBe(4);
    expect(all.body.data.map((t: { id: string }) => t.id).sort()).toEqual([sourceTenant.id, ...ids].sort());

    const recent = await call(sim, token, 'GET', tenantsUrl({ filter: `${bySub} and createdAt ge "${since}"` }));
    expect(recent.body.data.map((t: { id: string }) => t.id).sort()).toEqual([...ids].sort());
    expect(recent.body.data[0]).toMatchObject({ subscriptionId: subscription, status: 'active', regionCode: 'eu' });

    const byHost = await call(sim, token, 'GET', tenantsUrl({ filter: `${bySub} and hostnames eq "${SOURCE}"` }));
    expect(byHost.body.data.map((t: { id: string }) => t.id)).toEqual([sourceTenant.id]);

    const counted = await call(
      sim,
      token,
      'GET',
      `https://${CONSOLE}/api/core/tenants/actions/count?filter=${encodeURIComponent(`${bySub} and status eq "active"`)}`,
    );
    expect(counted.body).toEqual({ total: 4 });

    const filtered = await call(sim, token, 'POST', `https://${CONSOLE}/api/core/tenants/actions/filter?limit=2`, {
      filter: `${bySub} and createdAt gt "${since}" or ${bySub} and createdAt eq "${since}"`,
    });
    expect(filtered.body.data).toHaveLength(2);
    const next = new URL(filtered.body.links.next.href);
    const rest = await call(sim, token, 'GET', next.href);
    expect(rest.body.data).toHaveLength(1);
    expect([...filtered.body.data, ...rest.body.data].map((t: { id: string }) => t.id).sort()).toEqual([...ids].sort());

    const one = await call(sim, token, 'GET', `https://${CONSOLE}/api/core/tenants/${ids[0]}`);
    expect(one.body).toMatchObject({ id: ids[0], subscriptionId: subscription });
  });

  it('refuses a filter without subscriptionId or with an operator the attribute does not support', async () => {
    const sim = await start();
    const token = await tokenFor(sim, CONSOLE, ORG_CLIENT);
    for (const filter of [
      'status eq "active"',
      'subscriptionId eq "a" and hostnames co "acme"',
      'subscriptionId co "a"',
      '',
    ]) {
      const answer = await call(sim, token, 'GET', tenantsUrl({ filter }));
      expect(answer.status, filter).toBe(400);
    }
  });
});

describe('lost answers: the handler runs, the client never hears', () => {
  it('lost-reset and lost-500 on POST /tenants leave exactly one new tenant behind', async () => {
    for (const kind of ['lost-reset', 'lost-500'] as const) {
      const sim = await start({ faults: { rate: 1, kinds: [kind], match: /^POST register\./ } });
      const sourceToken = await tokenFor(sim, SOURCE);
      const { licenseKey } = (await call(sim, sourceToken, 'GET', `https://${SOURCE}/api/v1/licenses/overview`)).body;
      const registration = await tokenFor(sim, REGISTER_EU);
      const before = sim.state.tenants.size;
      const answer = await call(sim, registration, 'POST', `https://${REGISTER_EU}/api/v1/tenants`, {
        licenseKey,
      }).then(
        (r) => r.status,
        () => 'reset',
      );
      expect(answer).toBe(kind === 'lost-reset' ? 'reset' : 500);
      expect(sim.state.tenants.size).toBe(before + 1);
      expect(sim.faults.map((f) => f.kind)).toEqual([kind]);
    }
  });

  it('a fault injected before the handler creates nothing', async () => {
    const sim = await start({ faults: { rate: 1, kinds: ['500'], match: /^POST register\./ } });
    const before = sim.state.tenants.size;
    await expect(createTenants(sim, 1)).rejects.toThrow();
    expect(sim.state.tenants.size).toBe(before);
  });
});
