// `@qlik-oem/recipes/schemas`: the zod schemas of the recipes' inputs, for partners who validate their own data
// with them (a form, a customer file) before handing it to a recipe. The recipes load these on their first
// validation, so `import('@qlik-oem/recipes')` does not load zod; importing this entry does.
// Reaches the package root, so that the build keeps the root's modules in one chunk every entry shares (tsup.config.ts).
import './index.js';

export {
  QLIK_CLOUD_REGIONS,
  RESERVED_TENANT_ALIASES,
  customerIdSchema,
  dataConnectionSchema,
  dnsLabelSchema,
  groupNameSchema,
  licenseSourceSchema,
  publicKeyPemSchema,
  regionSchema,
  secretSchema,
  spaceNameSchema,
  tenantAliasSchema,
  tenantHostnameSchema,
  type DataConnectionSettings,
  type QlikCloudRegion,
} from './validation/schemas.js';
export { parseInput, parseEach, formatPath } from './validation/parse.js';
export {
  customerSchema,
  onboardInputSchema,
  partnerSchema,
  spaceNameProblems,
  tenantAdminSchema,
} from './recipes/customer-schema.js';
export { deprovisionInputSchema, tenantLifecycleInputSchema } from './recipes/deprovision-tenant-input.js';
export { hydrateDataConnectionSchema, hydrateFromTemplateInputSchema } from './recipes/hydrate/input.js';
export { reloadScheduleSchema } from './recipes/hydrate/reload-schedule-input.js';
export {
  automationDefinitionSchema,
  automationSpecSchema,
  deployAutomationsInputSchema,
} from './recipes/deploy-automations-input.js';
export { multiCloudCustomerSchema } from './recipes/setup-multi-cloud-input.js';
export {
  customizeTenantInputSchema,
  httpsOriginSchema,
  tenantCustomizationSchema,
} from './recipes/customize-tenant-input.js';
// The classes some schemas produce (the same ones the package root exports).
export { Secret } from './validation/secret.js';
export { CustomizationFile } from './recipes/customize-tenant-values.js';
