import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { call, EU_CLIENT, SOURCE, startStrict, tokenFor } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startStrict();
});
afterAll(() => sim.close());

it('keeps tokens, client secrets and license keys out of util.inspect output', async () => {
  const token = await tokenFor(sim, SOURCE);
  const licenseKey = (await call(sim, token, 'GET', `https://${SOURCE}/api/v1/licenses/overview`)).body
    .licenseKey as string;
  const tenant = sim.state.tenantByHost(SOURCE);
  for (const text of [
    inspect(sim, { depth: 20 }),
    inspect(sim.state, { depth: 20 }),
    inspect(tenant, { depth: 20 }),
    inspect(sim.state.oauthClients, { depth: 20 }),
  ]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(EU_CLIENT.client_secret);
    expect(text).not.toContain(licenseKey);
  }
  expect(inspect(sim.state)).toContain(SOURCE);
});
