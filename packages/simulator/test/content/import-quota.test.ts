import { beforeAll, describe, expect, it } from 'vitest';
import { encodeQvf } from '../../src/content/qvf.js';
import { tokenFor } from '../helpers.js';
import { BASE, createSpace, HOST, useContentSim } from './helpers.js';

const qvf = encodeQvf({ name: 'Q', description: '', script: '', properties: {}, objects: [], hasData: false });

describe('the daily app-import quota (strict)', () => {
  const t = useContentSim();
  let space: string;
  beforeAll(async () => {
    space = await createSpace(t, 'Quota', 'shared');
  });

  const importOne = (name: string) =>
    t.raw('POST', `/api/v1/apps/import?spaceId=${space}&name=${name}`, {
      body: qvf,
      headers: { 'content-type': 'application/octet-stream' },
    });
  const quota = async () =>
    (await t.api('GET', '/api/v1/quotas/app_imports_per_day?reportUsage=true')).body.data[0].attributes;

  it('is Enterprise’s 10,000 by default, readable with its usage', async () => {
    expect(await quota()).toMatchObject({ quota: 10_000, unit: 'imports', usage: 0 });
    const all = (await t.api('GET', '/api/v1/quotas')).body.data;
    expect(all.map((q: { id: string }) => q.id)).toContain('app_imports_per_day');
    expect(all[0].attributes.usage).toBeUndefined();
    expect((await t.api('GET', '/api/v1/quotas/no_such_quota')).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('refuses the import past a per-host allowance until the next UTC day; 429 is the other answer', async () => {
    t.sim.state.behaviour.appImportsPerDayByHost[HOST] = 3;
    try {
      for (const n of [1, 2, 3]) expect((await importOne(`q${n}`)).status).toBe(200);
      expect(await quota()).toMatchObject({ quota: 3, usage: 3 });
      const refused = await importOne('q4');
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/app_imports_per_day resets at \d{4}-\d{2}-\d{2}T00:00:00.000Z/);
      t.sim.state.behaviour.importQuotaAnswer = 429;
      expect((await importOne('q4')).status).toBe(429);
      const nextDay = (Math.floor(t.clock.now() / 86_400_000) + 1) * 86_400_000;
      t.clock.set(nextDay + 1);
      // A day later the test's token has expired: ask for a new one.
      const token = await tokenFor(t.sim, HOST);
      const read = await t.sim.fetch(`${BASE}/api/v1/quotas/app_imports_per_day?reportUsage=true`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await read.json()) as { data: Array<{ attributes: unknown }> }).data[0]!.attributes).toMatchObject({
        quota: 3,
        usage: 0,
      });
      const again = await t.sim.fetch(`${BASE}/api/v1/apps/import?spaceId=${space}&name=q4`, {
        method: 'POST',
        body: qvf,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      });
      expect(again.status).toBe(200);
      expect(t.sim.violations).toEqual([]);
    } finally {
      t.sim.state.behaviour.importQuotaAnswer = 403;
      delete t.sim.state.behaviour.appImportsPerDayByHost[HOST];
    }
  });
});
