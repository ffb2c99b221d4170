// GET /customers/:id/users/:subject/summary against the strict simulator: the engine computes the numbers as the
// end user, so section access gives the north and the south user of one customer different numbers, and nobody
// reads another user's or another customer's.
import { withApp } from '@qlik-oem/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserSummary } from '../src/summary.js';
import { postCustomer, readLines, startBrokerHarness, type BrokerHarness } from './helpers.js';

const acme = { customerId: 'acme', name: 'Acme Corporation', alias: 'acme', admin: { email: 'it@acme.example' } };
// The customer database behind acme-db.partner.example lists acme-north and acme-south in the template's section access.
const user = (id: string, customerId = 'acme') => ({
  id,
  name: id,
  email: `${id}@example.com`,
  customerId,
  groups: ['Analytics Consumers'],
});

describe('GET /customers/:id/users/:subject/summary (strict simulator)', () => {
  let h: BrokerHarness;
  const summary = (signedIn: ReturnType<typeof user> | undefined, customerId: string, subject: string) =>
    fetch(`${h.url}/customers/${customerId}/users/${encodeURIComponent(subject)}/summary`, {
      headers: signedIn ? { 'x-demo-user': JSON.stringify(signedIn) } : {},
    });
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    h = await startBrokerHarness();
  });
  afterAll(async () => {
    expect(h?.world.sim.violations ?? []).toEqual([]);
    await h?.close();
  });

  it('409 before the customer is provisioned', async () => {
    const response = await summary(user('acme-north'), 'acme', 'acme-north');
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe('not-provisioned');
  });

  it("two users of one customer see their own region's numbers; others are refused", async () => {
    const { lines } = await readLines(await postCustomer(h.url, acme));
    const result = lines.at(-1) as unknown as { status: string; tenantHost: string; publishedAppId: string };
    expect(result.status).toBe('provisioned');

    const north = await summary(user('acme-north'), 'acme', 'acme-north');
    expect(north.status).toBe(200);
    expect(north.headers.get('cache-control')).toBe('no-store');
    const south = await summary(user('acme-south'), 'acme', 'acme-south');
    expect(south.status).toBe(200);
    const [northSummary, southSummary] = [(await north.json()) as UserSummary, (await south.json()) as UserSummary];

    // What the whole app holds, read by the partner's service account (ADMIN in section access).
    const everything = await withApp(
      h.world.env.engine.options(result.tenantHost),
      result.publishedAppId,
      async (doc) => {
        const cube = await doc.createSessionObject({
          qInfo: { qType: 'table' },
          qHyperCubeDef: {
            qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
            qMeasures: [{ qDef: { qDef: 'Count(OrderID)' } }, { qDef: { qDef: 'Sum(Amount)' } }],
            qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 10 }],
          },
        } as never);
        const page = (await cube.getLayout()).qHyperCube!.qDataPages![0]!;
        return page.qMatrix!.map(([region, orders, amount]) => ({
          region: region!.qText!,
          orders: orders!.qNum!,
          amount: amount!.qNum!,
        }));
      },
    );
    expect(northSummary.regions.map((r) => r.region)).toEqual(['NORTH']);
    expect(southSummary.regions.map((r) => r.region)).toEqual(['SOUTH']);
    expect(northSummary.subject).toBe('acme-north');
    for (const s of [northSummary, southSummary]) {
      expect(s.total.orders).toBeGreaterThan(0);
      expect(s.total.orders).toBe(s.regions[0]!.orders);
      expect(s.total.amount).toBeCloseTo(s.regions[0]!.amount, 6);
    }
    expect(northSummary.total).not.toEqual(southSummary.total);
    // Together they are the whole app: the reduction removed the other region's rows, nothing else.
    const byRegion = (a: { region: string }, b: { region: string }) => a.region.localeCompare(b.region);
    expect(everything.sort(byRegion)).toEqual([...northSummary.regions, ...southSummary.regions]);

    // Nobody signed in; another user's summary; a user of another customer; a user section access does not list.
    expect((await summary(undefined, 'acme', 'acme-north')).status).toBe(401);
    const other = await summary(user('acme-south'), 'acme', 'acme-north');
    expect([other.status, await errorCode(other)]).toEqual([403, 'other-user']);
    const foreign = await summary(user('globex-north', 'globex'), 'acme', 'globex-north');
    expect([foreign.status, await errorCode(foreign)]).toEqual([403, 'wrong-customer']);
    // Claiming to be acme's does not help another customer's user: acme's section access does not list them.
    const claimed = await summary(user('globex-north'), 'acme', 'globex-north');
    expect([claimed.status, await errorCode(claimed)]).toEqual([403, 'section-access-denied']);
    const unlisted = await summary(user('jo-42'), 'acme', 'jo-42');
    expect([unlisted.status, await errorCode(unlisted)]).toEqual([403, 'section-access-denied']);
  }, 120_000);
});
