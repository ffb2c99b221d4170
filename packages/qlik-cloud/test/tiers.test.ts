import { createRateLimiter, type PacingKey, type RateLimiter } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { createQlikOrganization, qlikCloudTierResolver, qlikCloudTiers, tierFor } from '../src/index.js';
import { qlikCloudOperationTiers } from '../src/generated/tiers.js';

describe('tier table from x-qlik-tier', () => {
  it.each([
    ['GET', '/api/v1/items', 'tier1', 1000],
    ['POST', '/api/v1/spaces', 'tier2', 100],
    ['POST', '/api/v1/reloads', 'special:reloads:50', 50],
    ['POST', '/api/v1/reloads/r1/actions/cancel', 'special:reloads:50', 50],
    ['GET', '/api/v1/reloads/r1', 'tier1', 1000],
    ['POST', '/api/v1/users/actions/filter', 'special:users:200', 200],
    ['POST', '/api/v1/groups/actions/filter', 'special:groups:200', 200],
    ['POST', '/api/v1/temp-contents/files', 'special:temp-contents:800', 800],
    ['PATCH', '/api/v1/temp-contents/files/f1', 'special:temp-contents:800', 800],
    ['GET', '/api/v1/audits', 'special:audits:1000', 1000],
    ['POST', '/oauth/token', 'tier2', 100],
    ['POST', '/api/v1/apps/import', 'tier2', 100],
    ['GET', '/api/v1/temp-contents/f1', 'tier1', 1000],
    ['GET', '/api/core/tenants', 'tier1', 1000],
    ['GET', '/api/core/tenants/t1', 'tier1', 1000],
    ['POST', '/api/core/tenants/actions/filter', 'tier1', 1000],
  ])('%s %s → %s (%i/min)', (method, path, name, perMinute) => {
    expect(tierFor(method, path)).toEqual({ name, perMinute, windowMinutes: 5 });
  });

  it('matches concrete paths to templates by method and literal segments', () => {
    expect(tierFor('GET', '/api/v1/temp-contents/files/abc').name).not.toBe('special:temp-contents:800');
    expect(tierFor('PATCH', '/api/v1/temp-contents/files/abc').name).toBe('special:temp-contents:800');
  });

  it('falls back to tier 1 for unknown GETs and tier 2 for other unknown requests', () => {
    expect(qlikCloudTierResolver('GET', new URL('https://t.eu.qlikcloud.com/api/v1/unknown'))).toBe(
      qlikCloudTiers.tier1,
    );
    expect(qlikCloudTierResolver('DELETE', new URL('https://t.eu.qlikcloud.com/api/v1/unknown/x'))).toBe(
      qlikCloudTiers.tier2,
    );
  });

  it('has a tier for every operation of the 33 specs (the Organization API too), sorted deterministically', () => {
    expect(qlikCloudOperationTiers.length).toBeGreaterThan(240);
    const keys = qlikCloudOperationTiers.map(([method, path]) => `${path} ${method}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [, , tier] of qlikCloudOperationTiers) expect(qlikCloudTiers[tier]).toBeDefined();
  });

  it("paces the Organization API's tenant reads in tier 1, as its spec says, not in the default tier 2", async () => {
    const inner = createRateLimiter();
    const paced: string[] = [];
    const limiter: RateLimiter = {
      get clock() {
        return inner.clock;
      },
      get bucketCount() {
        return inner.bucketCount;
      },
      acquire: (key: PacingKey, signal?: AbortSignal) => {
        paced.push(`${key.host} ${key.tier.name}`);
        return inner.acquire(key, signal);
      },
      pause: (key, ms) => inner.pause(key, ms),
    };
    const fetch: typeof globalThis.fetch = async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/oauth/token')
        return Response.json({ access_token: 'org-token', token_type: 'bearer', expires_in: 3600 });
      return Response.json({ data: [], links: {} });
    };
    const organization = createQlikOrganization({
      clientId: 'org-client',
      clientSecret: 'org-secret',
      fetch,
      transport: { pacing: { limiter } },
    });
    await organization.listTenants('subscriptionId eq "s1"');
    await organization.getTenant('t1');
    expect(paced.filter((line) => !line.includes('tier2'))).toEqual([
      'console.qlikcloud.com tier1',
      'console.qlikcloud.com tier1',
    ]);
  });
});
