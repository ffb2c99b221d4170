import { isQlikValidationError } from '@qlik-oem/core';
import { getScript, withApp } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, isRecipeStepError, runFleet, type JournalStore } from '../src/index.js';
import type { ProvisioningEnvironment } from '../src/recipes/context.js';
import { hydrateFromTemplate, hydrateFromTemplateRecipe } from '../src/recipes/hydrate-from-template.js';
import type { HydrateFromTemplateInput } from '../src/recipes/hydrate/input.js';
import { isAppReloadFailedError } from '../src/recipes/reload-wait.js';
import { createTemplateExportCache } from '../src/recipes/template-export.js';
import {
  TEMPLATE_SCRIPT,
  startHydrateHarness,
  type HydrateHarness,
  type RecordedRequest,
} from './helpers/hydrate-harness.js';

describe('hydrateFromTemplate against the simulator (strict)', () => {
  let harness: HydrateHarness;
  let env: ProvisioningEnvironment;
  let requests: RecordedRequest[];
  let spaces: HydrateHarness['spaces'];
  let templateAppId: string;
  const writes = (host?: string) => harness.writes(host);
  const inputFor = (alias: string, extra?: Partial<HydrateFromTemplateInput>) => harness.inputFor(alias, extra);

  beforeAll(async () => {
    harness = await startHydrateHarness(['acme', 'globex', 'initech', 'umbrella']);
    ({ env, requests, spaces, templateAppId } = harness);
  }, 30_000);

  afterAll(async () => {
    expect(harness.sim.violations).toEqual([]);
    // No code path creates or changes reload tasks: the Reload Tasks API is retired.
    expect(requests.filter((r) => r.path.startsWith('/api/v1/reload-tasks') && r.method !== 'GET')).toEqual([]);
    await harness.close();
  });

  const journal = (): JournalStore => createMemoryJournalStore();

  it('rejects bad input before any request', async () => {
    const before = requests.length;
    const bad = {
      ...inputFor('acme'),
      tenantHost: 'https://acme.eu.qlikcloud.com',
      reloadSchedule: { recurrence: ['DAILY'], timeZone: 'Mars/Olympus' },
    };
    const error = await hydrateFromTemplate(env, bad as HydrateFromTemplateInput, { journal: journal() }).catch(
      (e: unknown) => e,
    );
    expect(isQlikValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/tenantHost: must be a hostname without a scheme/);
    expect((error as Error).message).toMatch(/reloadSchedule\.recurrence\[0\]: must be an RRULE line/);
    expect((error as Error).message).toMatch(/reloadSchedule\.timeZone: must be an IANA time zone/);
    const noConnection = { ...inputFor('acme'), dataConnection: { name: 'x' } };
    const missing = await hydrateFromTemplate(env, noConnection, { journal: journal() }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/dataConnection\.datasourceId: is required/);
    const sameSpace = { ...inputFor('acme'), managedSpaceId: spaces.get('acme')!.shared };
    const same = await hydrateFromTemplate(env, sameSpace, { journal: journal() }).catch((e: unknown) => e);
    expect((same as Error).message).toMatch(/managedSpaceId: must differ from sharedSpaceId/);
    expect(requests.length).toBe(before);
  });

  it('hydrates a fresh tenant, and a second run writes nothing', async () => {
    const store = journal();
    const host = 'acme.eu.qlikcloud.com';
    const schedule = { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'], timeZone: 'Europe/Zurich' };
    const first = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: schedule }), { journal: store });
    expect(first.status).toBe('provisioned');
    expect(first.steps.map((s) => [s.step, s.action])).toEqual([
      ['templateExport', 'none'],
      ['importApp', 'create'],
      ['dataConnection', 'create'],
      ['scriptConnection', 'update'],
      ['reload', 'create'],
      ['publish', 'create'],
      ['migrateReloadTasks', 'none'],
      ['reloadSchedule', 'create'],
    ]);
    const { ids } = first;
    const qc = env.tenant(host);

    // The shared app, its script (read through the engine) and the connection it now uses.
    const shared = unwrap(
      await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId: ids.sharedAppId } } }),
    ).attributes!;
    expect(shared).toMatchObject({ name: 'Sales Analytics', spaceId: spaces.get('acme')!.shared });
    const script = await withApp(env.engine.options(host), ids.sharedAppId, (doc) => getScript(doc));
    expect(script).toBe(TEMPLATE_SCRIPT.replace("'Customer Data'", "'acme dev:acme-sales'"));
    const connection = unwrap(
      await qc.dataConnections.GET('/api/v1/data-connections/{qID}', { params: { path: { qID: ids.connectionId } } }),
    );
    expect(connection).toMatchObject({
      qName: 'acme-sales',
      qConnectStatement: 'host=acme-db.partner.example;database=sales',
      space: spaces.get('acme')!.shared,
    });
    expect(JSON.stringify(connection)).not.toContain('s3cr3t-pw');

    // Reloaded, published with originAppId, scheduled once.
    const reload = unwrap(
      await qc.reloads.GET('/api/v1/reloads/{reloadId}', { params: { path: { reloadId: ids.reloadId! } } }),
    );
    expect(reload.status).toBe('SUCCEEDED');
    const published = unwrap(
      await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId: ids.publishedAppId } } }),
    ).attributes!;
    expect(published).toMatchObject({
      published: true,
      originAppId: ids.sharedAppId,
      spaceId: spaces.get('acme')!.managed,
    });
    const tasks = unwrap(
      await qc.schedulingTasks.GET('/api/scheduling/tasks', { params: { query: { resourceId: ids.publishedAppId } } }),
    );
    expect(tasks.data).toHaveLength(1);
    expect(tasks.data![0]).toMatchObject({
      id: ids.scheduleId,
      resourceId: ids.publishedAppId,
      enabled: true,
      start: { schedule: { recurrence: schedule.recurrence[0], timezone: 'Europe/Zurich' } },
    });

    // Secrets never reach the journal.
    const journaled = JSON.stringify(await store.read('acme'));
    expect(journaled).not.toContain('s3cr3t-pw');

    const writesBefore = writes().length;
    const second = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: schedule }), { journal: store });
    expect(second.status).toBe('unchanged');
    expect(second.steps.every((s) => s.action === 'none')).toBe(true);
    expect(second.ids).toEqual({ ...ids });
    expect(writes().length).toBe(writesBefore);
  }, 30_000);

  it('upgrades: a newer template is re-imported and republished over the same app, keeping users’ sheets', async () => {
    const host = 'globex.eu.qlikcloud.com';
    const store = journal();
    const first = await hydrateFromTemplate(env, inputFor('globex'), { journal: store });
    const { sharedAppId, publishedAppId } = first.ids;

    // A user builds a sheet of their own on the published app, through the engine, and saves it.
    await withApp(env.engine.options(host), publishedAppId, async (doc) => {
      await doc.createObject({ qInfo: { qId: 'my-sheet', qType: 'sheet' }, qMetaDef: { title: 'My analysis' } });
      await doc.doSave();
    });

    // The partner changes the template in the source tenant.
    const upgraded = `${TEMPLATE_SCRIPT}Targets:\nLOAD * INLINE [\nRegion, Target\nNorth, 150\n];\n`;
    await harness.setTemplateScript(upgraded);
    try {
      const second = await hydrateFromTemplate(env, inputFor('globex'), { journal: store });
      expect(second.steps.map((s) => [s.step, s.action])).toEqual([
        ['templateExport', 'none'],
        ['importApp', 'update'],
        ['dataConnection', 'none'],
        ['scriptConnection', 'update'],
        ['reload', 'create'],
        ['publish', 'update'],
        ['migrateReloadTasks', 'none'],
        ['reloadSchedule', 'none'],
      ]);
      expect(second.ids.sharedAppId).toBe(sharedAppId);
      expect(second.ids.publishedAppId).toBe(publishedAppId);
      const expected = upgraded.replace("'Customer Data'", "'globex dev:globex-sales'");
      expect(await withApp(env.engine.options(host), publishedAppId, (doc) => getScript(doc))).toBe(expected);
      const sheets = await withApp(env.engine.options(host), publishedAppId, async (doc) =>
        (await doc.getObjects({ qTypes: ['sheet'], qIncludeSessionObjects: false, qData: {} })).map((item) => ({
          id: item.qInfo?.qId,
          title: (item.qMeta as { title?: string } | undefined)?.title,
        })),
      );
      expect(sheets).toContainEqual({ id: 'my-sheet', title: 'My analysis' });
      const managedApps = unwrap(
        await env.tenant(host).items.GET('/api/v1/items', {
          params: { query: { resourceType: 'app', spaceId: spaces.get('globex')!.managed } },
        }),
      );
      expect(managedApps.data).toHaveLength(1);
      // And it converged: one more run writes nothing.
      const third = await hydrateFromTemplate(env, inputFor('globex'), { journal: store });
      expect(third.status).toBe('unchanged');
    } finally {
      await harness.setTemplateScript(TEMPLATE_SCRIPT);
    }
  }, 30_000);

  it('a reload that FAILS (the script names a connection that is not there) is a RecipeStepError with the log', async () => {
    const input = inputFor('initech', { scriptConnection: { from: 'Not The Template Connection' } });
    const store = journal();
    const error = await hydrateFromTemplate(env, input, { journal: store }).catch((e: unknown) => e);
    expect(isRecipeStepError(error)).toBe(true);
    const stepError = error as Error & { step: string; customerId: string; cause: unknown };
    expect(stepError.step).toBe('reload');
    expect(stepError.customerId).toBe('initech');
    expect(isAppReloadFailedError(stepError.cause)).toBe(true);
    const cause = stepError.cause as { status: string; log: string; reloadId: string };
    expect(cause.status).toBe('FAILED');
    expect(cause.log).toMatch(/Customer Data/);
    expect(stepError.message).toMatch(/initech.*reload.*FAILED/s);
    // The journal records the failure with the log's tail, which names the missing connection.
    const failed = (await store.read('initech')).find((entry) => entry.type === 'step:fail');
    expect(JSON.stringify(failed)).toMatch(/Customer Data/);
    // Nothing was published.
    const managed = unwrap(
      await env.tenant('initech.eu.qlikcloud.com').items.GET('/api/v1/items', {
        params: { query: { resourceType: 'app', spaceId: spaces.get('initech')!.managed } },
      }),
    );
    expect(managed.data).toHaveLength(0);
  }, 30_000);

  it('exports the template once for a fleet of customers', async () => {
    const templates = createTemplateExportCache(env);
    const exportsBefore = requests.filter(
      (r) => r.method === 'POST' && r.path === `/api/v1/apps/${templateAppId}/export`,
    ).length;
    const recipe = hydrateFromTemplateRecipe(env, { templates });
    const aliases = ['umbrella', 'initech'];
    // initech failed above with a wrong connection name; this input fixes it, and it converges from what that run left.
    const fleet = await runFleet(
      recipe,
      aliases.map((alias) => inputFor(alias)),
      { journal: journal(), concurrency: 2 },
    );
    expect(fleet.customers.map((c) => [c.customerId, c.status, (c.error as Error | undefined)?.message])).toEqual([
      ['umbrella', 'provisioned', undefined],
      ['initech', 'provisioned', undefined],
    ]);
    const exportsAfter = requests.filter(
      (r) => r.method === 'POST' && r.path === `/api/v1/apps/${templateAppId}/export`,
    ).length;
    expect(exportsAfter - exportsBefore).toBe(1);
    expect(templates.exportCount).toBe(1);
  }, 30_000);

  it('the reload schedule is created once, updated when the recurrence changes, never duplicated', async () => {
    const store = journal();
    const host = 'acme.eu.qlikcloud.com';
    const daily = { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'], timeZone: 'Europe/Zurich' };
    const first = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: daily }), { journal: store });
    const scheduleId = first.ids.scheduleId;
    const weekly = { recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=5;BYMINUTE=30'], timeZone: 'America/New_York' };
    const before = writes(host).length;
    const changed = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: weekly }), { journal: store });
    expect(changed.steps.filter((s) => s.action !== 'none').map((s) => [s.step, s.action])).toEqual([
      ['reloadSchedule', 'update'],
    ]);
    expect(changed.ids.scheduleId).toBe(scheduleId);
    expect(
      writes(host)
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PUT /api/scheduling/tasks/${scheduleId}`]);
    const again = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: weekly }), { journal: store });
    expect(again.status).toBe('unchanged');
    const tasks = unwrap(
      await env.tenant(host).schedulingTasks.GET('/api/scheduling/tasks', {
        params: { query: { resourceId: first.ids.publishedAppId } },
      }),
    );
    expect(tasks.data).toHaveLength(1);
    expect(tasks.data![0]).toMatchObject({
      id: scheduleId,
      start: { schedule: { recurrence: weekly.recurrence[0], timezone: 'America/New_York' } },
    });

    const paused = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: { ...weekly, enabled: false } }), {
      journal: store,
    });
    expect(paused.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['reloadSchedule']);
    const task = unwrap(
      await env
        .tenant(host)
        .schedulingTasks.GET('/api/scheduling/tasks/{id}', { params: { path: { id: scheduleId! } } }),
    );
    expect(task.enabled).toBe(false);

    // null removes the SDK's schedule; then there is nothing left to remove.
    const removed = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: null }), { journal: store });
    expect(removed.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['reloadSchedule']);
    expect(removed.ids.scheduleId).toBeNull();
    const gone = await env
      .tenant(host)
      .schedulingTasks.GET('/api/scheduling/tasks/{id}', { params: { path: { id: scheduleId! } } });
    expect(gone.response.status).toBe(404);
    const idle = await hydrateFromTemplate(env, inputFor('acme', { reloadSchedule: null }), { journal: store });
    expect(idle.status).toBe('unchanged');
  }, 30_000);

  it('scheduled reloads of the published app (in the managed space) find the connection in the shared space', async () => {
    const host = 'umbrella.eu.qlikcloud.com';
    const minutely = { recurrence: ['RRULE:FREQ=MINUTELY;INTERVAL=1'], timeZone: 'UTC' };
    const { ids } = await hydrateFromTemplate(env, inputFor('umbrella', { reloadSchedule: minutely }), {
      journal: journal(),
    });
    const qc = env.tenant(host);
    // One simulated minute is 0.3 s here; wait (bounded) for the first scheduled reload to end.
    let scheduled: { status: string; type: string; resourceId?: string } | undefined;
    for (let i = 0; i < 100 && !(scheduled && ['SUCCEEDED', 'FAILED'].includes(scheduled.status)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const page = unwrap(
        await qc.reloads.GET('/api/v1/reloads', { params: { query: { appId: ids.publishedAppId } } }),
      );
      scheduled = page.data?.find((reload) => reload.resourceType === 'tasks');
    }
    expect(scheduled).toMatchObject({ status: 'SUCCEEDED', resourceId: ids.scheduleId });
  }, 30_000);
});
