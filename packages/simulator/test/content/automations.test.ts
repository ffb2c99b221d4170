import { describe, expect, it } from 'vitest';
import { useContentSim } from './helpers.js';

describe('automations and their runs (strict)', () => {
  const t = useContentSim();

  it('creates, finds by name, replaces, disables and deletes an automation', async () => {
    const workspace = { blocks: [{ id: 'start', type: 'StartBlock' }] };
    const created = await t.api('POST', '/api/v1/automations', { name: 'Nightly export', description: 'd', workspace });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Nightly export', state: 'available', runMode: 'manual', workspace });
    const id = created.body.id as string;
    const found = await t.api('GET', `/api/v1/automations?filter=${encodeURIComponent('name eq "nightly export"')}`);
    expect(found.body.data.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(found.body.data[0].workspace).toBeUndefined();
    const put = await t.api('PUT', `/api/v1/automations/${id}`, { workspace: { blocks: [] } });
    expect(put.body).toMatchObject({ name: 'Nightly export', description: 'd', workspace: { blocks: [] } });
    expect((await t.api('POST', `/api/v1/automations/${id}/actions/disable`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/automations/${id}`)).body.state).toBe('disabled');
    expect((await t.api('POST', `/api/v1/automations/${id}/runs`, { context: 'api' })).status).toBe(400);
    expect((await t.api('POST', `/api/v1/automations/${id}/actions/enable`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/automations/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/automations/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('a run is running, then finished on the simulator clock', async () => {
    const id = (await t.api('POST', '/api/v1/automations', { name: 'Run me', workspace: {} })).body.id;
    const run = await t.api('POST', `/api/v1/automations/${id}/runs`, { context: 'api' });
    expect(run.status).toBe(201);
    expect(run.body.status).toBe('running');
    t.clock.advance(5_000);
    const done = await t.api('GET', `/api/v1/automations/${id}/runs/${run.body.id}`);
    expect(done.body).toMatchObject({ status: 'finished', duration: 3 });
    expect((await t.api('GET', `/api/v1/automations/${id}`)).body.lastRunStatus).toBe('finished');
    expect((await t.api('GET', `/api/v1/automations/${id}/runs`)).body.data).toHaveLength(1);
    expect(t.sim.violations).toEqual([]);
  });
});
