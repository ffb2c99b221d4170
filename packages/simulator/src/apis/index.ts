import type { Route } from '../http/types.js';

/** The identity and administration APIs: oauth, tenants, users, roles, groups, licenses, IdPs, settings. */
export const identityRoutes: Route[] = [];
