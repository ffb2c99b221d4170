import { QlikError, systemClock, type Clock } from '@qlik-oem/core';
import { importApp, unwrap, type AppsApi, type DataConnectionsApi, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { z } from 'zod';
import { defineRecipe, type Recipe } from '../recipe.js';
import {
  applyRecipe,
  planRecipe,
  type ApplyOptions,
  type ApplyResult,
  type PlanOptions,
  type PlanResult,
} from '../runner.js';
import { customerIdSchema, secretSchema, tenantHostnameSchema } from '../validation/schemas.js';
import type { ProvisioningEnvironment } from './context.js';
import { scimString } from './finders.js';
import { reloadScheduleSchema, reloadScheduleStep } from './reload-schedule.js';
import {
  isAppReloadFailedError,
  isFinalReloadStatus,
  recentReloads,
  startReload,
  waitForReload,
} from './reload-wait.js';
import { createTemplateExportCache, type TemplateExportCache } from './template-export.js';

/** The engine package (enigma.js, ws) is loaded by the one step that opens an app, not at import time. */
const loadEngine = () => import('@qlik-oem/engine');

type NxApp = AppsApi.components['schemas']['NxApp'];
type ConnectionGet = DataConnectionsApi.components['schemas']['ConnectionGet'];

const id = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters');
const text = (max = 256) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** Fields of a create body that hold credentials: sent, never compared (Qlik never returns them). */
const SECRET_FIELDS = new Set(['qPassword', 'qConnectionSecret', 'qUsername', 'qCredentialsID', 'qCredentialsName']);
/** Credential fields `PATCH /data-connections/{id}` can replace. */
const PATCHABLE_CREDENTIALS = ['qUsername', 'qPassword', 'qConnectionSecret'];
/** Fields of a create body that `PATCH /data-connections/{id}` can replace. */
const PATCHABLE_FIELDS = new Set([
  'qConnectStatement',
  'qType',
  'datasourceID',
  'qLogOn',
  'qArchitecture',
  'qSeparateCredentials',
]);

/**
 * The customer's data connection: either the classic fields (`datasourceId` + `connectionString`),
 * or a ready create body for `POST /api/v1/data-connections` (`createBody`, e.g. an S3 connection
 * body), to which `qName` and `space` are added.
 */
export const hydrateDataConnectionSchema = z
  .object({
    /** Connection name (`qName`), unique in the shared space. */
    name: text(),
    datasourceId: text().optional(),
    connectionString: z
      .string({ error: 'must be a string' })
      .refine((value) => value.trim() !== '', 'must not be empty')
      .optional(),
    /** `qType`; defaults to the connector id. */
    type: text().optional(),
    username: z.string({ error: 'must be a string' }).optional(),
    password: secretSchema.optional(),
    createBody: z
      .record(z.string(), z.unknown(), { error: 'must be an object (a data-connections create body)' })
      .optional(),
    /**
     * Send the credentials again although nothing else changed (Qlik never returns them, so a new
     * password cannot be noticed). Set it for the run that rotates them; every such run writes.
     */
    rotateCredentials: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((value, ctx) => {
    if (value.createBody !== undefined) {
      for (const key of ['datasourceId', 'connectionString', 'type', 'username', 'password'] as const) {
        if (value[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'must not be set together with createBody' });
      }
      return;
    }
    if (value.datasourceId === undefined)
      ctx.addIssue({ code: 'custom', path: ['datasourceId'], message: 'is required (or pass createBody)' });
    if (value.connectionString === undefined)
      ctx.addIssue({ code: 'custom', path: ['connectionString'], message: 'is required (or pass createBody)' });
  });

export const hydrateFromTemplateInputSchema = z.object({
  customerId: customerIdSchema,
  /** The customer's tenant, e.g. `acme.eu.qlikcloud.com` (onboardTenant's output). */
  tenantHost: tenantHostnameSchema,
  /** The customer's shared (development) space: the imported app and the data connection live here. */
  sharedSpaceId: id,
  /** The customer's managed (production) space: the app is published here. */
  managedSpaceId: id,
  template: z.object({
    /** The template app on the source tenant. */
    appId: id,
    /** Name of the customer's app (shared and published). Default: the template's name. */
    appName: text().optional(),
    /**
     * How a newer template reaches the shared app. `replace` (default): import over the same app
     * (`mode=AUTOREPLACE`), keeping its id. `reimport`: delete the shared app and import a new one;
     * the publish step then republishes over the published app whose origin is gone. Use `reimport`
     * where a tenant refuses AUTOREPLACE (Qlik's spec calls that mode internal).
     */
    upgrade: z.enum(['replace', 'reimport'], { error: 'must be "replace" or "reimport"' }).default('replace'),
  }),
  dataConnection: hydrateDataConnectionSchema,
  /** How the template's script is pointed at the customer's connection. */
  scriptConnection: z
    .object({
      /** The connection name the template's script uses; default: every `LIB CONNECT TO` is rewritten. */
      from: text().optional(),
      /** Also rewrite quoted `lib://<name>/...` paths. Default false. */
      libPaths: z.boolean({ error: 'must be true or false' }).default(false),
      /**
       * Write `'<shared space name>:<connection>'`, so the published copy in the managed space (and
       * its scheduled reloads) still finds the connection. Default true.
       */
      qualifyWithSpace: z.boolean({ error: 'must be true or false' }).default(true),
    })
    .default({ libPaths: false, qualifyWithSpace: true }),
  /** A reload schedule for the published app. */
  reloadSchedule: reloadScheduleSchema.optional(),
});

// Kept apart from the object schema so that `hydrateFromTemplateInputSchema.omit(...)` still works (zod refuses
// to omit from a refined object).
const recipeInputSchema = hydrateFromTemplateInputSchema.refine(
  (input) => input.sharedSpaceId !== input.managedSpaceId,
  {
    path: ['managedSpaceId'],
    message:
      'must differ from sharedSpaceId (the app is developed in the shared space and published to the managed one)',
  },
);

export type HydrateFromTemplateInput = z.input<typeof hydrateFromTemplateInputSchema>;
export type HydrateFromTemplateParsedInput = z.output<typeof hydrateFromTemplateInputSchema>;

export interface HydrateFromTemplateOptions {
  /** Share one cache across a fleet run so each template is exported once. Default: one per recipe. */
  templates?: TemplateExportCache;
  /** Reload waits: first poll pause, longest pause, and when to give up (clock ms). */
  reload?: { pollIntervalMs?: number; maxPollIntervalMs?: number; timeoutMs?: number };
}

/** The ids `hydrateFromTemplate` produced or found. */
export interface HydrateFromTemplateOutputs {
  sharedAppId: string;
  publishedAppId: string;
  connectionId: string;
  /** The reload that made the app current; null when Qlik no longer lists it. */
  reloadId: string | null;
  scheduleId: string | null;
}

/** The environment parts hydrate needs (a `ProvisioningEnvironment` has them all). */
export type HydrateEnvironment = Pick<ProvisioningEnvironment, 'source' | 'tenant' | 'engine'> & {
  readonly clock?: Clock;
};

const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * The hydrateFromTemplate recipe over an environment: template export → import into the shared
 * space → data connection → script connection → reload → publish/republish → reload schedule.
 * Every step reads before it writes; a second run writes nothing.
 */
export function hydrateFromTemplateRecipe(env: HydrateEnvironment, options: HydrateFromTemplateOptions = {}) {
  const templates = options.templates ?? createTemplateExportCache(env);
  const clock = env.clock ?? systemClock;
  const tenant = (host: string) => env.tenant(host);

  return defineRecipe({
    name: 'hydrateFromTemplate',
    input: recipeInputSchema,
    customerId: (input) => input.customerId,
  })
    .step({
      name: 'templateExport',
      // Reads the template's revision; the bytes are exported lazily, once per cache, when an import needs them.
      async inspect(ctx) {
        const template = await templates.metadata(ctx.input.template.appId, ctx.signal);
        return {
          action: 'none',
          reason: `template "${template.name}" last saved ${template.modifiedDate}`,
          outputs: {
            templateAppId: template.appId,
            templateName: template.name,
            templateModifiedDate: template.modifiedDate,
          },
        };
      },
      async apply() {
        throw new QlikError('templateExport never writes');
      },
    })
    .step<'importApp', { sharedAppId: string }, { appId: string; appName: string }>({
      name: 'importApp',
      async inspect(ctx) {
        const { templateName, templateModifiedDate } = ctx.outputs.templateExport;
        const qc = tenant(ctx.input.tenantHost);
        const appName = ctx.input.template.appName ?? templateName;
        const recorded = (ctx.journal.recordedOutputs as { sharedAppId?: string } | undefined)?.sharedAppId;
        const found = await findAppInSpace(
          qc,
          ctx.input.sharedSpaceId,
          recorded ? { resourceId: recorded } : { name: appName },
          ctx.signal,
        );
        const app =
          found ??
          (recorded ? await findAppInSpace(qc, ctx.input.sharedSpaceId, { name: appName }, ctx.signal) : undefined);
        if (!app) return { action: 'create', reason: `no app named "${appName}" in the shared space`, marker: appName };
        const attributes = await getAppAttributes(qc, app, ctx.signal);
        if (time(templateModifiedDate) > time(attributes.modifiedDate)) {
          return {
            action: 'update',
            reason: `the template was saved after the shared app (${templateModifiedDate} > ${attributes.modifiedDate})`,
            marker: appName,
            current: { appId: app, appName },
          };
        }
        return { action: 'none', reason: 'the shared app is newer than the template', outputs: { sharedAppId: app } };
      },
      async apply(ctx, inspection) {
        const qc = tenant(ctx.input.tenantHost);
        const bytes = await templates.bytes(ctx.input.template.appId, ctx.signal);
        const appName = ctx.input.template.appName ?? ctx.outputs.templateExport.templateName;
        if (inspection.action === 'update' && ctx.input.template.upgrade === 'replace') {
          // Same app id, so the published copy (matched by originAppId) is republished, not duplicated.
          await replaceAppContent(qc, inspection.current.appId, bytes, ctx.input.sharedSpaceId, appName, ctx.signal);
          return { sharedAppId: inspection.current.appId };
        }
        if (inspection.action === 'update') {
          // Delete first: a run killed in between finds no app by name and imports; never two of the same name.
          unwrap(
            await qc.apps.DELETE('/api/v1/apps/{appId}', {
              params: { path: { appId: inspection.current.appId } },
              signal: ctx.signal,
            }),
          );
        }
        const imported = await importApp(qc, {
          bytes,
          spaceId: ctx.input.sharedSpaceId,
          name: appName,
          signal: ctx.signal,
        });
        const appId = imported.attributes?.id;
        if (!appId) throw new QlikError('The app import answered without attributes.id');
        return { sharedAppId: appId };
      },
    })
    .step<
      'dataConnection',
      { connectionId: string; connectionName: string },
      { connectionId: string; changes: string[] }
    >({
      name: 'dataConnection',
      async inspect(ctx) {
        const qc = tenant(ctx.input.tenantHost);
        const wanted = connectionBody(ctx.input);
        const existing = await findConnection(qc, ctx.input.sharedSpaceId, ctx.input.dataConnection.name, ctx.signal);
        if (!existing)
          return {
            action: 'create',
            reason: 'no connection with that name in the shared space',
            marker: ctx.input.dataConnection.name,
          };
        const changes = connectionChanges(existing, wanted);
        if (ctx.input.dataConnection.rotateCredentials && Object.keys(wanted).some((key) => SECRET_FIELDS.has(key)))
          changes.push('credentials');
        const outputs = { connectionId: existing.qID, connectionName: existing.qName };
        if (changes.length === 0) return { action: 'none', reason: 'the connection is up to date', outputs };
        return {
          action: 'update',
          reason: `the connection differs (${changes.join(', ')})`,
          current: { connectionId: existing.qID, changes },
        };
      },
      async apply(ctx, inspection) {
        const qc = tenant(ctx.input.tenantHost);
        const body = connectionBody(ctx.input);
        const reveal = revealSecrets(body);
        if (inspection.action === 'update') {
          // Credentials go along with every patch: whatever changed, the connection must still log on.
          const fields = [...inspection.current.changes, ...PATCHABLE_CREDENTIALS];
          const operations = fields
            .filter(
              (key) => reveal[key] !== undefined && (PATCHABLE_FIELDS.has(key) || PATCHABLE_CREDENTIALS.includes(key)),
            )
            .map((key) => ({ op: 'replace' as const, path: `/${key}`, value: reveal[key] as string }));
          unwrap(
            await qc.dataConnections.PATCH('/api/v1/data-connections/{qID}', {
              params: { path: { qID: inspection.current.connectionId } },
              body: operations,
              signal: ctx.signal,
            }),
          );
          return { connectionId: inspection.current.connectionId, connectionName: ctx.input.dataConnection.name };
        }
        const created = unwrap(
          await qc.dataConnections.POST('/api/v1/data-connections', {
            body: reveal as unknown as DataConnectionsApi.components['schemas']['ConnectionCreate'],
            signal: ctx.signal,
          }),
        ) as { id?: string; qID?: string; qName?: string } | undefined;
        const connectionId = created?.qID ?? created?.id;
        if (!connectionId) throw new QlikError('The connection create answered without an id');
        return { connectionId, connectionName: ctx.input.dataConnection.name };
      },
    })
    .step<'scriptConnection', { scriptConnection: string }, { to: string }>({
      name: 'scriptConnection',
      async inspect(ctx) {
        const { sharedAppId } = ctx.outputs.importApp;
        const { connectionName } = ctx.outputs.dataConnection;
        const to = await scriptConnectionName(tenant(ctx.input.tenantHost), ctx.input, connectionName, ctx.signal);
        const { getScript, rewriteConnection, withApp } = await loadEngine();
        const script = await withApp(engineOptions(env, ctx.input.tenantHost, ctx.signal), sharedAppId, (doc) =>
          getScript(doc),
        );
        const rewritten = rewriteConnection(script, rewriteOptions(ctx.input, to));
        if (rewritten === script)
          return { action: 'none', reason: `no connection left to point at ${to}`, outputs: { scriptConnection: to } };
        return { action: 'update', reason: `the script does not connect to ${to} yet`, current: { to } };
      },
      async apply(ctx, inspection) {
        const { sharedAppId } = ctx.outputs.importApp;
        const to = inspection.action === 'update' ? inspection.current.to : '';
        const { getScript, rewriteConnection, save, setScript, withApp } = await loadEngine();
        await withApp(engineOptions(env, ctx.input.tenantHost, ctx.signal), sharedAppId, async (doc) => {
          const before = await getScript(doc);
          const after = rewriteConnection(before, rewriteOptions(ctx.input, to));
          if (after === before) return;
          await setScript(doc, after);
          await save(doc);
        });
        return { scriptConnection: to };
      },
    })
    .step<'reload', { reloadId: string | null }, { activeId: string }>({
      name: 'reload',
      // Step retries (after a 5xx or network error) inspect first, so they wait for a reload that was
      // started rather than starting another. A FAILED reload or a wait timeout is not retried.
      async inspect(ctx) {
        const { sharedAppId } = ctx.outputs.importApp;
        const { connectionId } = ctx.outputs.dataConnection;
        void ctx.outputs.scriptConnection;
        const qc = tenant(ctx.input.tenantHost);
        const state = await reloadState(qc, sharedAppId, connectionId, ctx.signal);
        if (state.current) {
          return {
            action: 'none',
            reason: 'the app was reloaded after its last change',
            outputs: { reloadId: state.lastSucceededId },
          };
        }
        if (state.activeId) {
          return {
            action: 'update',
            reason: `reload ${state.activeId} is running`,
            marker: sharedAppId,
            current: { activeId: state.activeId },
          };
        }
        return { action: 'create', reason: 'the app changed since its last successful reload', marker: sharedAppId };
      },
      async apply(ctx, inspection) {
        const { sharedAppId } = ctx.outputs.importApp;
        const { connectionId } = ctx.outputs.dataConnection;
        const qc = tenant(ctx.input.tenantHost);
        const wait = { clock, signal: ctx.signal, ...options.reload };
        if (inspection.action === 'update') {
          // Wait for the reload already running (an interrupted run's, or a schedule's), then check again.
          await waitForReload(qc, inspection.current.activeId, wait).catch((error: unknown) => {
            // Someone else's reload failing is no verdict on ours; anything else (abort, timeout) is.
            if (!isAppReloadFailedError(error)) throw error;
          });
          const state = await reloadState(qc, sharedAppId, connectionId, ctx.signal);
          if (state.current) return { reloadId: state.lastSucceededId };
        }
        const started = await startReload(qc, sharedAppId, ctx.signal);
        const finished = await waitForReload(qc, started.id, wait);
        return { reloadId: finished.id };
      },
    })
    .step<'publish', { publishedAppId: string }, { publishedAppId: string; adopted: boolean }>({
      name: 'publish',
      async inspect(ctx) {
        const { sharedAppId } = ctx.outputs.importApp;
        void ctx.outputs.reload;
        const qc = tenant(ctx.input.tenantHost);
        const appName = ctx.input.template.appName ?? ctx.outputs.templateExport.templateName;
        const copy = await findPublishedCopy(qc, ctx.input, sharedAppId, appName, ctx.signal);
        if (!copy)
          return { action: 'create', reason: 'the app is not published to the managed space', marker: sharedAppId };
        const { publishedAppId: publishedId, adopted } = copy;
        const [source, published] = await Promise.all([
          getAppAttributes(qc, sharedAppId, ctx.signal),
          getAppAttributes(qc, publishedId, ctx.signal),
        ]);
        const current =
          time(published.publishTime) >= time(source.modifiedDate) &&
          time(published.lastReloadTime) >= time(source.lastReloadTime);
        if (current)
          return { action: 'none', reason: 'the published app is current', outputs: { publishedAppId: publishedId } };
        const reason = adopted
          ? `the published "${appName}" was published from a shared app that is gone; republishing over it`
          : 'the shared app changed or reloaded since it was published';
        return { action: 'update', reason, current: { publishedAppId: publishedId, adopted } };
      },
      async apply(ctx, inspection) {
        const { sharedAppId } = ctx.outputs.importApp;
        const qc = tenant(ctx.input.tenantHost);
        if (inspection.action === 'update') {
          // Republish keeps the published app's id and its users' own sheets.
          const republished = unwrap(
            await qc.apps.PUT('/api/v1/apps/{appId}/publish', {
              params: { path: { appId: sharedAppId } },
              body: {
                targetId: inspection.current.publishedAppId,
                data: 'source',
                ...(inspection.current.adopted ? { checkOriginAppId: false } : {}),
              },
              signal: ctx.signal,
            }),
          );
          return { publishedAppId: republished.attributes?.id ?? inspection.current.publishedAppId };
        }
        const published = unwrap(
          await qc.apps.POST('/api/v1/apps/{appId}/publish', {
            params: { path: { appId: sharedAppId } },
            body: { spaceId: ctx.input.managedSpaceId, data: 'source' },
            signal: ctx.signal,
          }),
        );
        const publishedAppId = published.attributes?.id;
        if (!publishedAppId) throw new QlikError('The publish answered without attributes.id');
        return { publishedAppId };
      },
    })
    .step(
      reloadScheduleStep<HydrateFromTemplateParsedInput, { publish: { publishedAppId: string } }>(
        tenant,
        (outputs) => outputs.publish.publishedAppId,
      ),
    );
}

export type HydrateFromTemplateRecipe = ReturnType<typeof hydrateFromTemplateRecipe>;

/** The ids of one hydrate result, flat. */
export function hydrateOutputs(
  outputs: ApplyResult<RecipeOutputs<HydrateFromTemplateRecipe>>['outputs'],
): HydrateFromTemplateOutputs {
  return {
    sharedAppId: outputs.importApp.sharedAppId,
    publishedAppId: outputs.publish.publishedAppId,
    connectionId: outputs.dataConnection.connectionId,
    reloadId: outputs.reload.reloadId,
    scheduleId: outputs.reloadSchedule.scheduleId,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RecipeOutputs<R> = R extends Recipe<any, infer Outputs, any> ? Outputs : never;

/**
 * Hydrates one customer tenant from the template app: import, data connection, script, reload,
 * publish (or republish) and reload schedule. Input is validated before any request.
 */
export async function hydrateFromTemplate(
  env: HydrateEnvironment,
  input: HydrateFromTemplateInput,
  options: ApplyOptions & HydrateFromTemplateOptions = {},
): Promise<ApplyResult<RecipeOutputs<HydrateFromTemplateRecipe>> & { ids: HydrateFromTemplateOutputs }> {
  const { templates, reload, ...apply } = options;
  const recipe = hydrateFromTemplateRecipe(env, { ...(templates ? { templates } : {}), ...(reload ? { reload } : {}) });
  const result = await applyRecipe(recipe, input, apply);
  return { ...result, ids: hydrateOutputs(result.outputs) };
}

/** What `hydrateFromTemplate` would do, without writing anything. */
export function planHydrateFromTemplate(
  env: HydrateEnvironment,
  input: HydrateFromTemplateInput,
  options: PlanOptions & HydrateFromTemplateOptions = {},
): Promise<PlanResult> {
  const { templates, reload, ...plan } = options;
  return planRecipe(
    hydrateFromTemplateRecipe(env, { ...(templates ? { templates } : {}), ...(reload ? { reload } : {}) }),
    input,
    plan,
  );
}

// ---------------------------------------------------------------------------------------------
// Reads

interface AppItem {
  resourceId?: string;
  name?: string;
  resourceAttributes?: Record<string, unknown>;
}

async function listAppItems(
  qc: QlikCloud,
  spaceId: string,
  query: { name?: string; resourceId?: string },
  signal: AbortSignal,
): Promise<AppItem[]> {
  const items: AppItem[] = [];
  let next: string | undefined;
  // Bounded: 50 pages of 100 apps in one space.
  for (let page = 0; page < 50; page += 1) {
    const result = unwrap(
      await qc.items.GET('/api/v1/items', {
        params: { query: { resourceType: 'app', spaceId, limit: 100, ...query, ...(next ? { next } : {}) } },
        signal,
      }),
    );
    items.push(...((result.data ?? []) as AppItem[]));
    const href = result.links?.next?.href;
    next = href ? (new URL(href, qc.baseUrl).searchParams.get('next') ?? undefined) : undefined;
    if (!next) return items;
  }
  throw new QlikError(`More than 5000 apps in space ${spaceId}`);
}

/** The id of the app in `spaceId` with that exact name (or resource id); an error when the name is ambiguous. */
async function findAppInSpace(
  qc: QlikCloud,
  spaceId: string,
  by: { name: string } | { resourceId: string },
  signal: AbortSignal,
): Promise<string | undefined> {
  const items = await listAppItems(qc, spaceId, by, signal);
  const matches = items.filter((item) => ('name' in by ? item.name === by.name : item.resourceId === by.resourceId));
  if (matches.length > 1) {
    throw new QlikError(
      `${matches.length} apps named "${'name' in by ? by.name : by.resourceId}" in space ${spaceId} (${matches.map((m) => m.resourceId).join(', ')}); rename or delete the extra ones`,
    );
  }
  return matches[0]?.resourceId;
}

/**
 * The published app in the managed space whose `originAppId` is the shared app. Failing that, an app
 * of the same name published from a shared-space app that no longer exists (someone deleted the
 * development copy, and the next run imported a new one) is adopted, so that its id and its users'
 * sheets survive instead of a second copy being published next to it.
 */
async function findPublishedCopy(
  qc: QlikCloud,
  spaces: { sharedSpaceId: string; managedSpaceId: string },
  sharedAppId: string,
  appName: string,
  signal: AbortSignal,
): Promise<{ publishedAppId: string; adopted: boolean } | undefined> {
  const published = await listAppItems(qc, spaces.managedSpaceId, {}, signal);
  const own = published.find((item) => item.resourceAttributes?.originAppId === sharedAppId)?.resourceId;
  if (own) return { publishedAppId: own, adopted: false };
  const sameName = published.filter(
    (item) => item.name === appName && typeof item.resourceAttributes?.originAppId === 'string',
  );
  if (sameName.length === 0) return undefined;
  const sharedIds = new Set((await listAppItems(qc, spaces.sharedSpaceId, {}, signal)).map((item) => item.resourceId));
  const orphans = sameName.filter((item) => !sharedIds.has(item.resourceAttributes!.originAppId as string));
  return orphans.length === 1 && orphans[0]!.resourceId
    ? { publishedAppId: orphans[0]!.resourceId, adopted: true }
    : undefined;
}

async function getAppAttributes(
  qc: QlikCloud,
  appId: string,
  signal: AbortSignal,
): Promise<NonNullable<NxApp['attributes']>> {
  const app = unwrap(await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } }, signal }));
  if (!app.attributes) throw new QlikError(`App ${appId} has no attributes`);
  return app.attributes;
}

async function findConnection(
  qc: QlikCloud,
  spaceId: string,
  name: string,
  signal: AbortSignal,
): Promise<ConnectionGet | undefined> {
  const result = unwrap(
    await qc.dataConnections.GET('/api/v1/data-connections', {
      params: { query: { spaceId, filter: `qName eq ${scimString(name)}` } },
      signal,
    }),
  );
  return (result.data ?? []).find(
    (connection) => connection.qName === name && (connection.space ?? undefined) === spaceId,
  );
}

/** Whether the app needs a reload: content or connection changed since its last successful reload. */
async function reloadState(
  qc: QlikCloud,
  appId: string,
  connectionId: string,
  signal: AbortSignal,
): Promise<{ current: boolean; lastSucceededId: string | null; activeId: string | undefined }> {
  // No await inside the array: a rejection while another read is pending must still reach Promise.all.
  const [attributes, connection, reloads] = await Promise.all([
    getAppAttributes(qc, appId, signal),
    qc.dataConnections
      .GET('/api/v1/data-connections/{qID}', { params: { path: { qID: connectionId } }, signal })
      .then(unwrap),
    recentReloads(qc, appId, signal),
  ]);
  const lastReload = time(attributes.lastReloadTime);
  const changed = Math.max(time(attributes.modifiedDate), time(connection.updated) || 0);
  return {
    current: lastReload >= changed,
    lastSucceededId: reloads.find((reload) => reload.status === 'SUCCEEDED')?.id ?? null,
    activeId: reloads.find((reload) => !isFinalReloadStatus(reload.status))?.id,
  };
}

// ---------------------------------------------------------------------------------------------
// Writes and bodies

/** Replaces the shared app's content with the template's, keeping its id (`mode=AUTOREPLACE`). */
async function replaceAppContent(
  qc: QlikCloud,
  appId: string,
  bytes: Uint8Array,
  spaceId: string,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  const replaced = await importApp(qc, { bytes, appId, mode: 'AUTOREPLACE', spaceId, name, signal });
  // AUTOREPLACE is undocumented for external use: make sure it replaced this app, not some other one.
  const replacedId = replaced?.attributes?.id;
  if (replacedId !== appId) {
    throw new QlikError(
      `Importing with mode=AUTOREPLACE over app ${appId} changed app ${replacedId ?? '(no id)'} instead; use template.upgrade: 'reimport' on this tenant`,
    );
  }
}

type ConnectionBody = Record<string, unknown>;

/** The create body for the customer's connection (secrets still wrapped as `Secret`). */
function connectionBody(input: HydrateFromTemplateParsedInput): ConnectionBody {
  const connection = input.dataConnection;
  if (connection.createBody) return { ...connection.createBody, qName: connection.name, space: input.sharedSpaceId };
  return {
    qName: connection.name,
    qType: connection.type ?? connection.datasourceId,
    qConnectStatement: connection.connectionString,
    datasourceID: connection.datasourceId,
    space: input.sharedSpaceId,
    ...(connection.username !== undefined ? { qUsername: connection.username } : {}),
    ...(connection.password !== undefined ? { qPassword: connection.password } : {}),
  };
}

function revealSecrets(body: ConnectionBody): ConnectionBody {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof (value as { reveal?: unknown })?.reveal === 'function' ? (value as { reveal(): string }).reveal() : value,
    ]),
  );
}

