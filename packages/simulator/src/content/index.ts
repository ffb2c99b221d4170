import type { Route } from '../http/types.js';
import { appRoutes } from './apps-routes.js';
import { brandRoutes } from './brands.js';
import { bundleRoutes } from './bundles.js';
import { connectionRoutes } from './connection-routes.js';
import { dataFileRoutes } from './data-files.js';
import { embeddingRoutes } from './embedding.js';
import { itemRoutes } from './items.js';
import { automationRoutes } from './automations.js';
import { quotaRoutes } from './quota-routes.js';
import { reloadRoutes } from './reload-routes.js';
import { schedulingRoutes } from './scheduling-routes.js';
import { spaceRoutes } from './space-routes.js';
import { tempContentRoutes } from './temp-contents.js';

/** Content API routes (spaces, apps, items, ...). Owned by the content module. */
export const contentRoutes: Route[] = [
  ...spaceRoutes,
  ...appRoutes,
  ...itemRoutes,
  ...tempContentRoutes,
  ...connectionRoutes,
  ...reloadRoutes,
  ...schedulingRoutes,
  ...quotaRoutes,
  ...automationRoutes,
  ...embeddingRoutes,
  ...brandRoutes,
  ...bundleRoutes,
  ...dataFileRoutes,
];
