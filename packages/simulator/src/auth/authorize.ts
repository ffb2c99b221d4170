/**
 * The one authorization decision of the simulator: `authorize(principal, action, resource)`. Every route
 * reaches it, through its route access (route-access.ts, checked by the dispatcher) and, for content in
 * spaces, from the handler with the space and owner of the resource.
 *
 * Behaviour beyond the specs (registry entries any-403-access-control, auth-access-control-403,
 * auth-hidden-is-403, engine-app-not-found-4204):
 * - A 403 from access control on operations whose spec lists no 403: the specs mark access-controlled
 *   operations with `x-qlik-access-control` (apps.json), and Qlik's access layer answers before the
 *   service. The body is Qlik's `{ errors: [{ code: "HTTP-403", title: "Forbidden", detail }] }` in the
 *   API's dialect (plain text where the apps spec declares bodiless errors); code and detail unverified.
 * - A space or app the caller may not see answers 403, not 404 (unverified).
 * - The engine closes a socket to an app the user may not open with 4203 (@qlik/api
 *   src/qix/session/websocket-errors.ts `closeCodePermissions`).
 */
import { SimHttpError } from '../http/errors.js';
import { contentOf, type SpaceRecord, type SpaceType } from '../content/state.js';
import type { AuthPrincipal } from './principal.js';
import { PERSONAL_CONTENT_SCOPE, scopesAllow, type ScopeNeed } from './scopes.js';
import {
  SPACE_ADMIN_ROLES,
  SPACE_CREATOR_ROLES,
  SPACE_PERMISSIONS,
  adminMayWithoutRole,
  type SpaceAction,
  type SpaceStanding,
} from './space-permissions.js';

export type AuthAction =
  /** Administration of the tenant (users, roles, IdPs, licenses, settings, embedding, branding). */
  | 'tenant.admin'
  /** Any user operation; what the resource allows is decided by a space action. */
  | 'tenant.use'
  | 'space.create'
  /** Creating an API key for oneself: the Developer role (api-keys.json: "User must be assigned the `Developer` role"). */
  | 'api-key.create'
  /** Reading, listing and revoking another user's API keys: the TenantAdmin role (its scope is not checked). */
  | 'api-key.others'
  | SpaceAction;

export type AuthResource =
  | { kind: 'tenant' }
  | { kind: 'space-type'; type: SpaceType }
  /**
   * A space, or content in one: `space` undefined is the owner's personal space; `ownerId` is the
   * content's owner ('' for a distributed app that is still staged).
   */
  | { kind: 'content'; space: SpaceRecord | undefined; ownerId?: string };

export const TENANT: AuthResource = { kind: 'tenant' };

/** A 403 in Qlik's error shape (`{ errors: [{ code, title, detail, status }] }`). */
export class AccessDenied extends SimHttpError {
  constructor(readonly detail: string) {
    super(403, 'HTTP-403', 'Forbidden', detail);
    this.name = 'AccessDenied';
  }
}

const hasAnyRole = (p: AuthPrincipal, roles: readonly string[]): boolean => roles.some((r) => p.roles.has(r));

/** The caller's standing in a space: owner and/or its roles, directly, as a bot or through a group. */
export function standingIn(p: AuthPrincipal, space: SpaceRecord): Set<SpaceStanding> {
  const standing = new Set<SpaceStanding>();
  if (space.ownerId === p.userId) standing.add('owner');
  for (const a of contentOf(p.tenant).assignments.values()) {
    if (a.spaceId !== space.id) continue;
    const mine = a.type === 'group' ? p.groupIds.has(a.assigneeId) : a.assigneeId === p.userId;
    if (mine) for (const role of a.roles) standing.add(role);
  }
  return standing;
}

function needOf(action: AuthAction): ScopeNeed {
  return action === 'tenant.admin' ? 'admin' : 'user';
}

/** Why the action is refused, or undefined when it is allowed. */
function refusal(p: AuthPrincipal, action: AuthAction, resource: AuthResource): string | undefined {
  if (p.authorizationOff) return undefined;
  const need = needOf(action);
  if (!scopesAllow(p.scopes, need))
    return `The access token lacks the scope ${need === 'admin' ? 'admin_classic' : 'user_default'}.`;
  if (action === 'tenant.use') return undefined;
  if (action === 'api-key.create')
    return p.roles.has('Developer') ? undefined : 'Creating an API key needs the Developer role.';
  if (action === 'api-key.others')
    return p.roles.has('TenantAdmin') ? undefined : 'The API key belongs to another user.';
  if (action === 'tenant.admin')
    return p.roles.has('TenantAdmin') ? undefined : 'This operation requires the TenantAdmin role.';
  if (action === 'space.create') {
    if (resource.kind !== 'space-type') return 'No space type given.';
    const roles = SPACE_CREATOR_ROLES[resource.type];
    return hasAnyRole(p, roles) ? undefined : `Creating a ${resource.type} space requires one of: ${roles.join(', ')}.`;
  }
  if (resource.kind !== 'content') return `No resource given for ${action}.`;
  const { space } = resource;
  if (space === undefined) return personalRefusal(p, action, resource.ownerId ?? '');
  const allowed = SPACE_PERMISSIONS[space.type][action];
  const standing = standingIn(p, space);
  if (allowed.some((s) => standing.has(s))) return undefined;
  if (hasAnyRole(p, SPACE_ADMIN_ROLES[space.type]) && adminMayWithoutRole(action)) return undefined;
  const roles = allowed.filter((s) => s !== 'owner');
  return `${action} in the ${space.type} space "${space.name}" requires ${roles.length > 0 ? `space ownership or one of the roles: ${roles.join(', ')}` : 'space ownership'}.`;
}

/**
 * Personal space: only the owner, an M2M bot with the `admin.apps` scope, tenant admins for data
 * connections (mc-administer-data-connections), and (unverified) tenant and analytics admins for a
 * distributed app that is still staged (no owner, no space; registry: auth-staged-app-admins).
 */
function personalRefusal(p: AuthPrincipal, action: SpaceAction, ownerId: string): string | undefined {
  if (ownerId !== '' && ownerId === p.userId) return undefined;
  if (p.bot && p.scopes?.has(PERSONAL_CONTENT_SCOPE)) return undefined;
  if (action.startsWith('connection.') && p.roles.has('TenantAdmin')) return undefined;
  if (ownerId === '' && hasAnyRole(p, ['TenantAdmin', 'AnalyticsAdmin']) && action !== 'app.create') return undefined;
  return `${action} on content in another user's personal space is not allowed.`;
}

/** True when `principal` may do `action` on `resource`. */
export function may(principal: AuthPrincipal, action: AuthAction, resource: AuthResource = TENANT): boolean {
  return refusal(principal, action, resource) === undefined;
}

/** Throws Qlik's 403 unless `principal` may do `action` on `resource`. */
export function authorize(principal: AuthPrincipal, action: AuthAction, resource: AuthResource = TENANT): void {
  const why = refusal(principal, action, resource);
  if (why !== undefined) throw new AccessDenied(why);
}
