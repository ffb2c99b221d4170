// The template steps of hydrateFromTemplate: read the template's revision, import it into the shared space.
import { QlikError, type Clock } from '@qlik-oem/core';
import { importApp, importWithinQuota, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import type { TemplateExportCache } from '../template-export.js';
import { findAppInSpace, getAppAttributes, replaceAppContent, time } from './apps.js';
import type { HydrateFromTemplateParsedInput } from './input.js';

export interface TemplateExportOutputs {
  templateAppId: string;
  templateName: string;
  templateModifiedDate: string;
}

export function templateExportStep(
  templates: TemplateExportCache,
): StepDefinition<
  'templateExport',
  HydrateFromTemplateParsedInput,
  Record<never, never>,
  TemplateExportOutputs,
  never
> {
  return {
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
  };
}

/**
 * The import of the template into the shared space, within the tenant's daily import allowance: past it,
 * the step stops with QuotaExceededError before anything is deleted or imported, so the published app
 * stays as it is.
 */
export function importAppStep(
  tenant: (host: string) => QlikCloud,
  templates: TemplateExportCache,
  clock: Clock,
): StepDefinition<
  'importApp',
  HydrateFromTemplateParsedInput,
  { templateExport: TemplateExportOutputs },
  { sharedAppId: string },
  { appId: string; appName: string }
> {
  return {
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
      const withinQuota = <T>(importOnce: () => Promise<T>) =>
        importWithinQuota(qc, { now: () => clock.now(), signal: ctx.signal }, importOnce);
      if (inspection.action === 'update' && ctx.input.template.upgrade === 'replace') {
        // Same app id, so the published copy (matched by originAppId) is republished, not duplicated.
        await withinQuota(() =>
          replaceAppContent(qc, inspection.current.appId, bytes, ctx.input.sharedSpaceId, appName, ctx.signal),
        );
        return { sharedAppId: inspection.current.appId };
      }
      // The quota is checked before the delete: past it, the shared app is left as it is.
      const imported = await withinQuota(async () => {
        if (inspection.action === 'update') {
          // Delete first: a run killed in between finds no app by name and imports; never two of the same name.
          unwrap(
            await qc.apps.DELETE('/api/v1/apps/{appId}', {
              params: { path: { appId: inspection.current.appId } },
              signal: ctx.signal,
            }),
          );
        }
        return importApp(qc, { bytes, spaceId: ctx.input.sharedSpaceId, name: appName, signal: ctx.signal });
      });
      const appId = imported.attributes?.id;
      if (!appId) throw new QlikError('The app import answered without attributes.id');
      return { sharedAppId: appId };
    },
  };
}