/** The comparable fields of `wanted` that differ in `existing` (secrets are never returned, so never compared). */
function connectionChanges(existing: ConnectionGet, wanted: ConnectionBody): string[] {
  const current = existing as unknown as Record<string, unknown>;
  return Object.keys(wanted).filter((key) => {
    if (key === 'qName' || key === 'space' || SECRET_FIELDS.has(key) || !PATCHABLE_FIELDS.has(key)) return false;
    const value = wanted[key];
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') return false;
    return current[key] !== value;
  });
}

async function scriptConnectionName(
  qc: QlikCloud,
  input: HydrateFromTemplateParsedInput,
  connectionName: string,
  signal: AbortSignal,
): Promise<string> {
  if (!input.scriptConnection.qualifyWithSpace) return connectionName;
  const space = unwrap(
    await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: input.sharedSpaceId } }, signal }),
  );
  return `${space.name}:${connectionName}`;
}

function rewriteOptions(input: HydrateFromTemplateParsedInput, to: string) {
  return {
    to,
    libPaths: input.scriptConnection.libPaths,
    ...(input.scriptConnection.from !== undefined ? { from: input.scriptConnection.from } : {}),
  };
}

function engineOptions(env: HydrateEnvironment, host: string, signal: AbortSignal) {
  return { ...env.engine.options(host), signal };
}
