// `@qlik-oem/recipes/steps`: the pieces the package's recipes are built of, for partners who compose recipes of
// their own (a recipe's factory, its steps, the finders they read with, the schedule and template helpers).
// Importing this entry loads every recipe's implementation; the package root loads it on first use.
// Reaches the package root, so that the build keeps the root's modules in one chunk every entry shares (tsup.config.ts).
import './index.js';
export {
  onboardTenantRecipe,
  onboardedTenantOf,
  tenantAliasHost,
  ownershipMarkName,
} from './recipes/onboard-tenant.js';
export { spaceNameFor } from './recipes/customer.js';
export { findGroupByName, findSpaceByExactName, findTenantByHost, findUserByEmail } from './recipes/finders.js';
export { deprovisionTenantRecipe, reactivateTenantRecipe } from './recipes/deprovision-tenant.js';
export { hydrateFromTemplateRecipe, hydrateOutputs } from './recipes/hydrate-from-template.js';
export { createTemplateExportCache } from './recipes/template-export.js';
export {
  reloadScheduleTask,
  findSchedulingTasks,
  createReloadSchedule,
  updateReloadSchedule,
  deleteReloadSchedule,
} from './recipes/hydrate/reload-schedule.js';
export { deployAutomationsRecipe, deployAutomationsStep, automationDifferences } from './recipes/deploy-automations.js';
export { setupMultiCloudRecipe, setupMultiCloudSteps } from './recipes/setup-multi-cloud.js';
export { createCustomizeTenantRecipe, customizeTenantSteps } from './recipes/customize-tenant.js';
export { CONTENT_TAG_PREFIX } from './recipes/customize-tenant-bundles.js';
export { S3_CONNECTOR } from './recipes/customize-tenant-s3-connection.js';
