import type { Route } from '../http/types.js';

/** Content API routes (spaces, apps, items, ...). Owned by the content module. */
export const contentRoutes: Route[] = [];
