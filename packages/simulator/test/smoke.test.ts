import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { call, SOURCE, startStrict, tokenFor } from './helpers.js';

describe('smoke', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startStrict();
  });
  afterAll(() => sim.close());

  it('issues a token and follows /users/me to the bot user', async () => {
    const token = await tokenFor(sim, SOURCE);
    const me = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/users/me`);
    expect(me.status).toBe(200);
    expect(me.body.tenantId).toBe(sim.state.tenantByHost(SOURCE)?.id);
    expect(sim.violations).toEqual([]);
  });
});
