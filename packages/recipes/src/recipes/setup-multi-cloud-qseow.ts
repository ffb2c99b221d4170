import { isQlikHttpError, isQlikNotFoundError } from '@qlik-oem/core';
import type { QrsApp, QrsClient } from '@qlik-oem/qrs';
import { loadQseowDeps, type QseowDeps } from './qseow-deps.js';
import type { QseowSite } from './setup-multi-cloud-site.js';

// QSEoW-side reads of the multi-cloud recipe.

/** Distribution is read as current when the tenant's copy is at most this much older than the QSEoW app's last change (clock skew). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** hds has no documented list call: a 404/405 or an unexpected answer means "not available on this release". */
export function listingUnavailable(error: unknown, distribution: QseowDeps['distribution']): boolean {
  if (isQlikNotFoundError(error) || error instanceof distribution.DistributionApiDriftError) return true;
  return isQlikHttpError(error) && (error.status === 405 || error.status === 501);
}

export const routingPropertyName = (site: QseowSite, distribution: QseowDeps['distribution']) =>
  site.routing.customPropertyName ?? distribution.DEFAULT_DEPLOYMENT_PROPERTY;

export function hasRoutingValue(app: QrsApp, propertyName: string, value: string): boolean {
  return (app.customProperties ?? []).some((c) => c.definition?.name === propertyName && c.value === value);
}

export async function findPolicyDifferences(
  qrs: QrsClient,
  site: QseowSite,
): Promise<{ id?: string; differs: boolean }> {
  const { distribution, qrs: qrsModule } = await loadQseowDeps();
  const { dataOrThrow, filterLiteral } = qrsModule;
  const wanted = distribution.distributionPolicyRule(site.routing);
  const equivalent = await distribution.findEquivalentPolicy(qrs, site.routing);
  if (equivalent) return { ...(equivalent.id ? { id: equivalent.id } : {}), differs: false };
  const found = dataOrThrow(
    await qrs.api.GET('/systemrule/full', { params: { query: { filter: `name eq ${filterLiteral(wanted.name)}` } } }),
    'GET',
  );
  const rule = found.find((r) => r.name === wanted.name);
  if (!rule) return { differs: true };
  const fields = ['category', 'type', 'resourceFilter', 'rule', 'actions', 'disabled'] as const;
  return { ...(rule.id ? { id: rule.id } : {}), differs: fields.some((field) => rule[field] !== wanted[field]) };
}

/** When the app last changed on QSEoW (any update or reload): a tenant copy older than that is behind. */
export function lastChange(app: QrsApp): number {
  return Math.max(Date.parse(app.modifiedDate ?? '') || 0, Date.parse(app.lastReloadTime ?? '') || 0);
}
