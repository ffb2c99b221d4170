// An impersonation-ready customer end to end: provisionFleet onboards and hydrates it with a reload schedule, an
// automation and the OAuth client allowed to impersonate; a second run writes nothing; the client's secret gets a
// token that acts as an end user, and the engine opens the app as that user with section access reducing it.
import { withApp } from '@qlik-oem/engine';
import { createJwtSession, oauthImpersonation, signUserJwt, unwrap } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet, Secret, type ProvisionFleetInput } from '../../src/index.js';
import { fleetHydrate } from './fleet-fixtures.js';
import {
  sampleCustomers,
  samplePartner,
  samplePartnerPrivateKey,
  startOnboardHarness,
  type OnboardHarness,
} from './onboard-harness.js';

const TEMPLATE = 'Customer Analytics Template';

describe('provisionFleet makes a customer impersonation-ready (strict simulator)', () => {
  let h: OnboardHarness;
  beforeAll(async () => {
    h = await startOnboardHarness({ timeScale: 200, latency: false });
  });
  afterAll(async () => {
    expect(h.sim.violations).toEqual([]);
    await h.close();
  });

  it('provisions schedule, automation and impersonation client; a second run writes nothing; the client acts as the end user in REST and the engine', async () => {
    const source = h.env.source();
    // The simulator's template app: its load script reads the customer's orders and section access from the
    // customer's database (end users <alias>-north and <alias>-south, one region each).
    const items = unwrap(
      await source.items.GET('/api/v1/items', { params: { query: { resourceType: 'app', name: TEMPLATE } } }),
    );
    const templateAppId = items.data.find((item) => item.name === TEMPLATE)!.resourceId!;
    unwrap(
      await source.automations.POST('/api/v1/automations', {
        body: { name: 'Notify partner', description: 'tells the partner', workspace: { blocks: [{ id: 'a' }] } },
      }),
    );
    const partner = samplePartner();
    const customers = sampleCustomers(1);
    const input: ProvisionFleetInput = {
      partner,
      customers,
      hydrate: {
        ...fleetHydrate(templateAppId),
        reloadSchedule: { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=5;BYMINUTE=0'], timeZone: 'Europe/Zurich' },
      },
      automations: [{ name: 'Notify partner', enabled: true }],
      customize: {
        webIntegration: { name: 'Partner product', validOrigins: ['https://app.partner.example'] },
        impersonationClient: { name: 'Partner product backend', redirectUris: ['https://app.partner.example/login'] },
      },
    };
    const journal = createMemoryJournalStore();
    const first = await provisionFleet(h.env, input, { journal });
    const customer = first.customers[0]!;
    expect(customer.error).toBeUndefined();
    expect(customer.status).toBe('provisioned');
    const tenantHost = customer.tenantHost!;
    const clientId = customer.impersonationClientId!;
    const secret = customer.impersonationClientSecret;
    expect(secret).toBeInstanceOf(Secret);
    expect(JSON.stringify(await journal.read(customer.customerId))).not.toContain(secret!.reveal());

    const qc = h.env.tenant(tenantHost);
    const tasks = unwrap(
      await qc.schedulingTasks.GET('/api/scheduling/tasks', { params: { query: { resourceId: customer.appId! } } }),
    ).data!;
    expect(tasks).toHaveLength(1);
    const automations = unwrap(await qc.automations.GET('/api/v1/automations')).data!;
    expect(automations.map((a) => [a.name, a.state])).toEqual([['Notify partner', 'available']]);
    const client = unwrap(
      await qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path: { id: clientId } } }),
    );
    expect(client.allowedGrantTypes).toContain('urn:qlik:oauth:user-impersonation');

    // A second run finds everything as asked: no write, and no secret to hand out.
    const before = h.writes().length;
    const second = await provisionFleet(h.env, input, { journal });
    expect(second.counts.unchanged).toBe(1);
    expect(h.writes().slice(before)).toEqual([]);
    expect(second.customers[0]!.impersonationClientId).toBe(clientId);
    expect(second.customers[0]!.impersonationClientSecret).toBeUndefined();

    // The end user exists with their groups after one JWT sign-in on the backend (qlik.dev: impersonation needs
    // existing users and their group mappings); from then on the partner's backend impersonates them.
    const subject = `${customers[0]!.alias}-north`;
    const jwt = await signUserJwt({
      privateKey: samplePartnerPrivateKey,
      keyId: partner.jwt.keyId,
      issuer: partner.jwt.issuer,
      subject,
      name: 'North Manager',
      email: 'north@customer.example',
      groups: [partner.groups!.consumers!],
      now: () => h.sim.clock.now(),
    });
    await createJwtSession({ host: tenantHost, jwt, fetch: h.sim.nodeFetch });
    const asUser = oauthImpersonation({
      host: tenantHost,
      clientId,
      clientSecret: secret!.reveal(),
      fetch: h.sim.nodeFetch,
    }).forUser({ subject });
    const { token } = await asUser.getToken();
    const me = await h.sim.nodeFetch(`https://${tenantHost}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await me.json()) as { subject: string }).subject).toBe(subject);

    const countOrders = (auth?: typeof asUser) =>
      withApp({ ...h.env.engine.options(tenantHost), ...(auth ? { auth } : {}) }, customer.appId!, async (doc) => ({
        orders: Number(await doc.evaluate('Count(OrderID)')),
        region: await doc.evaluate('Only(REGION)'),
      }));
    // The provisioning client's bot is an ADMIN of section access: it sees every order.
    const everything = await countOrders();
    const north = await countOrders(asUser);
    expect(north.region).toBe('NORTH');
    expect(north.orders).toBeGreaterThan(0);
    expect(north.orders).toBeLessThan(everything.orders);
  }, 180_000);
});
