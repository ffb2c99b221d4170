// The rules for Qlik Cloud regions and tenant hostnames, without zod: the zod schemas (`schemas.ts`,
// loaded on first validation) and the synchronous check of the provisioning environment's options share them.

/**
 * Qlik Cloud region codes as they appear in tenant hostnames (`<tenant>.<region>.qlikcloud.com`).
 * The tenants spec lists the commercial datacenters us, eu, uk, de, sg, ap, jp; Qlik's region table
 * adds in, fr, il and ae.
 */
export const QLIK_CLOUD_REGIONS = ['us', 'eu', 'uk', 'de', 'sg', 'ap', 'jp', 'in', 'fr', 'il', 'ae'] as const;
export type QlikCloudRegion = (typeof QLIK_CLOUD_REGIONS)[number];

export const REGION_MESSAGE = `must be a Qlik Cloud region: ${QLIK_CLOUD_REGIONS.join(', ')}`;

export function isQlikCloudRegion(value: unknown): value is QlikCloudRegion {
  return typeof value === 'string' && (QLIK_CLOUD_REGIONS as readonly string[]).includes(value);
}

const TENANT_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.([a-z]{2,})\.qlikcloud\.com$/;
const HOST_EXAMPLE = '<tenant>.<region>.qlikcloud.com, e.g. acme.eu.qlikcloud.com';

/** What is wrong with a (trimmed, lower-cased) tenant host, or undefined when it is one. Never echoes the value. */
export function tenantHostnameProblem(host: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) return `must be a hostname without a scheme (${HOST_EXAMPLE})`;
  if (host.includes('/')) return `must be a hostname without a path (${HOST_EXAMPLE})`;
  const match = TENANT_HOST.exec(host);
  if (!match) return `must be a Qlik Cloud tenant hostname: ${HOST_EXAMPLE}`;
  const [, tenant, region] = match;
  if (!isQlikCloudRegion(region)) {
    return `has an unknown region "${region}"; expected one of ${QLIK_CLOUD_REGIONS.join(', ')}`;
  }
  if (tenant === 'register') return 'is the registration host of a region, not a tenant host';
  return undefined;
}
