import { createRateLimiter, isQlikValidationError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, createQlikCloudConnection } from '../src/base.js';
import { createGroupsClient } from '../src/generated/entries/groups.js';
import { createSpacesClient } from '../src/generated/entries/spaces.js';
import { createQlikCloud, qlikCloudApiNames } from '../src/index.js';
import packageJson from '../package.json' with { type: 'json' };
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

describe('per-API entry points', () => {
  it('export one client factory per facade API, each a subpath of the package', async () => {
    for (const name of qlikCloudApiNames) {
      expect(packageJson.exports).toHaveProperty([`./${kebab(name)}`]);
      const entry = (await import(`../src/generated/entries/${kebab(name)}.ts`)) as Record<string, unknown>;
      expect(Object.keys(entry)).toEqual([`create${name.charAt(0).toUpperCase()}${name.slice(1)}Client`]);
    }
  });

  it('send through the connection: its host, auth and one pacing for every client', async () => {
    const limiter = createRateLimiter();
    const acquired: string[] = [];
    const original = limiter.acquire.bind(limiter);
    limiter.acquire = (key, signal) => {
      acquired.push(`${key.host} ${key.tier.name}`);
      return original(key, signal);
    };
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/api/v1/spaces`, ({ request }) => {
        seen.push(`${request.headers.get('authorization')} ${new URL(request.url).search}`);
        return HttpResponse.json({ data: [{ id: 's1', name: 'customer-1' }] });
      }),
      http.get(`${BASE}/api/v1/groups`, ({ request }) => {
        seen.push(`${request.headers.get('authorization')} ${new URL(request.url).search}`);
        return HttpResponse.json({ data: [] });
      }),
    );
    const connection = createQlikCloudConnection({
      host: TENANT,
      auth: apiKey('k'),
      ...fastTransport,
      pacing: { limiter },
    });
    const spaces = createSpacesClient(connection);
    const groups = createGroupsClient(connection);
    const { data } = await spaces.GET('/api/v1/spaces', { params: { query: { name: 'customer-1' } } });
    await groups.GET('/api/v1/groups', { params: { query: { filter: 'name eq "acme"' } } });
    expect(data?.data?.[0]?.id).toBe('s1');
    expect(seen).toEqual(['Bearer k ?name=customer-1', `Bearer k ?filter=${encodeURIComponent('name eq "acme"')}`]);
    expect(acquired).toEqual([`${TENANT} tier1`, `${TENANT} tier1`]);
    expect(connection).toMatchObject({ host: TENANT, baseUrl: BASE });
  });

  it('take a createQlikCloud facade as their connection', async () => {
    server.use(http.get(`${BASE}/api/v1/spaces/s1`, () => HttpResponse.json({ id: 's1', name: 'n' })));
    const qc = createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });
    expect(
      (await createSpacesClient(qc).GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 's1' } } })).data?.id,
    ).toBe('s1');
  });

  it('reject what is not a connection, and a connection without auth, before any request', () => {
    // No handler is registered: a request would fail the test through onUnhandledRequest.
    const attempts = [
      () =>
        createSpacesClient({ host: TENANT, auth: apiKey('k') } as unknown as Parameters<typeof createSpacesClient>[0]),
      () => createSpacesClient(undefined as unknown as Parameters<typeof createSpacesClient>[0]),
      () =>
        createQlikCloudConnection({ host: TENANT, auth: { token: 'k' } } as unknown as Parameters<
          typeof createQlikCloudConnection
        >[0]),
      () => createQlikCloudConnection({ host: `${BASE}/api`, auth: apiKey('k') }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isQlikValidationError(caught)).toBe(true);
    }
    expect(() => createSpacesClient(undefined as never)).toThrow(/createSpacesClient: expected a connection/);
  });
});
