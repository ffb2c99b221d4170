// The publish step of hydrateFromTemplate: publish the shared app to the managed space, or republish over its copy.
import { QlikError } from '@qlik-oem/core';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import { findPublishedCopy, getAppAttributes, time } from './apps.js';
import type { HydrateFromTemplateParsedInput } from './input.js';
import type { TemplateExportOutputs } from './template-steps.js';

export function publishStep(tenant: (host: string) => QlikCloud): StepDefinition<
  'publish',
  HydrateFromTemplateParsedInput,
  {
    templateExport: TemplateExportOutputs;
    importApp: { sharedAppId: string };
    reload: { reloadId: string | null };
  },
  { publishedAppId: string },
  { publishedAppId: string; adopted: boolean }
> {
  return {
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
  };
}
