// The reload step of hydrateFromTemplate: reload the shared app unless it is current, waiting for one already running.
import type { Clock } from '@qlik-oem/core';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import {
  isAppReloadFailedError,
  isFinalReloadStatus,
  readReloadLog,
  recentReloads,
  startReload,
  waitForReload,
} from '../reload-wait.js';
import { fetchedTables, type FetchedTable } from '../reload-log.js';
import { getAppAttributes, time } from './apps.js';
import type { HydrateFromTemplateOptions, HydrateFromTemplateParsedInput } from './input.js';

export function reloadStep(
  tenant: (host: string) => QlikCloud,
  clock: Clock,
  options: HydrateFromTemplateOptions,
): StepDefinition<
  'reload',
  HydrateFromTemplateParsedInput,
  {
    importApp: { sharedAppId: string };
    dataConnection: { connectionId: string };
    scriptConnection: { scriptConnection: string };
  },
  ReloadOutputs,
  { activeId: string }
> {
  return {
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
          outputs: await outputsOf(qc, sharedAppId, state.lastSucceededId, ctx.signal),
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
        if (state.current) return outputsOf(qc, sharedAppId, state.lastSucceededId, ctx.signal);
      }
      const started = await startReload(qc, sharedAppId, ctx.signal);
      const finished = await waitForReload(qc, started.id, wait);
      return outputsOf(qc, sharedAppId, finished.id, ctx.signal);
    },
  };
}

export interface ReloadOutputs {
  /** The reload that made the app current; null when Qlik no longer lists it. */
  reloadId: string | null;
  /** The lines each table received in that reload, from its script log; null when there is no log to read. */
  fetched: FetchedTable[] | null;
}

/** The reload and what its log says it loaded: the customer's data really arrived, and how much of it. */
async function outputsOf(
  qc: QlikCloud,
  appId: string,
  reloadId: string | null,
  signal: AbortSignal,
): Promise<ReloadOutputs> {
  if (reloadId === null) return { reloadId, fetched: null };
  const log = await readReloadLog(qc, appId, reloadId, signal);
  return { reloadId, fetched: log === '' ? null : fetchedTables(log) };
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
