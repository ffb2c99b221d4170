import type { Route } from '../http/types.js';
import { oauthRoutes } from './oauth.js';
import { userRoutes } from './users.js';

/** The identity and administration APIs: oauth, tenants, users, roles, groups, licenses, IdPs, settings. */
export const identityRoutes: Route[] = [...oauthRoutes, ...userRoutes];
