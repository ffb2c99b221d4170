import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  createProvisioningEnvironment,
  isRecipeStepError,
  onboardTenant,
  Secret,
} from '../../src/index.js';
import { ownershipMarkName } from '../../src/steps.js';
import { startOnboardHarness, sampleCustomers, samplePartner, type OnboardHarness } from './onboard-harness.js';

describe('onboardTenant against the simulator (strict)', () => {
  let h: OnboardHarness;
  beforeEach(async () => {
    h = await startOnboardHarness();
    return () => h.close();
  });

  it('creates and configures a tenant, and a second run writes nothing', async () => {
    const customer = {
      ...sampleCustomers(1)[0]!,
      allowContributors: true,
      admin: { email: 'Admin@Customer.example', name: 'Customer Admin' },
    };
    const journal = createMemoryJournalStore();
    const first = await onboardTenant(h.env, { customer, partner: samplePartner() }, { journal });

    expect(first.status).toBe('provisioned');
    expect(first.tenant.tenantHost).toBe('customer-001.eu.qlikcloud.com');
    const tenant = h.sim.state.tenantByHost('customer-001.eu.qlikcloud.com')!;
    expect(tenant.id).toBe(first.tenant.tenantId);
    expect(tenant.name).toBe('customer-001');
    expect(tenant.hostnames[1]).toBe('customer-001.eu.qlikcloud.com');
    // The customer's groups, and the SDK's ownership mark for this partner and customer.
    expect([...tenant.groups.values()].map((g) => g.name).sort()).toEqual([
      'Analytics Consumers',
      'Analytics Contributors',
      'Partner Support',
      ownershipMarkName({ customer, partner: samplePartner() }),
    ]);
    const idps = [...tenant.identityProviders.values()];
    expect(idps).toHaveLength(1);
    expect(idps[0]!.options).toMatchObject({ issuer: 'https://broker.partner.example' });
    expect(
      [...tenant.users.values()].find((u) => u.email === 'admin@customer.example')?.assignedRoles.map((r) => r.name),
    ).toContain('TenantAdmin');
    expect(tenant.license.settings).toEqual({ autoAssignProfessional: false, autoAssignAnalyzer: true });

    // Spaces and assignments, read back through the API.
    const qc = h.env.tenant(first.tenant.tenantHost);
    const spaces = (await qc.spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } })).data!.data!;
    expect(spaces.map((s) => `${s.type}:${s.name}`).sort()).toEqual([
      'managed:Customer 001',
      'shared:Customer 001 (development)',
    ]);
    const assignments = (
      await qc.spaces.GET('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId: first.tenant.managedSpaceId } },
      })
    ).data!.data!;
    const byGroup = Object.fromEntries(assignments.map((a) => [a.assigneeId, a.roles]));
    expect(byGroup).toEqual({
      [first.tenant.groupIds['Analytics Consumers']!]: ['consumer'],
      [first.tenant.groupIds['Analytics Contributors']!]: ['contributor'],
    });
    expect(h.sim.violations).toEqual([]);

    // Second run: nothing written, with or without the journal.
    const before = h.writes().length;
    const second = await onboardTenant(h.env, { customer, partner: samplePartner() }, { journal });
    expect(second.status).toBe('unchanged');
    const third = await onboardTenant(
      h.env,
      { customer, partner: samplePartner() },
      { journal: createMemoryJournalStore() },
    );
    expect(third.status).toBe('unchanged');
    expect(third.tenant).toEqual(first.tenant);
    expect(h.writes().slice(before)).toEqual([]);
    expect(h.sim.state.tenants.size).toBe(2); // the source tenant and this one
    expect(h.sim.violations).toEqual([]);
  });

  it('repairs drift: a contributor flag turned off removes the assignment; a rotated key replaces the IdP', async () => {
    const customer = { ...sampleCustomers(1)[0]!, allowContributors: true };
    const journal = createMemoryJournalStore();
    const first = await onboardTenant(h.env, { customer, partner: samplePartner() }, { journal });
    const { generateKeyPairSync } = await import('node:crypto');
    const rotated = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const partner = samplePartner({
      jwt: { issuer: 'https://broker.partner.example', keyId: 'partner-key-2', publicKeyPem: rotated },
    });
    const second = await onboardTenant(
      h.env,
      { customer: { ...customer, allowContributors: false }, partner },
      { journal },
    );
    expect(second.status).toBe('provisioned');
    expect(second.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['jwtIdp', 'spaceRoles']);
    const tenant = h.sim.state.tenantByHost(first.tenant.tenantHost)!;
    const idps = [...tenant.identityProviders.values()];
    expect(idps).toHaveLength(1);
    expect(idps[0]!.options).toMatchObject({ staticKeys: [{ kid: 'partner-key-2' }] });
    const qc = h.env.tenant(first.tenant.tenantHost);
    const assignments = (
      await qc.spaces.GET('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId: first.tenant.managedSpaceId } },
      })
    ).data!.data!;
    expect(assignments.map((a) => a.assigneeId)).toEqual([first.tenant.groupIds['Analytics Consumers']]);
    expect(h.sim.violations).toEqual([]);
  });

  it('rejects bad input before any request, naming the field', async () => {
    const bad = [
      { customer: { customerId: 'c1', name: 'Acme', alias: 'Acme_Corp' }, partner: samplePartner() },
      { customer: { customerId: 'c1', name: 'Acme: the best', alias: 'acme' }, partner: samplePartner() },
      {
        customer: { customerId: 'c1', name: 'Acme', alias: 'acme' },
        partner: samplePartner({ jwt: { issuer: 'x', keyId: 'k', publicKeyPem: 'not a pem' } }),
      },
      {
        customer: { customerId: 'c1', name: 'Acme', alias: 'acme', admin: { email: 'nope' } },
        partner: samplePartner(),
      },
    ];
    const fields = ['customer.alias', 'customer.name', 'partner.jwt.publicKeyPem', 'customer.admin.email'];
    for (const [index, input] of bad.entries()) {
      const error = await onboardTenant(h.env, input as never, { journal: createMemoryJournalStore() }).catch(
        (e: unknown) => e,
      );
      expect(isQlikValidationError(error)).toBe(true);
      expect((error as Error).message).toContain(fields[index]);
    }
    expect(h.requests).toEqual([]);
  });

  it('fails with a RecipeStepError naming customer and step when the source license cannot be read', async () => {
    const customer = sampleCustomers(1)[0]!;
    h.sim.state.tenantByHost('source.eu.qlikcloud.com')!.status = 'disabled';
    const error = await onboardTenant(
      h.env,
      { customer, partner: samplePartner() },
      { journal: createMemoryJournalStore(), retry: { retries: 0 } },
    ).catch((e: unknown) => e);
    expect(isRecipeStepError(error)).toBe(true);
    expect(error).toMatchObject({ customerId: 'c001', step: 'licenseKey' });
    expect(h.writes()).toEqual([]);
  });

  it('never shows the client secret or the license key (inspect, errors, journal)', async () => {
    const env = createProvisioningEnvironment({
      region: 'eu',
      sourceTenantHost: 'source.eu.qlikcloud.com',
      oauth: { clientId: 'sim-eu-regional', clientSecret: new Secret('not-the-right-secret-123') },
      fetch: h.sim.nodeFetch,
    });
    expect(inspect(env, { depth: 5 })).not.toContain('not-the-right-secret-123');
    const journal = createMemoryJournalStore();
    const error = await onboardTenant(
      env,
      { customer: sampleCustomers(1)[0]!, partner: samplePartner() },
      { journal, retry: { retries: 0 } },
    ).catch((e: unknown) => e);
    expect(isRecipeStepError(error)).toBe(true);
    expect(inspect(error, { depth: 10 })).not.toContain('not-the-right-secret-123');
    expect(JSON.stringify(error)).not.toContain('not-the-right-secret-123');

    // A successful run journals the license key step as redacted.
    const ok = createMemoryJournalStore();
    await onboardTenant(h.env, { customer: sampleCustomers(1)[0]!, partner: samplePartner() }, { journal: ok });
    const licenseKey = h.sim.state.tenantByHost('source.eu.qlikcloud.com')!.license.licenseKey;
    const entries = JSON.stringify(await ok.read('c001'));
    expect(entries).toContain('[REDACTED]');
    expect(entries).not.toContain(licenseKey);
  });
});
