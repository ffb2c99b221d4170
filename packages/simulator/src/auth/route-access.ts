/**
 * The access level of every REST route, checked by the dispatcher before the handler runs:
 * - `public`: no token (the token endpoint, the JWT login).
 * - `registration`: a regional token on register.<region> (tenant creation).
 * - `organization`: an organization-level token on console.qlikcloud.com (the Organization REST API),
 *   with the scope `cloud-console.tenants:read` (qlik.dev apis/org-rest/get-started).
 * - `admin`: the `admin_classic` scope and the TenantAdmin role.
 * - `user`: the `user_default` (or `admin_classic`) scope; the handler then authorizes the space action on
 *   the resource it touches (apps, spaces, connections, reloads).
 * A route declares its level in `Route.access`, or is listed here; a route with neither is refused at
 * start-up, so no route escapes authorization.
 *
 * Sources: GET /roles is TenantAdmin-only since April 2024 (qlik.dev changelog); users, IdPs, licenses,
 * groups writes, tenants, settings, API-key configs, web integrations, CSP origins and brands are
 * administered in the Administration activity center by tenant admins (qlik.dev manage/roles,
 * help.qlik.com Admin/). Themes and extensions are uploaded by tenant admins and read by every user,
 * who need them to render apps (help.qlik.com Admin/mc-extensions, mc-themes).
 */
import type { Route } from '../http/types.js';

export type RouteAccess = 'public' | 'registration' | 'organization' | 'admin' | 'user';

const USER_APIS = new Set([
  'spaces',
  'apps',
  'items',
  'temp-contents',
  'data-connections',
  'data-credentials',
  'reloads',
  'reload-tasks',
  'scheduling-tasks',
  'data-files',
]);

const ADMIN_APIS = new Set([
  'roles',
  'licenses',
  'identity-providers',
  'tenant-settings',
  'core-auth-settings',
  'api-keys',
  'web-integrations',
  'csp-origins',
  'brands',
]);

/** Single operations whose level differs from their API's. */
const BY_OPERATION: Readonly<Record<string, RouteAccess>> = {
  'POST /oauth/token': 'public',
  'POST /login/jwt-session': 'public',
  'GET /api/v1/users/me': 'user',
  // The handler lets a user read their own record; anyone else's needs TenantAdmin.
  'GET /api/v1/users/{userId}': 'user',
  'GET /api/v1/tenants/me': 'user',
  // A user's own API keys (the Developer role is checked by the handler); others' need TenantAdmin.
  'GET /api/v1/api-keys': 'user',
  'POST /api/v1/api-keys': 'user',
  'GET /api/v1/api-keys/{id}': 'user',
  'PATCH /api/v1/api-keys/{id}': 'user',
  'DELETE /api/v1/api-keys/{id}': 'user',
  'GET /api/v1/groups': 'user',
  'GET /api/v1/groups/{groupId}': 'user',
  'POST /api/v1/groups/actions/filter': 'user',
  'GET /api/v1/extensions': 'user',
  'GET /api/v1/extensions/{id}': 'user',
  'GET /api/v1/extensions/{id}/file': 'user',
  'GET /api/v1/themes': 'user',
  'GET /api/v1/themes/{id}': 'user',
  'GET /api/v1/themes/{id}/file': 'user',
};

const BY_API: Readonly<Record<string, RouteAccess>> = {
  users: 'admin',
  groups: 'admin',
  tenants: 'admin',
  extensions: 'admin',
  themes: 'admin',
};

/** The access level of a route; throws for a route that has none. */
export function routeAccess(route: Route): RouteAccess {
  if (route.access) return route.access;
  if (route.auth === 'registration') return 'registration';
  if (route.auth === 'organization') return 'organization';
  const level =
    BY_OPERATION[`${route.method.toUpperCase()} ${route.path}`] ??
    (USER_APIS.has(route.api) ? 'user' : ADMIN_APIS.has(route.api) ? 'admin' : BY_API[route.api]);
  if (!level)
    throw new Error(
      `Route ${route.method} ${route.path} has no access level: set Route.access or list it in src/auth/route-access.ts`,
    );
  return level;
}
