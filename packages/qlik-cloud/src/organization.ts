// The Organization REST API client (console.qlikcloud.com): the tenants of a subscription, found by a
// SCIM filter, with an organization-level OAuth client (qlik.dev apis/org-rest/core/tenants).
import { QlikError, createTransport, errorFromResponse, type TransportOptions } from '@qlik-oem/core';
import { oauthClientCredentials } from './auth/oauth-client-credentials.js';
import { qlikCloudTierResolver } from './tiers.js';

/** The organization console's host: the Organization API and its token endpoint. */
export const ORGANIZATION_HOST = 'console.qlikcloud.com';
/** The scope of an organization-level client that reads tenants. */
export const ORGANIZATION_TENANTS_SCOPE = 'cloud-console.tenants:read';

/** A tenant as the Organization API lists it. */
export interface OrganizationTenant {
  id: string;
  name?: string;
  hostnames: string[];
  status: string;
  subscriptionId: string;
  regionCode?: string;
  createdAt: string;
  updatedAt?: string;
}

export interface QlikOrganizationOptions {
  clientId: string;
  clientSecret: string;
  fetch?: typeof globalThis.fetch;
  /** Transport options (pacing limiter, clock, logger, timeouts) for the API and its token requests. */
  transport?: Omit<TransportOptions, 'fetch' | 'auth'>;
  /** Clock of token lifetimes, for scaled simulator runs. */
  now?: () => number;
}

export interface QlikOrganization {
  /** Every tenant matching a SCIM filter (which must name a `subscriptionId`), following the cursors. */
  listTenants(filter: string, options?: { signal?: AbortSignal; max?: number }): Promise<OrganizationTenant[]>;
  /** One tenant by id, or undefined when the organization has none with it. */
  getTenant(tenantId: string, options?: { signal?: AbortSignal }): Promise<OrganizationTenant | undefined>;
}

const PAGE = 100;

/** A client of the Organization API with an organization-level OAuth client (client credentials). */
export function createQlikOrganization(options: QlikOrganizationOptions): QlikOrganization {
  const origin = `https://${ORGANIZATION_HOST}`;
  const auth = oauthClientCredentials({
    host: ORGANIZATION_HOST,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: ORGANIZATION_TENANTS_SCOPE,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const pacing = options.transport?.pacing;
  const send = createTransport({
    ...options.transport,
    // Paced by the specs' x-qlik-tier (the list and get are tier 1, 1000 per minute), as the facade is:
    // without the tier table every request fell back to tier 2 and a fleet's tenant lookups waited for it.
    pacing: pacing === false ? false : { ...pacing, tierOf: pacing?.tierOf ?? qlikCloudTierResolver },
    auth,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const getJson = async (url: string, signal?: AbortSignal): Promise<unknown> => {
    const response = await send.with(signal ? { signal } : {})(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw await errorFromResponse(response, { method: 'GET', url });
    return response.json();
  };
  return {
    async listTenants(filter, { signal, max = 10_000 } = {}) {
      const tenants: OrganizationTenant[] = [];
      let url: string | undefined =
        `${origin}/api/core/tenants?${new URLSearchParams({ filter, limit: String(PAGE) }).toString()}`;
      while (url) {
        const page = (await getJson(url, signal)) as {
          data?: OrganizationTenant[];
          links?: { next?: { href?: string } };
        };
        tenants.push(...(page.data ?? []));
        if (tenants.length > max) throw new QlikError(`More than ${max} tenants match ${filter}`);
        const next = page.links?.next?.href;
        // Only follow cursors on the console itself: a link elsewhere would carry the token there.
        url = next && new URL(next).host === ORGANIZATION_HOST ? next : undefined;
      }
      return tenants;
    },
    async getTenant(tenantId, { signal } = {}) {
      const url = `${origin}/api/core/tenants/${encodeURIComponent(tenantId)}`;
      const response = await send.with(signal ? { signal } : {})(url, { headers: { accept: 'application/json' } });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await errorFromResponse(response, { method: 'GET', url });
      return (await response.json()) as OrganizationTenant;
    },
  };
}
