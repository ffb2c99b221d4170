import { describe, expect, it } from 'vitest';
import { call, SOURCE, tokenFor, useStrictSource } from './helpers.js';

describe('smoke', () => {
  const t = useStrictSource();

  it('issues a token and follows /users/me to the bot user', async () => {
    const token = await tokenFor(t.sim, SOURCE);
    const me = await call(t.sim, token, 'GET', `https://${SOURCE}/api/v1/users/me`);
    expect(me.status).toBe(200);
    expect(me.body.tenantId).toBe(t.sim.state.tenantByHost(SOURCE)?.id);
    expect(t.sim.violations).toEqual([]);
  });
});
