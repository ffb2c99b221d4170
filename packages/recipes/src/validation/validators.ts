// Everything the recipes validate with, in one module loaded on first validation (`load.ts`): the public schemas
// (`@qlik-oem/recipes/schemas`) and the internal ones built on them.
export * from '../schemas.js';
export { siteSchema } from '../recipes/setup-multi-cloud-site-input.js';
export {
  dataConnectionFingerprint,
  sharedConnectionIssue,
  validateFleet,
  validatedCustomerInputSchema,
} from '../recipes/provision-fleet-input.js';
export { text } from './schemas.js';
export { recipeInputSchema as hydrateRecipeInputSchema } from '../recipes/hydrate/input.js';
export { s3DataConnectionOptionsSchema } from '../recipes/customize-tenant-s3-connection-input.js';
