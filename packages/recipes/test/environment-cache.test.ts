import { describe, expect, it } from 'vitest';
import { createProvisioningEnvironment } from '../src/index.js';

const options = {
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: { clientId: 'client', clientSecret: 'secret' },
  // Never called: building facades sends nothing.
  fetch: (() => Promise.reject(new Error('no network in this test'))) as typeof fetch,
};

describe('per-host caches of the provisioning environment', () => {
  it('keep recently used tenants and drop the least recently used beyond maxCachedTenants', () => {
    const env = createProvisioningEnvironment({ ...options, maxCachedTenants: 2 });
    const source = env.source();
    const registration = env.registration();
    const first = env.tenant('c1.eu.qlikcloud.com');
    expect(env.tenant('c1.eu.qlikcloud.com')).toBe(first);
    for (const host of ['c2', 'c3', 'c4', 'c5']) env.tenant(`${host}.eu.qlikcloud.com`);
    expect(env.tenant('c5.eu.qlikcloud.com')).toBe(env.tenant('c5.eu.qlikcloud.com'));
    // c1 was dropped: a fresh facade, equally usable.
    expect(env.tenant('c1.eu.qlikcloud.com')).not.toBe(first);
    expect(env.tenant('c1.eu.qlikcloud.com').host).toBe('c1.eu.qlikcloud.com');
    // The hosts every customer uses stay cached while they are in use.
    expect(env.source()).toBe(source);
    expect(env.registration()).toBe(registration);
  });

  it('refuses a cache size that is not a whole number of at least 1', () => {
    expect(() => createProvisioningEnvironment({ ...options, maxCachedTenants: 0 })).toThrow(/maxCachedTenants/);
  });
});
