import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { call, EU_CLIENT, SOURCE, tokenFor, useStrictSource } from './helpers.js';

const t = useStrictSource();

it('keeps tokens, client secrets and license keys out of util.inspect output', async () => {
  const token = await tokenFor(t.sim, SOURCE);
  const licenseKey = (await call(t.sim, token, 'GET', `https://${SOURCE}/api/v1/licenses/overview`)).body
    .licenseKey as string;
  const tenant = t.sim.state.tenantByHost(SOURCE);
  for (const text of [
    inspect(t.sim, { depth: 20 }),
    inspect(t.sim.state, { depth: 20 }),
    inspect(tenant, { depth: 20 }),
    inspect(t.sim.state.oauthClients, { depth: 20 }),
  ]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(EU_CLIENT.client_secret);
    expect(text).not.toContain(licenseKey);
  }
  expect(inspect(t.sim.state)).toContain(SOURCE);
});
