import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  isRecipeStepError,
  planProvisionFleet,
  provisionFleet,
  type RecipeEvent,
} from '../../src/index.js';
import { contentOf, fleetHydrate, prepareTemplate, stateByAlias } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarnessForTest } from './onboard-harness.js';

describe('provisionFleet against the simulator (strict)', () => {
  // N tenants cost N + 1 requests on the registration host: Qlik's flow takes a token there with the regional
  // client (qlik-cloud-apis.md, tenant creation step 4), then one POST /api/v1/tenants per tenant. Lookups go to
  // the Organization API and the tenants' own hosts, and the token is reused for every create.
  it('sends the registration host one token request and one create per new tenant, and a converged re-run nothing', async () => {
    const h = await startOnboardHarnessForTest({ timeScale: 200 });
    const customers = sampleCustomers(25);
    const journal = createMemoryJournalStore();
    const input = { partner: samplePartner(), customers };
    const registration = () =>
      h.requests.filter((r) => r.host === 'register.eu.qlikcloud.com').map((r) => `${r.method} ${r.path} ${r.status}`);

    const first = await provisionFleet(h.env, input, { journal, concurrency: 25 });
    expect(first.counts.provisioned).toBe(25);
    const counted = new Map<string, number>();
    for (const line of registration()) counted.set(line, (counted.get(line) ?? 0) + 1);
    expect(Object.fromEntries(counted)).toEqual({ 'POST /oauth/token 200': 1, 'POST /api/v1/tenants 201': 25 });

    const sent = registration().length;
    expect((await provisionFleet(h.env, input, { journal, concurrency: 25 })).counts.unchanged).toBe(25);
    expect(registration().slice(sent)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('provisions a fresh fleet of 8 (one of everything each), exports the template once, and a second run writes nothing', async () => {
    const h = await startOnboardHarnessForTest({ timeScale: 200, latency: undefined });
    const templateAppId = await prepareTemplate(h.env);
    const customers = sampleCustomers(8);
    const journal = createMemoryJournalStore();
    const events: RecipeEvent[] = [];
    const input = { partner: samplePartner(), customers, hydrate: fleetHydrate(templateAppId) };

    // A plan first: every customer would change, the steps after the tenant depend on it; nothing is written.
    const plan = await planProvisionFleet(h.env, input, { journal });
    expect(plan.changes).toBe(8);
    expect(plan.customers[0]!.plan!.steps.slice(0, 4).map((s) => [s.step, s.action])).toEqual([
      ['licenseKey', 'none'],
      ['tenant', 'create'],
      ['tenantOwner', 'depends'],
      ['tenantName', 'depends'],
    ]);
    expect(h.writes()).toEqual([]);
    const licenseReads = () => h.requests.filter((r) => r.path === '/api/v1/licenses/overview').length;
    const readsBefore = licenseReads();

    const first = await provisionFleet(h.env, input, { journal, concurrency: 8, onEvent: (e) => events.push(e) });
    expect(
      first.customers.filter((c) => c.status !== 'provisioned').map((c) => [c.customerId, String(c.error)]),
    ).toEqual([]);
    expect(first.counts.provisioned).toBe(8);
    expect(first.templateExports).toBe(1);
    // The registration host saw exactly one create per customer; the source license was read once.
    expect(
      h
        .writes()
        .filter((r) => r.host === 'register.eu.qlikcloud.com' && r.path === '/api/v1/tenants')
        .map((r) => r.status),
    ).toEqual(Array(8).fill(201));
    expect(licenseReads() - readsBefore).toBe(1);

    const state = stateByAlias(h.sim);
    expect([...state.keys()].sort()).toEqual(customers.map((c) => c.alias));
    for (const [index, customer] of customers.entries()) {
      const entry = state.get(customer.alias)!;
      expect(entry.tenants).toBe(1);
      expect(entry.idps).toBe(1);
      expect(entry.groups.sort()).toEqual(['Analytics Consumers', 'Analytics Contributors', 'Partner Support']);
      const content = await contentOf(h.env, entry.tenantHost);
      expect(content.spaces).toEqual([`managed:${customer.name}`, `shared:${customer.name} (development)`]);
      expect(content.apps).toEqual(['managed:Sales Analytics', 'shared:Sales Analytics']);
      const result = first.customers[index]!;
      expect(result).toMatchObject({
        customerId: customer.customerId,
        tenantHost: `${customer.alias}.eu.qlikcloud.com`,
        status: 'provisioned',
      });
      expect(result.appId).toEqual(expect.any(String));
      expect(result.durationMs).toEqual(expect.any(Number));
    }
    expect(events.filter((e) => e.type === 'customer:done')).toHaveLength(8);
    expect(h.sim.violations).toEqual([]);

    // Second run, same journal and a fresh one: nothing written (only token requests and GETs).
    const before = h.writes().length;
    expect((await planProvisionFleet(h.env, input, { journal })).changes).toBe(0);
    const second = await provisionFleet(h.env, input, { journal, concurrency: 8 });
    expect(second.counts.unchanged).toBe(8);
    const third = await provisionFleet(h.env, input, { journal: createMemoryJournalStore(), concurrency: 8 });
    expect(third.counts.unchanged).toBe(8);
    expect(third.customers.map((c) => c.appId)).toEqual(first.customers.map((c) => c.appId));
    expect(h.writes().slice(before)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  }, 60_000);

  it('one failing customer does not stop the others; failFast stops them', async () => {
    const h = await startOnboardHarnessForTest({ latency: false });
    const customers = sampleCustomers(4);
    // customer-002's alias belongs to a deactivated tenant: onboarding refuses to use it.
    const blocked = h.sim.state.createTenant({
      region: 'eu',
      hostnames: ['blocked.eu.qlikcloud.com', 'customer-002.eu.qlikcloud.com'],
      license: {
        licenseNumber: '1',
        product: 'Qlik Cloud Analytics (OEM)',
        allotments: [{ name: 'professional', units: 1 }],
      },
    });
    blocked.status = 'disabled';
    const result = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers },
      { journal: createMemoryJournalStore(), retry: { retries: 0 } },
    );
    expect(result.customers.map((c) => c.status)).toEqual(['provisioned', 'failed', 'provisioned', 'provisioned']);
    const failed = result.customers[1]!;
    expect(isRecipeStepError(failed.error)).toBe(true);
    expect(failed.error).toMatchObject({ customerId: 'c002', step: 'tenant' });
    expect(failed.failedStep).toBe('tenant');

    const stopped = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers: [customers[1]!, ...sampleCustomers(2, 10)] },
      { journal: createMemoryJournalStore(), retry: { retries: 0 }, failFast: true, concurrency: 1 },
    );
    expect(stopped.customers.map((c) => c.status)).toEqual(['failed', 'aborted', 'aborted']);
    expect(h.sim.violations).toEqual([]);
  });

  it('rejects bad fleet input before any request, naming every field', async () => {
    const h = await startOnboardHarnessForTest({ latency: false });
    const customers = [
      ...sampleCustomers(2),
      { customerId: 'c003', name: 'Bad/Name', alias: 'customer-003' },
      { customerId: 'c004', name: 'Dup', alias: 'customer-001' },
      { customerId: 'c001', name: 'Dup id', alias: 'customer-005' },
      { customerId: 'c006', name: 'x', alias: 'UPPER' },
    ];
    const error = await provisionFleet(h.env, {
      partner: samplePartner({
        jwt: { issuer: '', keyId: 'k', publicKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' },
      }),
      customers,
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(error)).toBe(true);
    const message = (error as Error).message;
    for (const field of [
      'partner.jwt.issuer',
      'partner.jwt.publicKeyPem',
      'customers[2].name',
      'customers[3].alias',
      'customers[4].customerId',
      'customers[5].alias',
    ]) {
      expect(message).toContain(field);
    }
    expect(message).not.toContain('PRIVATE KEY-----\nx');

    const badConnection = await provisionFleet(h.env, {
      partner: samplePartner(),
      customers: sampleCustomers(2),
      hydrate: {
        template: { appId: 'tpl' },
        dataConnection: (c) => ({
          name: 'Customer Data',
          datasourceId: 'postgres',
          connectionString: c.alias === 'customer-002' ? ' ' : 'host=x',
        }),
      },
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(badConnection)).toBe(true);
    expect((badConnection as Error).message).toContain('customers[1].hydrate.dataConnection.connectionString');

    // Reserved aliases and the source tenant's alias.
    const reserved = await provisionFleet(h.env, {
      partner: samplePartner(),
      customers: [
        { customerId: 'r1', name: 'Registers', alias: 'register' },
        { customerId: 'r2', name: 'Sources', alias: 'source' },
        { customerId: 'r3', name: 'Console', alias: 'console' },
      ],
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(reserved)).toBe(true);
    const reservedText = [(reserved as Error).message, JSON.stringify(reserved)].join('\n');
    expect(reservedText).toContain('customers[0].alias: "register" is reserved');
    expect(reservedText).toContain("customers[1].alias: names the partner's source tenant source.eu.qlikcloud.com");
    expect(reservedText).toContain('customers[2].alias: "console" is reserved');

    // A builder whose error quotes the password.
    const leaky = await provisionFleet(h.env, {
      partner: samplePartner(),
      customers: sampleCustomers(1),
      hydrate: {
        template: { appId: 'tpl' },
        dataConnection: (c) => {
          throw new Error(`cannot reach postgres://app:hunter2-pw@${c.alias}-db/sales (password=hunter2-pw)`);
        },
      },
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(leaky)).toBe(true);
    const leakyText = [(leaky as Error).message, JSON.stringify(leaky), String(leaky), inspect(leaky)].join('\n');
    expect(leakyText).toContain(
      'customers[0].dataConnection: could not be built: cannot reach postgres://app:[REDACTED]@',
    );
    expect(leakyText).not.toContain('hunter2');
    expect(h.requests).toEqual([]);
  });

  it('customizes every tenant (web integration, CSP origin) when asked, and converges', async () => {
    const h = await startOnboardHarnessForTest({ latency: false });
    const customers = sampleCustomers(2);
    const input = {
      partner: samplePartner(),
      customers,
      customize: (c: { alias: string }) => ({
        webIntegration: { name: 'Partner portal', validOrigins: [`https://${c.alias}.portal.partner.example`] },
        cspOrigins: [
          {
            name: 'Partner portal',
            origin: `https://${c.alias}.portal.partner.example`,
            directives: ['frameAncestors' as const],
          },
        ],
      }),
    };
    const journal = createMemoryJournalStore();
    const first = await provisionFleet(h.env, input, { journal });
    expect(first.counts.provisioned).toBe(2);
    for (const [index, customer] of customers.entries()) {
      const result = first.customers[index]!;
      expect(result.webIntegrationId).toEqual(expect.any(String));
      const qc = h.env.tenant(result.tenantHost!);
      const integrations = (await qc.webIntegrations.GET('/api/v1/web-integrations')).data!.data!;
      expect(integrations.map((w) => [w.id, w.validOrigins])).toEqual([
        [result.webIntegrationId, [`https://${customer.alias}.portal.partner.example`]],
      ]);
    }
    const before = h.writes().length;
    expect((await provisionFleet(h.env, input, { journal })).counts.unchanged).toBe(2);
    expect(h.writes().slice(before)).toEqual([]);

    const bad = await provisionFleet(h.env, {
      ...input,
      customize: { webIntegration: { name: 'x', validOrigins: ['http://insecure.example'] } },
    }).catch((e: unknown) => e);
    expect(isQlikValidationError(bad)).toBe(true);
    expect((bad as Error).message).toContain('customers[0].customize.webIntegration.validOrigins[0]');
    expect(h.sim.violations).toEqual([]);
  });
});
