import type { SimState } from '../state/sim-state.js';
import type { TenantState } from '../state/tenant.js';
import type { CloudDistributionBackend, DistributedAppPayload } from './distribution.js';

export const MULTI_CLOUD_PROTOCOL = 'qsefw-local-bearer-token';

/** Writes a distributed app into a tenant: create it staged, or replace its data and keep its space. */
export type DistributedAppWriter = (tenant: TenantState, app: DistributedAppPayload) => void;

/** The token a multi-cloud IdP record holds (`base64Encoded` in the POST body; kept at the top level or in `options`). */
export function multiCloudTokenOf(idp: unknown): string | undefined {
  if (!idp || typeof idp !== 'object') return undefined;
  const record = idp as {
    protocol?: unknown;
    active?: unknown;
    base64Encoded?: unknown;
    options?: { base64Encoded?: unknown };
  };
  if (record.protocol !== MULTI_CLOUD_PROTOCOL || record.active === false) return undefined;
  const token = record.base64Encoded ?? record.options?.base64Encoded;
  return typeof token === 'string' ? token : undefined;
}

/** The Qlik Cloud tenants of the simulator as distribution targets. */
export function createSimCloudBackend(sim: SimState, writeApp: DistributedAppWriter): CloudDistributionBackend {
  return {
    multiCloudTokens(hostname) {
      const tenant = sim.tenantByHost(hostname);
      if (!tenant || tenant.status !== 'active') return undefined;
      return [...tenant.identityProviders.values()].map(multiCloudTokenOf).filter((t): t is string => t !== undefined);
    },
    upsertDistributedApp(hostname, app) {
      const tenant = sim.tenantByHost(hostname);
      if (tenant) writeApp(tenant, app);
    },
  };
}
