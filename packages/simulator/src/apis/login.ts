import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { bearerToken } from '../http/auth.js';
import { publicKeyOfPem } from './pem.js';
import { qlikError } from '../http/errors.js';
import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import type { GroupRecord, IdentityProviderRecord } from '../state/records.js';
import type { TenantState } from '../state/tenant.js';

const AUDIENCE = 'qlik.api/login/jwt-session';
const MAX_LIFETIME_S = 3600;

/** Every other refusal of a JWT (registry: login-jwt-refused-401; code and wording unverified). */
const unauthorized = (detail: string): SimResponse => qlikError(401, 'LOGIN-1', 'Unauthorized', detail);

/** The claims qlik.dev's login API requires of the JWT, in the order they are checked. */
const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'subType', 'jti', 'iat', 'nbf', 'exp'] as const;

/**
 * A JWT without a required claim, as Qlik answers it (registry: login-jwt-missing-claim-400): 400,
 * `INTERNAL-TOKEN-1` "Invalid token request", detail `JWT_LOGIN_VALIDATIONS Missing required claim: nbf`.
 */
const missingClaim = (claim: string): SimResponse =>
  qlikError(400, 'INTERNAL-TOKEN-1', 'Invalid token request', `JWT_LOGIN_VALIDATIONS Missing required claim: ${claim}`);

/** jti values already consumed per tenant: a JWT can be exchanged once. */
const usedJtis = (tenant: TenantState): Set<string> => tenant.ext('login.usedJtis', () => new Set<string>());

function jwtProviderFor(tenant: TenantState, issuer: unknown, kid: unknown): IdentityProviderRecord | undefined {
  for (const idp of tenant.identityProviders.values()) {
    if (idp.protocol !== 'jwtAuth' || !idp.active || idp.options?.issuer !== issuer) continue;
    const keys = (idp.options?.staticKeys ?? []) as Array<{ kid: string; pem: string }>;
    if (keys.some((k) => k.kid === kid)) return idp;
  }
  return undefined;
}

/** IdP groups from the JWT: created when the tenant auto-creates groups, then assigned to the user. */
function syncGroups(ctx: SimContext, tenant: TenantState, names: string[]): Array<{ id: string; name: string }> {
  const out: Array<{ id: string; name: string }> = [];
  for (const name of names) {
    let group = [...tenant.groups.values()].find((g) => g.name === name);
    if (!group && tenant.groupSettings.autoCreateGroups) {
      const now = ctx.sim.nowIso();
      group = {
        id: ctx.sim.ids.hex(),
        tenantId: tenant.id,
        name,
        providerType: 'idp',
        status: 'active',
        assignedRoles: [],
        createdAt: now,
        lastUpdatedAt: now,
      } satisfies GroupRecord;
      tenant.groups.set(group.id, group);
    }
    if (group) out.push({ id: group.id, name: group.name });
  }
  return out;
}

/**
 * POST /login/jwt-session: exchanges a partner-signed JWT (verified with the tenant's jwtAuth IdP key)
 * for session cookies; creates the user on first login and syncs its groups.
 */
async function jwtSession(req: SimRequest, ctx: SimContext): Promise<SimResponse> {
  const tenant = ctx.tenant;
  if (!tenant) return qlikError(404, 'HTTP-404', 'Not found', `No tenant is served at ${req.host}.`);
  const jwt = bearerToken(req.headers.authorization);
  if (!jwt) return unauthorized('A JWT is required as the bearer token.');
  let header: { alg?: string; kid?: string };
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(jwt);
    unverified = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as JWTPayload;
  } catch {
    return unauthorized('The bearer token is not a JWT.');
  }
  if (!header.alg || header.alg.startsWith('HS') || header.alg === 'none')
    return unauthorized('The JWT must be signed with an asymmetric algorithm.');
  const missing = REQUIRED_CLAIMS.find((claim) => (unverified as Record<string, unknown>)[claim] === undefined);
  if (missing) return missingClaim(missing);
  const idp = jwtProviderFor(tenant, unverified.iss, header.kid);
  if (!idp) return unauthorized('No active JWT identity provider matches the issuer and key id.');
  const pem =
    ((idp.options?.staticKeys ?? []) as Array<{ kid: string; pem: string }>).find((k) => k.kid === header.kid)?.pem ??
    '';
  const key = publicKeyOfPem(pem);
  if (!key) return unauthorized('The identity provider key is not a usable public key.');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, key, {
      issuer: String(idp.options?.issuer),
      audience: AUDIENCE,
      clockTolerance: idp.clockToleranceSec ?? 5,
      currentDate: new Date(ctx.clock.now()),
      requiredClaims: ['sub', 'jti', 'iat', 'nbf', 'exp'],
    }));
  } catch (err) {
    return unauthorized(`The JWT is not valid: ${(err as Error).message}`);
  }
  const claims = payload as JWTPayload & { subType?: unknown; name?: unknown; email?: unknown; groups?: unknown };
  if (claims.subType !== 'user') return unauthorized('subType must be "user".');
  if ((claims.exp ?? 0) - (claims.nbf ?? 0) > MAX_LIFETIME_S)
    return unauthorized('exp - nbf must be at most one hour.');
  const jtis = usedJtis(tenant);
  if (jtis.has(String(claims.jti))) return unauthorized('The JWT (jti) was already used.');
  jtis.add(String(claims.jti));

  const subject = String(claims.sub);
  let user = tenant.findUserBy((u) => u.subject === subject && u.status !== 'deleted');
  if (!user) {
    user = ctx.sim.addUser(tenant, {
      subject,
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    });
  } else if (user.status === 'invited') user.status = 'active';
  if (user.status === 'disabled') return unauthorized('The user is disabled.');
  if (Array.isArray(claims.groups))
    user.assignedGroups = syncGroups(
      ctx,
      tenant,
      claims.groups.filter((g): g is string => typeof g === 'string'),
    );
  user.lastUpdatedAt = ctx.sim.nowIso();

  const session = ctx.sim.issueToken({
    kind: 'user',
    clientId: `jwt:${idp.id}`,
    userId: user.id,
    tenantId: tenant.id,
    region: tenant.region,
    scopes: [],
    session: true,
  });
  const csrf = randomBytes(16).toString('base64url');
  return {
    status: 200,
    body: {},
    headers: {
      'set-cookie': `eas.sid=${session.token}; Path=/; HttpOnly; Secure; SameSite=None\n_csrfToken=${csrf}; Path=/; Secure; SameSite=None`,
    },
  };
}

export const loginRoutes: Route[] = [
  { api: 'login', method: 'POST', path: '/login/jwt-session', auth: 'none', handler: jwtSession },
];
