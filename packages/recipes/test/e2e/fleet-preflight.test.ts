// Fleet-wide mistakes are found before the first write: each one stops the whole fleet with a
// QlikValidationError that names the field (and the customer), and the simulator saw no write.
import { inspect } from 'node:util';
import { isQlikValidationError, type QlikValidationError } from '@qlik-oem/core';
import { defaultStateFile } from '@qlik-oem/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCustomerProvisioner,
  createMemoryJournalStore,
  provisionFleet,
  type JournalStore,
  type ProvisionFleetInput,
} from '../../src/index.js';
import { fleetHydrate, prepareTemplate } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness, type OnboardHarness } from './onboard-harness.js';

const RETRY = { retries: 2, baseDelayMs: 10, maxDelayMs: 50 };

describe('provisionFleet checks the whole fleet against Qlik before the first write (strict simulator)', () => {
  let h: OnboardHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Runs the fleet, expects a validation error, and that nothing was written meanwhile. */
  async function refused(input: ProvisionFleetInput, journal: JournalStore = createMemoryJournalStore()) {
    const before = h!.writes().length;
    const tenantsBefore = h!.sim.state.tenants.size;
    const error = await provisionFleet(h!.env, input, { journal, retry: RETRY }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isQlikValidationError(error), String(error)).toBe(true);
    expect(h!.writes().slice(before)).toEqual([]);
    expect(h!.sim.state.tenants.size).toBe(tenantsBefore);
    expect(h!.sim.violations).toEqual([]);
    const validation = error as QlikValidationError;
    return {
      error: validation,
      text: [validation.message, JSON.stringify(validation), inspect(validation)].join('\n'),
    };
  }

  it('a template app id that does not exist', async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const { error } = await refused({
      partner: samplePartner(),
      customers: sampleCustomers(3),
      hydrate: fleetHydrate('00000000-0000-4000-8000-00000000dead'),
    });
    expect(error.issues).toEqual([
      {
        path: ['hydrate', 'template', 'appId'],
        message: 'no app "00000000-0000-4000-8000-00000000dead" on the source tenant source.eu.qlikcloud.com',
      },
    ]);
  });

  it("a script connection the template's script does not use", async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const templateAppId = await prepareTemplate(h.env);
    const hydrate = { ...fleetHydrate(templateAppId), scriptConnection: { from: 'Customer DB' } };
    const { error } = await refused({ partner: samplePartner(), customers: sampleCustomers(3), hydrate });
    expect(error.message).toContain(
      `hydrate.scriptConnection.from: the script of template app "${templateAppId}" has no LIB CONNECT TO 'Customer DB' (it connects to 'Customer Data')`,
    );
  });

  it('a data connection without the customer in it (every customer would read the same database)', async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const hydrate = {
      ...fleetHydrate('any-template'),
      dataConnection: () => ({
        name: 'Customer Data',
        datasourceId: 'postgres',
        connectionString: 'host=db.partner.example;database=sales',
        password: 'hunter2-shared-pw',
      }),
    };
    const { error, text } = await refused({ partner: samplePartner(), customers: sampleCustomers(3), hydrate });
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual([
      'customers.1.hydrate.dataConnection.connectionString',
      'customers.2.hydrate.dataConnection.connectionString',
    ]);
    expect(error.issues[0]!.message).toContain('customer "c002" gets the same data connection as customer "c001"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('db.partner.example');
    // Found from the input alone: not even a read.
    expect(h.requests).toEqual([]);
  });

  it("an alias another partner's tenant holds stops every customer, not only that one", async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const other = samplePartner({
      jwt: { ...samplePartner().jwt, issuer: 'https://another-partner.example' },
    });
    const taken = { customerId: 'x1', name: 'Someone Else', alias: 'customer-002' };
    const made = await provisionFleet(
      h.env,
      { partner: other, customers: [taken] },
      { journal: createMemoryJournalStore(), retry: RETRY },
    );
    expect(made.counts.provisioned).toBe(1);
    const tenant = h.sim.state.tenantByHost('customer-002.eu.qlikcloud.com')!;

    const { error } = await refused({ partner: samplePartner(), customers: sampleCustomers(3) });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toEqual(['customers', 1, 'alias']);
    expect(error.issues[0]!.message).toMatch(
      new RegExp(`^"customer-002" is taken by tenant ${tenant.id}, which lacks customer "c002"'s ownership mark`),
    );
  });

  it("an alias held by another customer's tenant (recorded in the fleet's journal, or marked as theirs)", async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const journal = createMemoryJournalStore();
    const [first] = sampleCustomers(1);
    const done = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers: [first!] },
      { journal, retry: RETRY },
    );
    expect(done.counts.provisioned).toBe(1);
    const tenantId = done.customers[0]!.tenantId!;
    const newcomer = { customerId: 'c100', name: 'Newcomer', alias: first!.alias };
    // c001 moves to a new alias in the same fleet, and a newcomer is given its old one.
    const { error } = await refused(
      { partner: samplePartner(), customers: [{ ...first!, alias: 'customer-renamed' }, newcomer] },
      journal,
    );
    expect(error.issues).toEqual([
      {
        path: ['customers', 1, 'alias'],
        message: `"customer-001" is the alias of tenant ${tenantId}, which customer "c001" has; customer "c100" needs a tenant of its own`,
      },
    ]);
    // On its own, in a fleet (or journal) that does not know c001: the tenant lacks the newcomer's mark.
    const alone = await refused({ partner: samplePartner(), customers: [newcomer] });
    expect(alone.error.issues[0]!.message).toContain(
      `"customer-001" is taken by tenant ${tenantId}, which lacks customer "c100"'s ownership mark`,
    );
  });

  it('a regional client whose token lacks admin_classic (403 on the source tenant) stops the fleet before any write', async () => {
    h = await startOnboardHarness({ timeScale: 200, oauthScope: 'user_default' });
    const { error } = await refused({ partner: samplePartner(), customers: sampleCustomers(3) });
    expect(error.issues).toEqual([
      {
        path: ['oauth'],
        message:
          "Qlik refused the regional client on the source tenant source.eu.qlikcloud.com (GET https://source.eu.qlikcloud.com/api/v1/licenses/overview answered 403 HTTP-403): the fleet reads its license key and id, which takes a tenant admin's access (scope admin_classic)",
      },
    ]);
    // Once for the fleet, not once per customer: the preflight's two reads (license key, the source tenant's
    // id) were refused, and no customer's run started.
    expect(h.requests.filter((r) => r.status === 403).map((r) => r.path)).toEqual([
      '/api/v1/licenses/overview',
      '/api/v1/tenants/me',
    ]);
  });

  it('an organization client not allowed cloud-console.tenants:read (its token request refused) stops the fleet before any write', async () => {
    const state = defaultStateFile();
    state.oauthClients = state.oauthClients.map((client) =>
      client.clientId === 'sim-org' ? { ...client, scopes: ['cloud-console.users:read'] } : client,
    );
    h = await startOnboardHarness({ timeScale: 200, state });
    const journal = createMemoryJournalStore();
    const { error } = await refused({ partner: samplePartner(), customers: sampleCustomers(3) }, journal);
    expect(error.issues).toEqual([
      {
        path: ['organization'],
        message:
          'Qlik refused the organization client (POST https://console.qlikcloud.com/oauth/token answered 400 OAUTH-4): it must be an organization-level OAuth client allowed the scope cloud-console.tenants:read',
      },
    ]);
    // No customer run started: nothing journaled either.
    for (const customer of sampleCustomers(3)) expect(await journal.read(customer.customerId)).toEqual([]);
  });

  it('createCustomerProvisioner (queue workers, the broker) refuses the same mistakes before writing', async () => {
    h = await startOnboardHarness({ timeScale: 200 });
    const templateAppId = await prepareTemplate(h.env);
    const missing = createCustomerProvisioner(
      h.env,
      { partner: samplePartner(), hydrate: fleetHydrate('00000000-0000-4000-8000-00000000dead') },
      { journal: createMemoryJournalStore() },
    );
    const [c1, c2] = sampleCustomers(2);
    const before = h.writes().length;
    const error = await missing.provision(c1!).catch((e: unknown) => e as QlikValidationError);
    expect(isQlikValidationError(error)).toBe(true);
    expect((error as QlikValidationError).issues[0]!.path).toEqual(['hydrate', 'template', 'appId']);
    expect(h.writes().slice(before)).toEqual([]);

    // A static connection: the first customer gets it, the second is refused before any write.
    const shared = createCustomerProvisioner(
      h.env,
      {
        partner: samplePartner(),
        hydrate: {
          ...fleetHydrate(templateAppId),
          dataConnection: {
            name: 'Customer Data',
            datasourceId: 'postgres',
            connectionString: 'host=customer-001-db.partner.example;database=sales',
          },
        },
      },
      { journal: createMemoryJournalStore(), retry: RETRY },
    );
    const firstRun = await shared.provision(c1!);
    expect(firstRun.status, String(firstRun.error)).toBe('provisioned');
    const afterFirst = h.writes().length;
    const second = await shared.provision(c2!).catch((e: unknown) => e as QlikValidationError);
    expect(isQlikValidationError(second)).toBe(true);
    expect((second as QlikValidationError).message).toContain(
      'customers[0].hydrate.dataConnection.connectionString: customer "c002" gets the same data connection as customer "c001"',
    );
    expect(h.writes().slice(afterFirst)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });
});
