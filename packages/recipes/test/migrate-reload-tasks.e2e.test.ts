import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { ReloadTasksApiMode } from '@qlik-oem/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore } from '../src/index.js';
import { hydrateFromTemplate } from '../src/recipes/hydrate-from-template.js';
import { startHydrateHarness, type HydrateHarness } from './helpers/hydrate-harness.js';

describe('hydrateFromTemplate moves 0.1 reload tasks to the Scheduling Tasks API (strict simulator)', () => {
  let harness: HydrateHarness;

  beforeAll(async () => {
    harness = await startHydrateHarness(['legacy', 'stopped', 'gone', 'gone404']);
  }, 30_000);

  afterAll(async () => {
    expect(harness.sim.violations).toEqual([]);
    await harness.close();
  });

  const setMode = (mode: ReloadTasksApiMode) => {
    harness.sim.state.behaviour.reloadTasksApi = mode;
  };

  /** A tenant as 0.1 left it: hydrated, with a reload task on the published app (made while that API worked). */
  async function provisionedBy01(alias: string): Promise<{ qc: QlikCloud; appId: string; oldTaskId: string }> {
    const qc = harness.env.tenant(`${alias}.eu.qlikcloud.com`);
    const { ids } = await hydrateFromTemplate(harness.env, harness.inputFor(alias), {
      journal: createMemoryJournalStore(),
    });
    setMode('available');
    const old = unwrap(
      await qc.reloadTasks.POST('/api/v1/reload-tasks', {
        body: {
          appId: ids.publishedAppId,
          timeZone: 'Europe/Zurich',
          recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'],
          partial: false,
        },
      }),
    );
    setMode('deprecated');
    return { qc, appId: ids.publishedAppId, oldTaskId: old.id };
  }

  const schedulingTasks = async (qc: QlikCloud, appId: string) =>
    unwrap(await qc.schedulingTasks.GET('/api/scheduling/tasks', { params: { query: { resourceId: appId } } })).data ??
    [];
  const reloadTasks = async (qc: QlikCloud, appId: string) =>
    unwrap(await qc.reloadTasks.GET('/api/v1/reload-tasks', { params: { query: { appId } } })).data ?? [];

  it('replaces the old task by an equivalent scheduling task, deletes it, and a second run writes nothing', async () => {
    const host = 'legacy.eu.qlikcloud.com';
    const { qc, appId, oldTaskId } = await provisionedBy01('legacy');
    const journal = createMemoryJournalStore();
    const before = harness.writes(host).length;
    const schedule = { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'], timeZone: 'Europe/Zurich' };
    const run = await hydrateFromTemplate(harness.env, harness.inputFor('legacy', { reloadSchedule: schedule }), {
      journal,
    });
    expect(run.steps.filter((s) => s.action !== 'none').map((s) => [s.step, s.action])).toEqual([
      ['migrateReloadTasks', 'update'],
    ]);
    const written = harness.writesSince(host, before);
    expect(written).toEqual(['POST /api/scheduling/tasks', `DELETE /api/v1/reload-tasks/${oldTaskId}`]);

    const tasks = await schedulingTasks(qc, appId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: run.ids.scheduleId,
      enabled: true,
      start: { schedule: { recurrence: 'RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0', timezone: 'Europe/Zurich' } },
    });
    expect(tasks[0]!.annotations).toContain(`qlik-oem:migrated-from:${oldTaskId}#0`);
    expect(await reloadTasks(qc, appId)).toEqual([]);
    expect(run.outputs.migrateReloadTasks.migratedTaskIds).toEqual([tasks[0]!.id]);

    const writesBefore = harness.writes().length;
    const second = await hydrateFromTemplate(harness.env, harness.inputFor('legacy', { reloadSchedule: schedule }), {
      journal,
    });
    expect(second.status).toBe('unchanged');
    expect(harness.writes().length).toBe(writesBefore);
  }, 30_000);

  it('resumes a run stopped between the create and the delete: the task is created once, the old one deleted', async () => {
    const host = 'stopped.eu.qlikcloud.com';
    const { qc, appId, oldTaskId } = await provisionedBy01('stopped');
    const journal = createMemoryJournalStore();
    const error = await harness.stoppedRun(
      'stopped',
      journal,
      (request) => request.host === host && request.method === 'POST' && request.path === '/api/scheduling/tasks',
    );
    expect((error as Error).message).toBe('operator stop');
    expect(await schedulingTasks(qc, appId)).toHaveLength(1);
    expect((await reloadTasks(qc, appId)).map((t) => t.id)).toEqual([oldTaskId]);

    const resumed = await hydrateFromTemplate(harness.env, harness.inputFor('stopped'), { journal });
    expect(resumed.status).not.toBe('failed');
    expect(await schedulingTasks(qc, appId)).toHaveLength(1);
    expect(await reloadTasks(qc, appId)).toEqual([]);
    const again = await hydrateFromTemplate(harness.env, harness.inputFor('stopped'), { journal });
    expect(again.status).toBe('unchanged');
  }, 30_000);

  it.each([
    ['removed', 'gone'],
    ['removed-404', 'gone404'],
  ] as const)(
    'with the Reload Tasks API %s there is nothing to migrate',
    async (mode, alias) => {
      const host = `${alias}.eu.qlikcloud.com`;
      const { qc, appId } = await provisionedBy01(alias);
      setMode(mode);
      try {
        const before = harness.writes(host).length;
        const run = await hydrateFromTemplate(harness.env, harness.inputFor(alias), {
          journal: createMemoryJournalStore(),
        });
        const migrate = run.steps.find((s) => s.step === 'migrateReloadTasks');
        expect(migrate).toMatchObject({ action: 'none' });
        expect(harness.writes(host).length).toBe(before);
        expect(await schedulingTasks(qc, appId)).toEqual([]);
      } finally {
        setMode('removed');
      }
    },
    30_000,
  );
});
