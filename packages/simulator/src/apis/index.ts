import type { Route } from '../http/types.js';
import { apiKeyRoutes } from './api-keys.js';
import { groupRoutes } from './groups.js';
import { identityProviderRoutes } from './identity-providers.js';
import { licenseRoutes } from './licenses.js';
import { loginRoutes } from './login.js';
import { oauthClientRoutes } from './oauth-clients.js';
import { oauthRoutes } from './oauth.js';
import { organizationRoutes } from './organization.js';
import { roleRoutes } from './roles.js';
import { settingsRoutes } from './settings.js';
import { tenantRoutes } from './tenants.js';
import { userRoutes } from './users.js';

/** The identity and administration APIs: oauth, oauth-clients, tenants (and the Organization API's), users, roles, groups, licenses, IdPs, settings, API keys. */
export const identityRoutes: Route[] = [
  ...oauthRoutes,
  ...oauthClientRoutes,
  ...tenantRoutes,
  ...organizationRoutes,
  ...userRoutes,
  ...roleRoutes,
  ...groupRoutes,
  ...licenseRoutes,
  ...identityProviderRoutes,
  ...settingsRoutes,
  ...apiKeyRoutes,
  ...loginRoutes,
];
