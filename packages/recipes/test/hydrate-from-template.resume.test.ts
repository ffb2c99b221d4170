import { getScript, save, setScript, withApp } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, isRecipeStepError, s3DataConnection, type JournalStore } from '../src/index.js';
import { hydrateFromTemplate, planHydrateFromTemplate } from '../src/recipes/hydrate-from-template.js';
import { isReloadWaitTimeoutError } from '../src/recipes/reload-wait.js';
import { createTemplateExportCache } from '../src/recipes/template-export.js';
// Test-only access to the simulator's stored connection (Qlik never returns passwords).
import { contentOf } from '../../simulator/src/content/state.js';
import { TEMPLATE_SCRIPT, startHydrateHarness, type HydrateHarness } from './helpers/hydrate-harness.js';

/** An end user's own sheet on a published app, as the engine stores it. */
const userSheet = (id: string) => ({
  id,
  type: 'sheet',
  properties: { qInfo: { qId: id, qType: 'sheet' }, qMetaDef: { title: 'Mine' } },
  kind: 'user' as const,
  ownerId: 'end-user',
});

describe('hydrateFromTemplate: plan, abort and resume, timeouts, drift (strict simulator)', () => {
  let harness: HydrateHarness;

  beforeAll(async () => {
    harness = await startHydrateHarness([
      'planned',
      'aborted',
      'slow',
      'drifted',
      'bucket',
      'killed',
      'orphaned',
      'reimported',
      'files',
    ]);
  }, 30_000);

  afterAll(async () => {
    expect(harness.sim.violations).toEqual([]);
    await harness.close();
  });

  const reloadStarts = (host: string) =>
    harness.requests.filter((r) => r.host === host && r.method === 'POST' && r.path === '/api/v1/reloads');

  it('plans a fresh customer without writing anything', async () => {
    const before = harness.writes().length;
    const plan = await planHydrateFromTemplate(harness.env, harness.inputFor('planned'));
    expect(plan.steps.map((s) => [s.step, s.action])).toEqual([
      ['templateExport', 'none'],
      ['importApp', 'create'],
      ['dataConnection', 'create'],
      ['scriptConnection', 'depends'],
      ['reload', 'depends'],
      ['publish', 'depends'],
      ['migrateReloadTasks', 'depends'],
      // No schedule asked for: nothing to look at.
      ['reloadSchedule', 'none'],
    ]);
    expect(harness.writes().length).toBe(before);
  }, 20_000);

  it('an abort while waiting for the reload stops the run; the next run waits for that reload instead of starting another', async () => {
    const host = 'aborted.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    // Stop at the first poll of the reload: by then the client has the reload's answer. (Stopping when
    // the simulator answers the POST races with the client reading that answer.)
    const error = await harness.stoppedRun(
      'aborted',
      journal,
      (request) => request.host === host && request.method === 'GET' && request.path.startsWith('/api/v1/reloads/'),
    );
    expect((error as Error).message).toBe('operator stop');
    expect(reloadStarts(host)).toHaveLength(1);
    const resumed = await hydrateFromTemplate(harness.env, harness.inputFor('aborted'), { journal });
    expect(resumed.status).toBe('provisioned');
    expect(reloadStarts(host)).toHaveLength(1);
    const reloadStep = resumed.steps.find((s) => s.step === 'reload')!;
    expect(reloadStep.action === 'none' || reloadStep.action === 'update').toBe(true);
    expect(resumed.ids.reloadId).not.toBeNull();
    expect(harness.writes(host).filter((r) => r.path.endsWith('/publish'))).toHaveLength(1);
  }, 20_000);

  it('a run killed between the import and its journal entry is reconciled by name, not imported twice', async () => {
    const host = 'killed.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    // The journal write after the import fails, as if the process died right after the import answered.
    const dying: JournalStore = {
      read: (customerId) => journal.read(customerId),
      async append(entry) {
        if (entry.type === 'step:done' && entry.step === 'importApp') throw new Error('process killed');
        await journal.append(entry);
      },
    };
    await expect(hydrateFromTemplate(harness.env, harness.inputFor('killed'), { journal: dying })).rejects.toThrow();
    const imports = () => harness.writes(host).filter((r) => r.path === '/api/v1/apps/import');
    expect(imports()).toHaveLength(1);
    const resumed = await hydrateFromTemplate(harness.env, harness.inputFor('killed'), { journal });
    expect(resumed.steps.find((s) => s.step === 'importApp')!.action).toBe('none');
    expect(imports()).toHaveLength(1);
    const shared = unwrap(
      await harness.env.tenant(host).items.GET('/api/v1/items', {
        params: { query: { resourceType: 'app', spaceId: harness.spaces.get('killed')!.shared } },
      }),
    );
    expect(shared.data.map((item) => item.resourceId)).toEqual([resumed.ids.sharedAppId]);
  }, 20_000);

  it('when the shared app was deleted, the new one is republished over the old published app (same id, users’ sheets kept)', async () => {
    const host = 'orphaned.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    const qc = harness.env.tenant(host);
    const first = await hydrateFromTemplate(harness.env, harness.inputFor('orphaned'), { journal });
    const tenant = harness.sim.state.tenantByHost(host)!;
    contentOf(tenant).apps.get(first.ids.publishedAppId)!.objects.push(userSheet('mine'));
    unwrap(await qc.apps.DELETE('/api/v1/apps/{appId}', { params: { path: { appId: first.ids.sharedAppId } } }));

    const second = await hydrateFromTemplate(harness.env, harness.inputFor('orphaned'), { journal });
    expect(second.steps.filter((s) => s.action !== 'none').map((s) => [s.step, s.action])).toEqual([
      ['importApp', 'create'],
      ['scriptConnection', 'update'],
      ['reload', 'create'],
      ['publish', 'update'],
    ]);
    expect(second.ids.sharedAppId).not.toBe(first.ids.sharedAppId);
    expect(second.ids.publishedAppId).toBe(first.ids.publishedAppId);
    expect(
      contentOf(tenant)
        .apps.get(first.ids.publishedAppId)!
        .objects.map((object) => object.id),
    ).toContain('mine');
    const managed = unwrap(
      await qc.items.GET('/api/v1/items', {
        params: { query: { resourceType: 'app', spaceId: harness.spaces.get('orphaned')!.managed } },
      }),
    );
    expect(managed.data).toHaveLength(1);
    const third = await hydrateFromTemplate(harness.env, harness.inputFor('orphaned'), { journal });
    expect(third.status).toBe('unchanged');
  }, 20_000);

  it('a reload that does not end in time fails the step with a timeout', async () => {
    const error = await hydrateFromTemplate(harness.env, harness.inputFor('slow'), {
      journal: createMemoryJournalStore(),
      // Simulated reloads take 5 s; give up after 1 s of (scaled) clock time.
      reload: { timeoutMs: 1000, pollIntervalMs: 200 },
    }).catch((e: unknown) => e);
    expect(isRecipeStepError(error)).toBe(true);
    expect((error as { step: string }).step).toBe('reload');
    expect(isReloadWaitTimeoutError((error as Error).cause)).toBe(true);
    // The wait was as long as asked: the step is not retried.
    expect((error as { attempts: number }).attempts).toBe(1);
    expect(reloadStarts('slow.eu.qlikcloud.com')).toHaveLength(1);
  }, 20_000);

  it('a changed connection string is patched, then the app is reloaded and republished over the same app; rotateCredentials resends the password', async () => {
    const host = 'drifted.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    const first = await hydrateFromTemplate(harness.env, harness.inputFor('drifted'), { journal });
    const before = harness.writes(host).length;
    const moved = harness.inputFor('drifted');
    const changed = await hydrateFromTemplate(
      harness.env,
      {
        ...moved,
        dataConnection: {
          ...moved.dataConnection,
          connectionString: 'host=drifted-db-2.partner.example;database=sales',
        },
      },
      { journal },
    );
    expect(changed.steps.filter((s) => s.action !== 'none').map((s) => [s.step, s.action])).toEqual([
      ['dataConnection', 'update'],
      ['reload', 'create'],
      ['publish', 'update'],
    ]);
    expect(harness.writesSince(host, before)).toEqual([
      `PATCH /api/v1/data-connections/${first.ids.connectionId}`,
      'POST /api/v1/reloads',
      `PUT /api/v1/apps/${first.ids.sharedAppId}/publish`,
    ]);
    expect(changed.ids.publishedAppId).toBe(first.ids.publishedAppId);
    const connection = unwrap(
      await harness.env
        .tenant(host)
        .dataConnections.GET('/api/v1/data-connections/{qID}', { params: { path: { qID: first.ids.connectionId } } }),
    );
    expect(connection.qConnectStatement).toBe('host=drifted-db-2.partner.example;database=sales');

    // A new password cannot be seen (Qlik never returns it): rotateCredentials sends it on purpose.
    const rotated = {
      ...moved,
      dataConnection: {
        ...moved.dataConnection,
        connectionString: 'host=drifted-db-2.partner.example;database=sales',
        password: 'n3w-pw',
        rotateCredentials: true,
      },
    };
    const rotation = await hydrateFromTemplate(harness.env, rotated, { journal });
    expect(rotation.steps.find((s) => s.step === 'dataConnection')).toMatchObject({
      action: 'update',
      reason: 'the connection differs (credentials)',
    });
    const stored = contentOf(harness.sim.state.tenantByHost(host)!).connections.get(first.ids.connectionId)!;
    expect(stored.password?.reveal()).toBe('n3w-pw');
    expect(JSON.stringify(await journal.read('drifted'))).not.toContain('n3w-pw');
  }, 20_000);

  it('takes a ready create body (s3DataConnection): the secret is revealed only in the create request, and a rerun writes nothing', async () => {
    const host = 'bucket.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    const dataConnection = await s3DataConnection({
      name: 'bucket-data',
      bucket: 'bucket-analytics',
      region: 'eu-west-1',
      accessKeyId: 'AKIAEXAMPLEKEY0001',
      secretAccessKey: 'wJalrXUtnFEMI-very-secret',
    });
    const first = await hydrateFromTemplate(harness.env, harness.inputFor('bucket', { dataConnection }), { journal });
    expect(first.steps.find((s) => s.step === 'dataConnection')!.action).toBe('create');
    const connection = unwrap(
      await harness.env
        .tenant(host)
        .dataConnections.GET('/api/v1/data-connections/{qID}', { params: { path: { qID: first.ids.connectionId } } }),
    );
    expect(connection).toMatchObject({ qName: 'bucket-data', datasourceID: 'File_AmazonS3ConnectorV2' });
    const stored = contentOf(harness.sim.state.tenantByHost(host)!).connections.get(first.ids.connectionId)!;
    expect(stored.password?.reveal()).toBe('wJalrXUtnFEMI-very-secret');
    expect(stored.username).toBe('AKIAEXAMPLEKEY0001');
    expect(JSON.stringify(await journal.read('bucket'))).not.toContain('wJalrXUtnFEMI');
    const before = harness.writes(host).length;
    const again = await hydrateFromTemplate(harness.env, harness.inputFor('bucket', { dataConnection }), { journal });
    expect(again.status).toBe('unchanged');
    expect(harness.writes(host).length).toBe(before);
  }, 20_000);

  it('the export cache exports once for concurrent callers, and one caller’s abort does not cancel the others', async () => {
    const cache = createTemplateExportCache(harness.env);
    const exportPath = `/api/v1/apps/${harness.templateAppId}/export`;
    const exportsBefore = harness.requests.filter((r) => r.path === exportPath).length;
    const quitter = new AbortController();
    const waits = Array.from({ length: 16 }, (_, i) =>
      cache.bytes(harness.templateAppId, i === 0 ? quitter.signal : undefined),
    );
    quitter.abort(new Error('customer 0 stopped'));
    const results = await Promise.allSettled(waits);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: new Error('customer 0 stopped') });
    const bytes = results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    expect(bytes.every((b) => b instanceof Uint8Array && b === bytes[0])).toBe(true);
    expect(new TextDecoder().decode(bytes[0]!.slice(0, 11))).toBe('QOEMSIMQVF1');
    expect(harness.requests.filter((r) => r.path === exportPath).length - exportsBefore).toBe(1);
    expect(cache.exportCount).toBe(1);
    // A later caller gets the same bytes without another export.
    expect(await cache.bytes(harness.templateAppId)).toBe(bytes[0]);
    expect(cache.exportCount).toBe(1);
  }, 20_000);
  it('upgrade: reimport deletes the shared app, imports the new template, and republishes over the same published app', async () => {
    const host = 'reimported.eu.qlikcloud.com';
    const journal = createMemoryJournalStore();
    const input = harness.inputFor('reimported', {
      template: { appId: harness.templateAppId, appName: 'Sales Analytics', upgrade: 'reimport' },
    });
    const first = await hydrateFromTemplate(harness.env, input, { journal });
    const tenant = harness.sim.state.tenantByHost(host)!;
    contentOf(tenant).apps.get(first.ids.publishedAppId)!.objects.push(userSheet('mine'));
    await harness.setTemplateScript(`${TEMPLATE_SCRIPT}// v2\n`);
    try {
      const before = harness.writes(host).length;
      const second = await hydrateFromTemplate(harness.env, input, { journal });
      expect(second.steps.filter((s) => s.action !== 'none').map((s) => [s.step, s.action])).toEqual([
        ['importApp', 'update'],
        ['scriptConnection', 'update'],
        ['reload', 'create'],
        ['publish', 'update'],
      ]);
      expect(harness.writesSince(host, before)).toEqual([
        `DELETE /api/v1/apps/${first.ids.sharedAppId}`,
        'POST /api/v1/apps/import',
        'POST /api/v1/reloads',
        `PUT /api/v1/apps/${second.ids.sharedAppId}/publish`,
      ]);
      expect(second.ids.publishedAppId).toBe(first.ids.publishedAppId);
      const published = contentOf(tenant).apps.get(first.ids.publishedAppId)!;
      expect(published.script).toContain('// v2');
      expect(published.script).toContain("'reimported dev:reimported-sales'");
      expect(published.objects.map((object) => object.id)).toContain('mine');
      const third = await hydrateFromTemplate(harness.env, input, { journal });
      expect(third.status).toBe('unchanged');
    } finally {
      await harness.setTemplateScript(TEMPLATE_SCRIPT);
    }
  }, 20_000);
  it('libPaths: quoted lib:// paths are pointed at the customer connection too, and the reload reads through it', async () => {
    const source = harness.env.source();
    const spaces = unwrap(await source.spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } }));
    const templatesSpaceId = spaces.data!.find((space) => space.name === 'Templates')!.id;
    const created = unwrap(
      await source.apps.POST('/api/v1/apps', {
        body: { attributes: { name: 'Files Template', spaceId: templatesSpaceId } },
      }),
    );
    const filesTemplateId = created.attributes!.id!;
    const script = "Sales:\nLOAD * FROM [lib://Customer Files/sales.csv] (txt);\nLIB CONNECT TO 'Customer Files';\n";
    await withApp(harness.env.engine.options(source.host), filesTemplateId, async (doc) => {
      await setScript(doc, script);
      await save(doc);
    });
    const input = harness.inputFor('files', {
      template: { appId: filesTemplateId, appName: 'Files App' },
      scriptConnection: { from: 'Customer Files', libPaths: true },
    });
    // The customer's connection is a database: the reload opens the rewritten path and fails on it, as Qlik would.
    const error = await hydrateFromTemplate(harness.env, input, { journal: createMemoryJournalStore() }).catch(
      (e: unknown) => e,
    );
    expect(isRecipeStepError(error)).toBe(true);
    expect((error as { step: string }).step).toBe('reload');
    expect((error as Error).message).toContain("Cannot open file: 'lib://files dev:files-sales/sales.csv'");
    expect((error as Error).message).toContain('(line 1)');
    const sharedApp = unwrap(
      await harness.env
        .tenant('files.eu.qlikcloud.com')
        .items.GET('/api/v1/items', { params: { query: { resourceType: 'app', name: 'Files App' } } }),
    ).data[0]!.resourceId!;
    const rewritten = await withApp(harness.env.engine.options('files.eu.qlikcloud.com'), sharedApp, (doc) =>
      getScript(doc),
    );
    expect(rewritten).toBe(
      "Sales:\nLOAD * FROM [lib://files dev:files-sales/sales.csv] (txt);\nLIB CONNECT TO 'files dev:files-sales';\n",
    );
  }, 20_000);
});
