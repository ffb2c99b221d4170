// The recipes' implementation behind the package root's entry points, in one module the root imports on the
// first call (`lazy.ts`): `import('@qlik-oem/recipes')` compiles the runner, the journal and the environment,
// not the steps of every recipe. `@qlik-oem/recipes/steps` and `/assessment` import the same modules directly.
// Reaches the package root, so that the build keeps the root's modules in one chunk every entry shares (tsup.config.ts).
import './index.js';
export { onboardTenant, readSourceLicenseKey } from './recipes/onboard-tenant.js';
export { deprovisionTenant, reactivateTenant } from './recipes/deprovision-tenant.js';
export { provisionFleet, planProvisionFleet, createCustomerProvisioner } from './recipes/provision-fleet.js';
export { hydrateFromTemplate, planHydrateFromTemplate } from './recipes/hydrate-from-template.js';
export {
  deployAutomations,
  planDeployAutomations,
  readAutomationFile,
  findAutomationByName,
} from './recipes/deploy-automations.js';
export { setupMultiCloud, setupMultiCloudFleet } from './recipes/setup-multi-cloud.js';
export { createQseowSite } from './recipes/setup-multi-cloud-site.js';
export {
  customizeTenant,
  planCustomizeTenant,
  replaceImpersonationClientSecret,
  rotateImpersonationClientSecret,
  findImpersonationClientId,
} from './recipes/customize-tenant.js';
export { s3DataConnection } from './recipes/customize-tenant-s3-connection.js';
