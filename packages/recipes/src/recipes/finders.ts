import { isQlikNetworkError, isQlikNotFoundError, type QlikFetch } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';

// Read-side helpers shared by the recipes: find a resource by the name (or other marker) a recipe
// creates it under. Qlik's name searches are often "contains" searches, so matches are exact here.

/** Upper bound on list items read by a finder (a tenant with more is not one a recipe created). */
const MAX_ITEMS = 10_000;

export interface SpaceSummary {
  id: string;
  name: string;
  type: string;
}

/**
 * The space with exactly this name (compared case-insensitively, as Qlik keeps space names unique
 * that way), or undefined. `GET /spaces?name=` is a contains-search, so candidates are filtered here.
 */
export async function findSpaceByExactName(
  qc: QlikCloud,
  name: string,
  signal?: AbortSignal,
): Promise<SpaceSummary | undefined> {
  const candidates = await collectAll(
    paginate(qc.spaces, '/api/v1/spaces', { params: { query: { name, limit: 100 } } }, signal ? { signal } : {}),
    { limit: MAX_ITEMS },
  );
  const wanted = name.toLowerCase();
  const exact =
    candidates.find((space) => space.name === name) ?? candidates.find((space) => space.name.toLowerCase() === wanted);
  return exact ? { id: exact.id, name: exact.name, type: exact.type ?? '' } : undefined;
}

/** SCIM string literal: `"` and `\` escaped. */
export function scimString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The group with exactly this (case-sensitive) name, or undefined. */
export async function findGroupByName(
  qc: QlikCloud,
  name: string,
  signal?: AbortSignal,
): Promise<{ id: string; name: string } | undefined> {
  const result = await qc.groups.GET('/api/v1/groups', {
    params: { query: { filter: `name eq ${scimString(name)}`, limit: 100 } },
    ...(signal ? { signal } : {}),
  });
  const page = unwrap(result);
  const match = (page.data ?? []).find((group) => group.name === name);
  return match ? { id: match.id, name: match.name } : undefined;
}

/** The user with this email (case-insensitive), or undefined. */
export async function findUserByEmail(
  qc: QlikCloud,
  email: string,
  signal?: AbortSignal,
): Promise<{ id: string; email?: string; subject?: string; roles: string[] } | undefined> {
  const result = await qc.users.GET('/api/v1/users', {
    params: { query: { filter: `email eq ${scimString(email)}`, limit: 100 } },
    ...(signal ? { signal } : {}),
  });
  const page = unwrap(result);
  const match = (page.data ?? []).find((user) => user.email?.toLowerCase() === email.toLowerCase());
  if (!match) return undefined;
  return {
    id: match.id,
    ...(match.email ? { email: match.email } : {}),
    ...(match.subject ? { subject: match.subject } : {}),
    roles: (match.assignedRoles ?? []).map((role) => role.name ?? '').filter((name) => name !== ''),
  };
}

export interface TenantSummary {
  id: string;
  name: string;
  hostnames: string[];
  status: string;
}

/** A tenant as the Tenants API answers it, summarised: an absent name is `''`, absent status `active`. */
export function tenantSummary(tenant: {
  id: string;
  name?: string | undefined;
  hostnames?: string[] | undefined;
  status?: string | undefined;
}): TenantSummary {
  return {
    id: tenant.id,
    name: tenant.name ?? '',
    hostnames: tenant.hostnames ?? [],
    status: tenant.status ?? 'active',
  };
}

/**
 * The tenant answering on `qc.host` (e.g. a customer's alias host), or undefined when no tenant has
 * that hostname. First an unauthenticated `GET /api/v1/tenants/me` through `anonymous`: a hostname
 * no tenant owns answers 404 (or has no DNS record), an existing tenant 401. Only then is a token
 * requested for the host and `/tenants/me` read (it redirects to `/tenants/{id}`).
 */
export async function findTenantByHost(
  qc: QlikCloud,
  anonymous: QlikFetch,
  signal?: AbortSignal,
): Promise<TenantSummary | undefined> {
  try {
    const probe = await anonymous.with(signal ? { signal } : {})(`${qc.baseUrl}/api/v1/tenants/me`, {
      headers: { accept: 'application/json' },
    });
    await probe.body?.cancel();
    if (probe.status === 404) return undefined;
  } catch (error) {
    if (isQlikNetworkError(error) && error.code === 'ENOTFOUND') return undefined;
    throw error;
  }
  try {
    const result = await qc.tenants.GET('/api/v1/tenants/me', { ...(signal ? { signal } : {}) });
    const tenant = unwrap(result) as unknown as Partial<TenantSummary> | undefined;
    if (!tenant || typeof tenant.id !== 'string') return undefined;
    return tenantSummary({ ...tenant, id: tenant.id });
  } catch (error) {
    if (isQlikNotFoundError(error)) return undefined;
    throw error;
  }
}
