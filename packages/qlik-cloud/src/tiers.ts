import { createTierResolver, type RateLimitTier, type TierResolver, type TierTableEntry } from '@qlik-oem/core';
import { qlikCloudOperationTiers, qlikCloudTiers, type QlikCloudTierName } from './generated/tiers.js';

export { qlikCloudTiers, type QlikCloudTierName };

let resolver: TierResolver | undefined;

/**
 * The tier of any Qlik Cloud request, from the specs' `x-qlik-tier` (generated table). Unknown GETs fall back
 * to tier 1 and other unknown requests to tier 2, the documented defaults. Built on first use: the table
 * costs nothing until a request is paced.
 */
export const qlikCloudTierResolver: TierResolver = (method, url) => {
  if (!resolver) {
    const entries: TierTableEntry[] = qlikCloudOperationTiers.map(([entryMethod, path, tier]) => ({
      method: entryMethod,
      path,
      tier: qlikCloudTiers[tier],
    }));
    const known = createTierResolver(entries);
    resolver = (m, u) => known(m, u) ?? (m.toUpperCase() === 'GET' ? qlikCloudTiers.tier1 : qlikCloudTiers.tier2);
  }
  return resolver(method, url);
};

/** The tier for one method and path, e.g. `tierFor('POST', '/api/v1/reloads')` → `{ name: 'special:reloads:50', perMinute: 50 }`. */
export function tierFor(method: string, path: string): RateLimitTier {
  // Every request resolves (the fallback above), so the non-null assertion holds.
  return qlikCloudTierResolver(method, new URL(path, 'https://tier.invalid'))!;
}
