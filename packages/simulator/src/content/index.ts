import type { Route } from '../http/types.js';
import { appRoutes } from './apps-routes.js';
import { connectionRoutes } from './connection-routes.js';
import { itemRoutes } from './items.js';
import { reloadRoutes } from './reload-routes.js';
import { spaceRoutes } from './spaces.js';
import { tempContentRoutes } from './temp-contents.js';

/** Content API routes (spaces, apps, items, ...). Owned by the content module. */
export const contentRoutes: Route[] = [
  ...spaceRoutes,
  ...appRoutes,
  ...itemRoutes,
  ...tempContentRoutes,
  ...connectionRoutes,
  ...reloadRoutes,
];
