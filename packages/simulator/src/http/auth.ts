import type { SimState } from '../state/sim-state.js';
import type { TenantState } from '../state/tenant.js';
import type { Principal } from '../state/principal.js';
import { CONSOLE_HOST, regionOfRegistrationHost } from '../state/regions.js';
import { qlikError } from './errors.js';
import type { SimResponse } from './types.js';

/** 'either': a tenant token on a tenant host, or a regional token on the registration host. */
export type AuthMode = 'tenant' | 'registration' | 'organization' | 'either' | 'none';

export type AuthResult =
  | { ok: true; tenant: TenantState | undefined; principal: Principal | undefined; region: string }
  | { ok: false; response: SimResponse };

const unauthorized = (): AuthResult => ({
  ok: false,
  response: qlikError(401, 'HTTP-401', 'Unauthorized', 'Missing, invalid or expired bearer token.'),
});

/** The bearer token of an Authorization header value, else undefined. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return m?.[1];
}

function cookieValue(cookie: string | string[] | undefined, name: string): string | undefined {
  const header = Array.isArray(cookie) ? cookie.join('; ') : cookie;
  for (const pair of header?.split(';') ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The credential a request is judged by: the `eas.sid` session cookie of a JWT login when it names a live
 * session, else the Authorization header. The cookie comes first because Qlik's documented embedding
 * flows send both (the session cookie and a leftover bearer header), and Qlik Cloud honours the session.
 * A write with a session cookie needs the `qlik-csrf-token` header to match the `_csrfToken` cookie;
 * without it the header (if any) is used.
 */
export function requestAuthorization(
  sim: SimState,
  headers: { authorization?: string | string[]; cookie?: string | string[]; [name: string]: unknown },
  method: string,
): string | string[] | undefined {
  const session = cookieValue(headers.cookie, 'eas.sid');
  const csrfOk = (): boolean => {
    if (SAFE_METHODS.has(method.toUpperCase())) return true;
    const csrf = cookieValue(headers.cookie, '_csrfToken');
    return csrf !== undefined && csrf !== '' && headers['qlik-csrf-token'] === csrf;
  };
  if (session && sim.resolveToken(session)?.session && csrfOk()) return `Bearer ${session}`;
  return headers.authorization;
}

/**
 * Resolves the tenant (by Host) and the principal (by bearer token) of a request, REST or WebSocket.
 * A token is only valid on the tenant (or registration host) it was issued for.
 */
export function resolveRequestAuth(
  sim: SimState,
  host: string,
  authorization: string | string[] | undefined,
  mode: AuthMode = 'tenant',
): AuthResult {
  const hostname = host.toLowerCase();
  const tenant = sim.tenantByHost(hostname);
  const registrationRegion = sim.isRegistrationHost(hostname) ? regionOfRegistrationHost(hostname) : undefined;
  const region = tenant?.region ?? registrationRegion ?? '';
  if (mode === 'none') return { ok: true, tenant, principal: undefined, region };
  if (mode === 'either')
    return resolveRequestAuth(sim, host, authorization, registrationRegion !== undefined ? 'registration' : 'tenant');
  if (mode === 'organization') return organizationAuth(sim, hostname, authorization);
  if (mode === 'tenant' && !tenant)
    return { ok: false, response: qlikError(404, 'HTTP-404', 'Not found', `No tenant is served at ${hostname}.`) };
  if (mode === 'registration' && registrationRegion === undefined) {
    return {
      ok: false,
      response: qlikError(
        404,
        'HTTP-404',
        'Not found',
        'This operation is only available on register.<region>.qlikcloud.com.',
      ),
    };
  }
  const token = bearerToken(authorization);
  const principal = token ? sim.resolveToken(token) : undefined;
  if (!principal) return unauthorized();
  if (mode === 'tenant') {
    if (!tenant || principal.kind !== 'user' || principal.tenantId !== tenant.id) return unauthorized();
    if (tenant.status !== 'active')
      return { ok: false, response: qlikError(403, 'HTTP-403', 'Forbidden', 'The tenant is not active.') };
    return { ok: true, tenant, principal, region };
  }
  if (principal.kind !== 'registration' || principal.region !== registrationRegion) return unauthorized();
  return { ok: true, tenant: undefined, principal, region };
}

/** The scope Qlik grants organization-level clients (qlik.dev apis/org-rest/get-started). */
export const ORGANIZATION_TENANTS_SCOPE = 'cloud-console.tenants:read';

/** An organization-level token, only on console.qlikcloud.com; a tenant or regional token is refused there. */
function organizationAuth(sim: SimState, hostname: string, authorization: string | string[] | undefined): AuthResult {
  if (hostname !== CONSOLE_HOST)
    return {
      ok: false,
      response: qlikError(404, 'HTTP-404', 'Not found', `The Organization API is served at ${CONSOLE_HOST}.`),
    };
  const token = bearerToken(authorization);
  const principal = token ? sim.resolveToken(token) : undefined;
  if (!principal || principal.kind !== 'organization') return unauthorized();
  if (!principal.scopes.includes(ORGANIZATION_TENANTS_SCOPE))
    return {
      ok: false,
      response: qlikError(403, 'HTTP-403', 'Forbidden', `The token lacks the scope ${ORGANIZATION_TENANTS_SCOPE}.`),
    };
  return { ok: true, tenant: undefined, principal, region: '' };
}
