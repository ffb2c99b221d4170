import { beforeAll, describe, expect, it } from 'vitest';
import { appWithScript, createSpace, startContentSim, useContentSim } from './helpers.js';

/** A time-scheduled reload task document of the Scheduling Tasks API. */
function reloadTask(appId: string, schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    name: 'Nightly reload',
    specVersion: '1.16.0',
    start: { stateName: 'reload', schedule },
    states: [
      {
        name: 'reload',
        type: 'EVENT',
        end: true,
        onEvents: [
          {
            eventRefs: ['schedule'],
            actions: [
              { name: 'app.reload', functionRef: { refName: 'app.reload', arguments: { appId, partial: false } } },
            ],
          },
        ],
      },
    ],
    ...extra,
  };
}

describe('Scheduling Tasks API on the simulator clock (strict)', () => {
  const t = useContentSim();
  let space: string;
  beforeAll(async () => {
    space = await createSpace(t, 'Customer', 'shared');
    await t.api('POST', '/api/v1/data-connections', {
      qType: 'postgres',
      datasourceID: 'postgres',
      qConnectStatement: 'host=db.partner.example',
      qName: 'Sales DB',
      space,
    });
  });

  it('creates a task disabled unless enabled, lists it by resource, replaces and deletes it', async () => {
    const appId = await appWithScript(t, space, 'Crud', '');
    const created = await t.api(
      'POST',
      '/api/scheduling/tasks',
      reloadTask(appId, { recurrence: 'RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0', timezone: 'Europe/Paris' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Nightly reload', enabled: false, resourceId: appId });
    expect(created.body.metadata).toMatchObject({ resourceType: 'app', spaceId: space, usage: 'ANALYTICS' });
    const id = created.body.id as string;
    const listed = await t.api('GET', `/api/scheduling/tasks?resourceId=${appId}`);
    expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([id]);
    const filtered = await t.api(
      'GET',
      `/api/scheduling/tasks?filter=${encodeURIComponent('name eq "nightly reload"')}`,
    );
    expect(filtered.body.data.map((x: { id: string }) => x.id)).toContain(id);

    const put = await t.api(
      'PUT',
      `/api/scheduling/tasks/${id}`,
      reloadTask(appId, { recurrence: 'RRULE:FREQ=HOURLY', timezone: 'UTC' }, { enabled: true, name: 'Hourly' }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Hourly', enabled: true });
    expect(put.body.start.schedule).toEqual({ recurrence: 'RRULE:FREQ=HOURLY', timezone: 'UTC' });

    expect((await t.api('DELETE', `/api/scheduling/tasks/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/scheduling/tasks/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('rejects what Qlik rejects: an unknown app (403), a bad schedule (400), no reload action (400)', async () => {
    const appId = await appWithScript(t, space, 'Bad', '');
    const missingApp = await t.api(
      'POST',
      '/api/scheduling/tasks',
      reloadTask('no-such-app', { recurrence: 'RRULE:FREQ=DAILY' }),
    );
    expect(missingApp.status).toBe(403);
    expect(missingApp.body.errors[0]).toMatchObject({ code: 403, context: 'CHO-003' });
    const badZone = await t.api(
      'POST',
      '/api/scheduling/tasks',
      reloadTask(appId, { recurrence: 'RRULE:FREQ=DAILY', timezone: 'Mars/Olympus' }),
    );
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors[0].context).toBe('CHO-017');
    const pastEnd = await t.api(
      'POST',
      '/api/scheduling/tasks',
      reloadTask(appId, { recurrence: 'RRULE:FREQ=DAILY', endDateTime: '2025-01-01T00:00:00Z' }),
    );
    expect(pastEnd.body.errors[0].context).toBe('CHO-017');
    const noAction = await t.api('POST', '/api/scheduling/tasks', {
      ...reloadTask(appId, { recurrence: 'RRULE:FREQ=DAILY' }),
      states: [{ name: 'x', type: 'EVENT' }],
    });
    expect(noAction.status).toBe(400);
    expect(noAction.body.errors[0].context).toBe('CHO-001');
    expect(t.sim.violations).toEqual([]);
  });

  it('runs an enabled task at its next occurrence; runs and their logs are readable', async () => {
    const appId = await appWithScript(t, space, 'Hourly', "LIB CONNECT TO 'Sales DB';");
    const created = await t.api(
      'POST',
      '/api/scheduling/tasks',
      reloadTask(appId, { recurrence: 'RRULE:FREQ=HOURLY;BYMINUTE=0', timezone: 'UTC' }, { enabled: true }),
    );
    const id = created.body.id as string;
    expect((await t.api('GET', `/api/scheduling/tasks/${id}/runs/last`)).status).toBe(404);
    const nextHour = Math.ceil((t.clock.now() + 1) / 3_600_000) * 3_600_000;
    t.clock.set(nextHour - 1);
    expect((await t.api('GET', `/api/scheduling/tasks/${id}/runs`)).body.data).toEqual([]);
    t.clock.set(nextHour + 2_000);
    const running = (await t.api('GET', `/api/scheduling/tasks/${id}/runs`)).body.data;
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({
      status: 'RUNNING',
      taskId: id,
      resourceId: appId,
      triggeredBy: 'time-schedule',
      workerType: 'reloads',
    });
    expect(Date.parse(running[0].startedAt)).toBe(nextHour);
    t.clock.set(nextHour + 60_000);
    const last = (await t.api('GET', `/api/scheduling/tasks/${id}/runs/last`)).body;
    expect(last).toMatchObject({ id: running[0].id, status: 'SUCCEEDED' });
    const reload = (await t.api('GET', `/api/v1/reloads/${last.workerId}`)).body;
    expect(reload).toMatchObject({
      appId,
      type: 'choreographer',
      resourceType: 'tasks',
      resourceId: id,
      status: 'SUCCEEDED',
    });
    const log = await t.api('GET', `/api/scheduling/tasks/${id}/runs/${last.id}/log`);
    expect(log.body.logContent).toContain("Connecting to 'Sales DB'");
    const text = await t.raw('GET', `/api/scheduling/tasks/${id}/runs/${last.id}/log`, {
      headers: { accept: 'text/plain' },
    });
    expect(await text.text()).toContain('Finished successfully');
    const byResource = (await t.api('GET', `/api/scheduling/tasks/resources/${appId}/runs`)).body.data;
    expect(byResource.map((r: { id: string }) => r.id)).toEqual([last.id]);
    // Missed occurrences are not caught up: three hours later, one more run, not three.
    t.clock.set(nextHour + 3 * 3_600_000 + 30_000);
    expect((await t.api('GET', `/api/scheduling/tasks/${id}/runs`)).body.data).toHaveLength(2);
    expect(t.sim.violations).toEqual([]);
  });

  it('a disabled task never fires on time; actions/start runs it once, now', async () => {
    const appId = await appWithScript(t, space, 'Manual', '');
    const id = (await t.api('POST', '/api/scheduling/tasks', reloadTask(appId, { interval: 'PT15M' }))).body.id;
    t.clock.advance(3_600_000);
    expect((await t.api('GET', `/api/scheduling/tasks/${id}/runs`)).body.data).toEqual([]);
    const started = await t.api('POST', `/api/scheduling/tasks/${id}/actions/start?source=broker`);
    expect(started.status).toBe(200);
    const runs = (await t.api('GET', `/api/scheduling/tasks/${id}/runs`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0].triggeredBy).toBe('broker');
    expect(t.sim.violations).toEqual([]);
  });
});

describe('the Reload Tasks API after its removal', () => {
  it('answers 410 TASKS-011 by default (strict), on every operation', async () => {
    const t = await startContentSim();
    try {
      const post = await t.api('POST', '/api/v1/reload-tasks', { appId: 'a', timeZone: 'UTC' });
      expect(post.status).toBe(410);
      expect(post.body.errors[0].code).toBe('TASKS-011');
      expect((await t.api('GET', '/api/v1/reload-tasks')).status).toBe(410);
      expect((await t.api('DELETE', '/api/v1/reload-tasks/x')).status).toBe(410);
      expect(t.sim.violations).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('deprecated: reads, updates and deletes work, creating answers 410 TASKS-011', async () => {
    const t = await startContentSim({ reloadTasksApi: 'available' });
    try {
      const space = await createSpace(t, 'Old', 'shared');
      const appId = await appWithScript(t, space, 'Old', '');
      const old = await t.api('POST', '/api/v1/reload-tasks', {
        appId,
        timeZone: 'UTC',
        recurrence: ['RRULE:FREQ=DAILY'],
      });
      expect(old.status).toBe(201);
      t.sim.state.behaviour.reloadTasksApi = 'deprecated';
      expect((await t.api('GET', `/api/v1/reload-tasks?appId=${appId}`)).body.data).toHaveLength(1);
      expect((await t.api('POST', '/api/v1/reload-tasks', { appId, timeZone: 'UTC' })).status).toBe(410);
      expect((await t.api('DELETE', `/api/v1/reload-tasks/${old.body.id}`)).status).toBe(204);
      t.sim.state.behaviour.reloadTasksApi = 'removed-404';
      expect((await t.api('GET', `/api/v1/reload-tasks?appId=${appId}`)).status).toBe(404);
      expect(t.sim.violations).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
