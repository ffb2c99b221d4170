/**
 * The caller as authorization sees it: the user, its tenant roles (its own and its groups'), its groups
 * (set from the JWT `groups` claim at login), the scopes of its OAuth token, and whether it is an OAuth
 * client's bot user.
 */
import type { Principal } from '../state/principal.js';
import type { AuthorizationMode } from '../state/behaviour.js';
import type { TenantState } from '../state/tenant.js';
import { SimHttpError } from '../http/errors.js';

export interface AuthPrincipal {
  readonly userId: string;
  readonly tenant: TenantState;
  /** Tenant role names (TenantAdmin, AnalyticsAdmin, SharedSpaceCreator, ...). */
  readonly roles: ReadonlySet<string>;
  readonly groupIds: ReadonlySet<string>;
  /**
   * The scopes of an OAuth access token; undefined for a JWT session or an API key (neither is an OAuth
   * token, so scopes do not restrict them).
   */
  readonly scopes: ReadonlySet<string> | undefined;
  /** The bot user of an OAuth client (client_credentials), not a person. */
  readonly bot: boolean;
  /** The simulator runs with `authorization: 'off'` (a test-only switch): every decision allows. */
  readonly authorizationOff: boolean;
}

/** Builds the principal of a tenant token; a group's roles count as the member's (qlik.dev manage/groups). */
export function authPrincipal(tenant: TenantState, token: Principal, authorization: AuthorizationMode): AuthPrincipal {
  const user = tenant.users.get(token.userId);
  const roles = new Set<string>(user?.assignedRoles.map((r) => r.name) ?? []);
  const groupIds = new Set<string>();
  for (const ref of user?.assignedGroups ?? []) {
    const group = tenant.groups.get(ref.id);
    if (!group || group.status !== 'active') continue;
    groupIds.add(group.id);
    for (const role of group.assignedRoles) roles.add(role.name);
  }
  return {
    userId: token.userId,
    tenant,
    roles,
    groupIds,
    scopes: token.session || token.apiKey ? undefined : new Set(token.scopes),
    bot: user?.clientId !== undefined && user.clientId === token.clientId && !token.impersonated,
    authorizationOff: authorization === 'off',
  };
}

/** The caller of a tenant route (the dispatcher sets it for every tenant token). */
export function callerOf(ctx: { caller?: AuthPrincipal | undefined }): AuthPrincipal {
  if (!ctx.caller) throw new SimHttpError(401, 'HTTP-401', 'Unauthorized', 'A tenant token is required.');
  return ctx.caller;
}
