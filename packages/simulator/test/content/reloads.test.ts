import { beforeAll, describe, expect, it } from 'vitest';
import { appWithScript, createSpace, useContentSim } from './helpers.js';

describe('reloads on the simulator clock (strict)', () => {
  // The Reload Tasks API as it was before its deprecation (the 0.1 era).
  const t = useContentSim({ reloadTasksApi: 'available' });
  let customerA: string;
  let customerB: string;
  beforeAll(async () => {
    customerA = await createSpace(t, 'Customer A', 'shared');
    customerB = await createSpace(t, 'Customer B', 'shared');
    const connection = { qType: 'postgres', datasourceID: 'postgres', qConnectStatement: 'host=db.partner.example' };
    await t.api('POST', '/api/v1/data-connections', { ...connection, qName: 'Sales DB', space: customerA });
    await t.api('POST', '/api/v1/data-connections', { ...connection, qName: 'B only', space: customerB });
  });

  const reload = (appId: string, body: Record<string, unknown> = {}) =>
    t.api('POST', '/api/v1/reloads', { appId, ...body });
  const status = async (id: string) => (await t.api('GET', `/api/v1/reloads/${id}`)).body;

  it('goes QUEUED → RELOADING → SUCCEEDED as simulated time passes, and stamps lastReloadTime', async () => {
    const appId = await appWithScript(t, customerA, 'Good', "LIB CONNECT TO 'Sales DB';\nLOAD 1 AS x AUTOGENERATE 1;");
    const created = await reload(appId, { partial: false, weight: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ appId, status: 'QUEUED', type: 'external', weight: 5 });
    const id = created.body.id;
    expect((await status(id)).status).toBe('QUEUED');
    t.clock.advance(1_000);
    const running = await status(id);
    expect(running.status).toBe('RELOADING');
    expect(running.startTime).toBeDefined();
    t.clock.advance(4_000);
    const done = await status(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.endTime).toBeDefined();
    expect(done.log).toMatch(/Connecting to 'Sales DB' in space 'Customer A'/);
    const app = await t.api('GET', `/api/v1/apps/${appId}`);
    expect(app.body.attributes.lastReloadTime).toBe(done.endTime);
    const log = await t.raw('GET', `/api/v1/apps/${appId}/reloads/logs/${id}`);
    expect(await log.text()).toMatch(/Finished successfully/);
    const logs = await t.api('GET', `/api/v1/apps/${appId}/reloads/logs`);
    expect(logs.body.data).toEqual([
      {
        reloadId: id,
        success: true,
        endTime: done.endTime,
        duration: 4000,
        links: { log: `/api/v1/apps/${appId}/reloads/logs/${id}` },
      },
    ]);
    expect(t.sim.violations).toEqual([]);
  });

  it('fails a reload whose LIB CONNECT names a missing connection, and says which', async () => {
    const appId = await appWithScript(t, customerA, 'Broken', 'LIB CONNECT TO [Missing Conn];');
    const { id } = (await reload(appId)).body;
    t.clock.advance(5_000);
    const done = await status(id);
    expect(done.status).toBe('FAILED');
    expect(done.errorMessage).toMatch(/Connection 'Missing Conn' not found in space 'Customer A'/);
    expect(done.log).toMatch(/Missing Conn/);
    expect((await t.api('GET', `/api/v1/apps/${appId}`)).body.attributes.lastReloadTime).toBeUndefined();
    expect(t.sim.violations).toEqual([]);
  });

  it('does not see a connection of another space, unless the script names that space', async () => {
    const hidden = await appWithScript(t, customerA, 'Hidden', "LIB CONNECT TO 'B only';");
    const qualified = await appWithScript(t, customerA, 'Qualified', "LIB CONNECT TO 'Customer B:B only';");
    const unknownSpace = await appWithScript(t, customerA, 'Unknown space', "LIB CONNECT TO 'Nope:B only';");
    const ids = [
      (await reload(hidden)).body.id,
      (await reload(qualified)).body.id,
      (await reload(unknownSpace)).body.id,
    ];
    t.clock.advance(5_000);
    const [a, b, c] = await Promise.all(ids.map(status));
    expect(a.status).toBe('FAILED');
    expect(a.errorMessage).toMatch(/'B only' not found in space 'Customer A'/);
    expect(b.status).toBe('SUCCEEDED');
    expect(c.status).toBe('FAILED');
    expect(c.errorMessage).toMatch(/Nope \(no such space\)/);
    expect(t.sim.violations).toEqual([]);
  });

  it('runs one reload per app at a time, lists them newest first, and cancels', async () => {
    const appId = await appWithScript(t, customerA, 'Queue', "LIB CONNECT TO 'Sales DB';");
    const first = (await reload(appId)).body.id;
    const second = (await reload(appId)).body.id;
    const third = (await reload(appId)).body.id;
    t.clock.advance(1_000);
    expect((await status(first)).status).toBe('RELOADING');
    expect((await status(second)).status).toBe('QUEUED');
    const cancelQueued = await t.api('POST', `/api/v1/reloads/${third}/actions/cancel`);
    expect(cancelQueued.status).toBe(204);
    expect((await status(third)).status).toBe('CANCELED');
    const cancelRunning = await t.api('POST', `/api/v1/reloads/${first}/actions/cancel`);
    expect(cancelRunning.status).toBe(202);
    expect(cancelRunning.body.status).toBe('CANCELING');
    t.clock.advance(500);
    expect((await status(first)).status).toBe('CANCELED');
    t.clock.advance(10_000);
    expect((await status(second)).status).toBe('SUCCEEDED');
    expect((await t.api('POST', `/api/v1/reloads/${second}/actions/cancel`)).status).toBe(409);
    const list = await t.api('GET', `/api/v1/reloads?appId=${appId}`);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([third, second, first]);
    const page = await t.api('GET', `/api/v1/reloads?appId=${appId}&limit=2`);
    expect(page.body.data).toHaveLength(2);
    expect((await t.api('GET', page.body.links.next.href)).body.data.map((r: { id: string }) => r.id)).toEqual([first]);
    expect((await t.api('GET', '/api/v1/reloads/000000000000000000000000')).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('schedules reload tasks: create, list by app, get, put, delete', async () => {
    const appId = await appWithScript(t, customerA, 'Scheduled', '');
    const created = await t.api('POST', '/api/v1/reload-tasks', {
      appId,
      timeZone: 'Europe/Paris',
      recurrence: ['RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0'],
      startDateTime: '2026-02-01T02:00:00',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ appId, timeZone: 'Europe/Paris', state: 'Enabled', spaceId: customerA });
    const id = created.body.id;
    expect(
      (await t.api('GET', `/api/v1/reload-tasks?appId=${appId}`)).body.data.map((x: { id: string }) => x.id),
    ).toEqual([id]);
    const put = await t.api('PUT', `/api/v1/reload-tasks/${id}`, {
      appId,
      timeZone: 'UTC',
      recurrence: ['RRULE:FREQ=HOURLY'],
      state: 'Disabled',
    });
    expect(put.body).toMatchObject({ timeZone: 'UTC', recurrence: ['RRULE:FREQ=HOURLY'], state: 'Disabled' });
    expect((await t.api('GET', `/api/v1/reload-tasks/${id}`)).body.state).toBe('Disabled');
    expect((await t.api('POST', '/api/v1/reload-tasks', { appId, timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect(
      (await t.api('POST', '/api/v1/reload-tasks', { appId, timeZone: 'UTC', recurrence: ['RRULE:FREQ=YEARLY'] }))
        .status,
    ).toBe(400);
    expect((await t.api('DELETE', `/api/v1/reload-tasks/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/reload-tasks/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('fires a schedule on the simulator clock: a chronos reload at the next occurrence', async () => {
    const appId = await appWithScript(t, customerA, 'Hourly', "LIB CONNECT TO 'Sales DB';");
    const created = await t.api('POST', '/api/v1/reload-tasks', {
      appId,
      timeZone: 'UTC',
      recurrence: ['RRULE:FREQ=HOURLY;BYMINUTE=0'],
    });
    const nextAt = Date.parse(created.body.nextExecutionTime);
    expect(nextAt).toBeGreaterThan(t.clock.now());
    expect(nextAt - t.clock.now()).toBeLessThanOrEqual(3_600_000);
    expect(new Date(nextAt).getUTCMinutes()).toBe(0);
    expect((await t.api('GET', `/api/v1/reloads?appId=${appId}`)).body.data).toEqual([]);
    t.clock.set(nextAt + 10_000);
    const reloads = (await t.api('GET', `/api/v1/reloads?appId=${appId}`)).body.data;
    expect(reloads).toHaveLength(1);
    expect(reloads[0]).toMatchObject({
      type: 'chronos',
      resourceType: 'reload-tasks',
      resourceId: created.body.id,
      status: 'SUCCEEDED',
    });
    const task = (await t.api('GET', `/api/v1/reload-tasks/${created.body.id}`)).body;
    expect(Date.parse(task.lastExecutionTime)).toBe(nextAt);
    expect(Date.parse(task.nextExecutionTime)).toBe(nextAt + 3_600_000);
    expect(t.sim.violations).toEqual([]);
  });

  it('resolves $(variables) in LIB CONNECT from the reload request, and fails when one is unset', async () => {
    const appId = await appWithScript(t, customerA, 'Parametrized', "LIB CONNECT TO '$(vConnection)';");
    const withVariable = (await reload(appId, { variables: { vConnection: 'Sales DB' } })).body.id;
    t.clock.advance(5_000);
    expect((await status(withVariable)).status).toBe('SUCCEEDED');
    const without = (await reload(appId)).body.id;
    t.clock.advance(5_000);
    const failed = await status(without);
    expect(failed.status).toBe('FAILED');
    expect(failed.errorMessage).toMatch(/names no connection/);
    expect(t.sim.violations).toEqual([]);
  });
});
