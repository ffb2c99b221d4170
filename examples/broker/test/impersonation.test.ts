// The broker's impersonation endpoint against the strict simulator: the token it hands the page acts as the
// signed-in end user in REST and in the engine (section access reduces the app to the user's region).
import { withApp, type CreateSocket } from '@qlik-oem/engine';
import { apiKey } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBroker } from '../src/server.js';
import { postCustomer, readLines, startBrokerHarness, type BrokerHarness } from './helpers.js';

const acme = { customerId: 'acme', name: 'Acme Corporation', alias: 'acme', admin: { email: 'it@acme.example' } };
// The customer's database lists acme-north and acme-south in the template's section access.
const north = {
  id: 'acme-north',
  name: 'North Manager',
  email: 'north@acme.example',
  customerId: 'acme',
  groups: ['Analytics Consumers'],
};

interface TokenAnswer {
  tenantHost: string;
  clientId: string;
  appId: string;
  accessToken: string;
  expiresAt: string;
  check?: { subject: string; groups: string[]; app: { name: string } | null };
}

describe('POST /customers/:id/impersonation-token (strict simulator)', () => {
  let h: BrokerHarness;
  const logs: string[] = [];
  const ask = (url: string, user: unknown, customerId = 'acme', query = '') =>
    fetch(`${url}/customers/${customerId}/impersonation-token${query}`, {
      method: 'POST',
      headers: user === undefined ? {} : { 'x-demo-user': JSON.stringify(user) },
    });

  beforeAll(async () => {
    h = await startBrokerHarness({ logger: { level: 'debug', stream: { write: (line: string) => logs.push(line) } } });
  });
  afterAll(async () => {
    expect(h?.world.sim.violations ?? []).toEqual([]);
    await h?.close();
  });

  it('refuses before provisioning (409), without a signed-in user (401) and for another customer (403)', async () => {
    expect((await ask(h.url, north)).status).toBe(409);
    expect((await ask(h.url, undefined)).status).toBe(401);
    expect((await ask(h.url, { ...north, customerId: 'globex' })).status).toBe(403);
  });

  it('hands out a token that acts as the user: REST says who, and the engine reduces the app by section access', async () => {
    const { lines } = await readLines(await postCustomer(h.url, acme));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'provisioned' });

    const response = await ask(h.url, north, 'acme', '?check=true');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = (await response.json()) as TokenAnswer;
    expect(answer.check).toMatchObject({
      subject: 'acme-north',
      groups: ['Analytics Consumers'],
      app: { name: 'Sales Analytics' },
    });

    const me = await h.world.sim.nodeFetch(`https://${answer.tenantHost}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${answer.accessToken}` },
    });
    expect(((await me.json()) as { subject: string }).subject).toBe('acme-north');

    const createSocket: CreateSocket = (url, init) => h.world.sim.createSocket(url, init);
    const read = (auth: Parameters<typeof withApp>[0]) =>
      withApp(auth, answer.appId, async (doc) => ({
        orders: Number(await doc.evaluate('Count(OrderID)')),
        region: await doc.evaluate('Only(REGION)'),
      }));
    const asUser = await read({
      platform: 'cloud',
      host: answer.tenantHost,
      auth: apiKey(answer.accessToken),
      createSocket,
    });
    const everything = await read(h.world.env.engine.options(answer.tenantHost));
    expect(asUser.region).toBe('NORTH');
    expect(asUser.orders).toBeGreaterThan(0);
    expect(asUser.orders).toBeLessThan(everything.orders);

    // Neither the token nor the client's secret reach the journal or the logs.
    const journal = JSON.stringify(await h.journal.read('acme'));
    expect(journal).toContain(answer.clientId);
    expect(journal).not.toContain(answer.accessToken);
    expect(logs.join('\n')).not.toContain(answer.accessToken);
  });

  it('a broker that lost the secret (a restart) gives the client a new one; the first broker is refused from then on', async () => {
    const restarted = buildBroker({ ...h.world, journal: h.journal, retry: { retries: 0 } });
    const url = await restarted.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await ask(url, north, 'acme', '?check=true');
      expect(response.status).toBe(200);
      expect(((await response.json()) as TokenAnswer).check?.subject).toBe('acme-north');
      // Its old secret replaced, the first broker cannot get a token for a user it never asked for.
      const refused = await ask(h.url, { ...north, id: 'acme-south', name: 'South Manager' });
      expect(refused.status).toBe(502);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('impersonation-failed');
    } finally {
      await restarted.close();
    }
  });
});
