// The hydrateFromTemplate recipe: its steps in order, and the apply/plan entry points.
import { systemClock } from '@qlik-oem/core';
import { defineRecipe } from '../recipe.js';
import {
  applyRecipe,
  planRecipe,
  type ApplyOptions,
  type ApplyResult,
  type PlanOptions,
  type PlanResult,
} from '../runner.js';
import { dataConnectionStep } from './hydrate/data-connection-step.js';
import { lazySchema } from '../validation/load.js';
import type {
  HydrateEnvironment,
  HydrateFromTemplateInput,
  HydrateFromTemplateOptions,
  HydrateFromTemplateOutputs,
  HydrateFromTemplateParsedInput,
} from './hydrate/input.js';
import { migrateReloadTasksStep } from './hydrate/migrate-reload-tasks-step.js';
import { publishStep } from './hydrate/publish-step.js';
import { reloadStep } from './hydrate/reload-step.js';
import { reloadScheduleStep } from './hydrate/schedule-step.js';
import { scriptConnectionStep } from './hydrate/script-connection-step.js';
import { importAppStep, templateExportStep } from './hydrate/template-steps.js';
import { createTemplateExportCache } from './template-export.js';
import type { OutputsOf } from './onboard-tenant.js';

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadHydrateRecipeInput = lazySchema('hydrateRecipeInputSchema');

/**
 * The hydrateFromTemplate recipe over an environment: template export → import into the shared
 * space → data connection → script connection → reload → publish/republish → migration of 0.1 reload
 * tasks → reload schedule (a task of the Scheduling Tasks API; nothing is written to the Reload Tasks API
 * but the deletion of a migrated reload task).
 * Every step reads before it writes; a second run writes nothing.
 */
export function hydrateFromTemplateRecipe(env: HydrateEnvironment, options: HydrateFromTemplateOptions = {}) {
  const templates = options.templates ?? createTemplateExportCache(env);
  const clock = env.clock ?? systemClock;
  const tenant = (host: string) => env.tenant(host);

  return defineRecipe({
    name: 'hydrateFromTemplate',
    input: loadHydrateRecipeInput,
    customerId: (input) => input.customerId,
  })
    .step(templateExportStep(templates))
    .step(importAppStep(tenant, templates, clock))
    .step(dataConnectionStep(tenant))
    .step(scriptConnectionStep(env, tenant))
    .step(reloadStep(tenant, clock, options))
    .step(publishStep(tenant))
    .step(
      migrateReloadTasksStep<HydrateFromTemplateParsedInput, { publish: { publishedAppId: string } }>(
        tenant,
        (outputs) => outputs.publish.publishedAppId,
      ),
    )
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
  outputs: ApplyResult<OutputsOf<HydrateFromTemplateRecipe>>['outputs'],
): HydrateFromTemplateOutputs {
  return {
    sharedAppId: outputs.importApp.sharedAppId,
    publishedAppId: outputs.publish.publishedAppId,
    connectionId: outputs.dataConnection.connectionId,
    reloadId: outputs.reload.reloadId,
    scheduleId: outputs.reloadSchedule.scheduleId,
  };
}

/**
 * Hydrates one customer tenant from the template app: import, data connection, script, reload,
 * publish (or republish), migration of 0.1 reload tasks and reload schedule. Input is validated before any request.
 */
export async function hydrateFromTemplate(
  env: HydrateEnvironment,
  input: HydrateFromTemplateInput,
  options: ApplyOptions & HydrateFromTemplateOptions = {},
): Promise<ApplyResult<OutputsOf<HydrateFromTemplateRecipe>> & { ids: HydrateFromTemplateOutputs }> {
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
