import { isQlikPermissionError } from '@qlik-oem/core';
import { createJwtSession, exportApp, signUserJwt, unwrap } from '@qlik-oem/qlik-cloud';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { createTemplateExportCache } from '../../src/recipes/template-export.js';
import { fleetHydrate, prepareTemplate } from './fleet-fixtures.js';
import {
  sampleCustomers,
  samplePartner,
  samplePartnerPrivateKey,
  startOnboardHarness,
  type OnboardHarness,
} from './onboard-harness.js';

// The roles a broker must assign, proven against the simulator's authorization: the source bot needs
// Can edit in the template's shared space to export it, and end users reach the published app only
// through their group's assignment in the managed space.
describe('space roles the recipes assign (strict simulator)', () => {
  let h: OnboardHarness;
  let templateAppId: string;
  const partner = samplePartner();
  const consumers = partner.groups?.consumers ?? 'Analytics Consumers';

  // A simulator per test: the first one's grant must not help the other.
  beforeEach(async () => {
    h = await startOnboardHarness({ timeScale: 200, latency: undefined });
    templateAppId = await prepareTemplate(h.env);
  }, 30_000);
  afterEach(async () => {
    expect(h.sim.violations).toEqual([]);
    await h.close();
  });

  it('a broker that exports the template without giving its bot a role in the template space gets Qlik’s 403', async () => {
    const refused = await exportApp(h.env.source(), templateAppId).catch((error: unknown) => error);
    expect(isQlikPermissionError(refused)).toBe(true);
    expect(String((refused as Error).message)).toContain('403');
    // The recipes' export cache assigns the bot Can edit first, then exports.
    const bytes = await createTemplateExportCache(h.env).bytes(templateAppId);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('an end user of the consumers group opens the published app; without the group’s managed-space assignment, Qlik refuses', async () => {
    const customers = sampleCustomers(1);
    const result = await provisionFleet(
      h.env,
      { partner, customers, hydrate: fleetHydrate(templateAppId) },
      { journal: createMemoryJournalStore() },
    );
    const customer = result.customers[0]!;
    expect(customer.status).toBe('provisioned');
    const tenantHost = customer.tenantHost!;
    const appId = customer.appId!;

    const jwt = await signUserJwt({
      privateKey: samplePartnerPrivateKey,
      keyId: partner.jwt.keyId,
      issuer: partner.jwt.issuer,
      subject: 'partner|end-user',
      name: 'End User',
      email: 'end.user@customer.example',
      groups: [consumers],
      // The simulated clock runs 200 times faster than the real one.
      now: () => h.sim.clock.now(),
    });
    const session = await createJwtSession({ host: tenantHost, jwt, fetch: h.sim.nodeFetch });
    const openApp = () =>
      h.sim.nodeFetch(`https://${tenantHost}/api/v1/apps/${appId}`, { headers: { cookie: session.cookieHeader } });
    expect((await openApp()).status).toBe(200);

    // A broker that skips the assignment: remove it, as if it had never been made.
    const qc = h.env.tenant(tenantHost);
    const managed = unwrap(
      await qc.spaces.GET('/api/v1/spaces', { params: { query: { type: 'managed', limit: 100 } } }),
    ).data![0]!;
    const assignments = unwrap(
      await qc.spaces.GET('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId: managed.id }, query: { type: 'group', limit: 100 } },
      }),
    ).data!;
    for (const assignment of assignments) {
      unwrap(
        await qc.spaces.DELETE('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
          params: { path: { spaceId: managed.id, assignmentId: assignment.id } },
        }),
      );
    }
    const refused = await openApp();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('consumer');
  });
});
