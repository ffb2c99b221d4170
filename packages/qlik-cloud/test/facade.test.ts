import { isQlikTimeoutError, isQlikValidationError, createRateLimiter } from '@qlik-oem/core';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, createQlikCloud, qlikCloudApiNames, type QlikCloud, type QlikCloudApiName } from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Headers;
  body: unknown;
}

interface ApiCase {
  api: QlikCloudApiName;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The concrete path the server must receive. */
  path: string;
  call: (qc: QlikCloud) => Promise<{ response: Response; error?: unknown }>;
  query?: Record<string, string>;
  body?: unknown;
  header?: [string, string];
  status?: number;
}

// One typed call per facade client. The calls compile against the generated types (tsconfig includes tests).
const cases: ApiCase[] = [
  {
    api: 'tenants',
    method: 'post',
    path: '/api/v1/tenants/t1/actions/deactivate',
    call: (qc) =>
      qc.tenants.POST('/api/v1/tenants/{tenantId}/actions/deactivate', {
        params: { path: { tenantId: 't1' }, header: { 'qlik-confirm-hostname': TENANT } },
        body: { purgeAfterDays: 30 },
      }),
    body: { purgeAfterDays: 30 },
    header: ['qlik-confirm-hostname', TENANT],
  },
  {
    api: 'oauth',
    method: 'post',
    path: '/oauth/revoke',
    call: (qc) => qc.oauth.POST('/oauth/revoke', { body: { token: 'old-token', token_type_hint: 'access_token' } }),
    body: { token: 'old-token', token_type_hint: 'access_token' },
  },
  {
    api: 'licenses',
    method: 'put',
    path: '/api/v1/licenses/settings',
    call: (qc) =>
      qc.licenses.PUT('/api/v1/licenses/settings', {
        body: { autoAssignProfessional: false, autoAssignAnalyzer: true },
      }),
    body: { autoAssignProfessional: false, autoAssignAnalyzer: true },
  },
  {
    api: 'identityProviders',
    method: 'post',
    path: '/api/v1/identity-providers',
    call: (qc) =>
      qc.identityProviders.POST('/api/v1/identity-providers', {
        body: {
          protocol: 'jwtAuth',
          provider: 'external',
          tenantIds: ['t1'],
          options: { issuer: 'acme', staticKeys: [{ kid: 'k1', pem: 'PEM' }] },
        },
      }),
    body: {
      protocol: 'jwtAuth',
      provider: 'external',
      tenantIds: ['t1'],
      options: { issuer: 'acme', staticKeys: [{ kid: 'k1', pem: 'PEM' }] },
    },
    status: 201,
  },
  {
    api: 'users',
    method: 'post',
    path: '/api/v1/users/actions/filter',
    call: (qc) =>
      qc.users.POST('/api/v1/users/actions/filter', {
        body: { filter: 'email eq "a@b.c"' },
        params: { query: { limit: 1 } },
      }),
    body: { filter: 'email eq "a@b.c"' },
    query: { limit: '1' },
  },
  {
    api: 'roles',
    method: 'get',
    path: '/api/v1/roles',
    call: (qc) => qc.roles.GET('/api/v1/roles', { params: { query: { filter: 'name eq "TenantAdmin"' } } }),
    query: { filter: 'name eq "TenantAdmin"' },
  },
  {
    api: 'groups',
    method: 'patch',
    path: '/api/v1/groups/settings',
    call: (qc) =>
      qc.groups.PATCH('/api/v1/groups/settings', {
        body: [
          { op: 'replace', path: '/autoCreateGroups', value: true },
          { op: 'replace', path: '/syncIdpGroups', value: true },
        ],
      }),
    body: [
      { op: 'replace', path: '/autoCreateGroups', value: true },
      { op: 'replace', path: '/syncIdpGroups', value: true },
    ],
    status: 204,
  },
  {
    api: 'spaces',
    method: 'post',
    path: '/api/v1/spaces',
    call: (qc) =>
      qc.spaces.POST('/api/v1/spaces', { body: { name: 'Prod', type: 'managed', description: 'customer apps' } }),
    body: { name: 'Prod', type: 'managed', description: 'customer apps' },
    status: 201,
  },
  {
    api: 'apps',
    method: 'post',
    path: '/api/v1/apps/app1/publish',
    call: (qc) =>
      qc.apps.POST('/api/v1/apps/{appId}/publish', { params: { path: { appId: 'app1' } }, body: { spaceId: 'sp1' } }),
    body: { spaceId: 'sp1' },
  },
  {
    api: 'items',
    method: 'get',
    path: '/api/v1/items',
    call: (qc) =>
      qc.items.GET('/api/v1/items', { params: { query: { resourceType: 'app', spaceId: 'sp1', limit: 100 } } }),
    query: { resourceType: 'app', spaceId: 'sp1', limit: '100' },
  },
  {
    api: 'tempContents',
    method: 'get',
    path: '/api/v1/temp-contents/f1/details',
    call: (qc) => qc.tempContents.GET('/api/v1/temp-contents/{id}/details', { params: { path: { id: 'f1' } } }),
  },
  {
    api: 'dataConnections',
    method: 'patch',
    path: '/api/v1/data-connections/Sales',
    call: (qc) =>
      qc.dataConnections.PATCH('/api/v1/data-connections/{qID}', {
        params: { path: { qID: 'Sales' }, query: { type: 'connectionname' } },
        body: [{ op: 'replace', path: '/qConnectStatement', value: 'CUSTOM CONNECT TO "x"' }],
      }),
    query: { type: 'connectionname' },
    body: [{ op: 'replace', path: '/qConnectStatement', value: 'CUSTOM CONNECT TO "x"' }],
    status: 204,
  },
  {
    api: 'dataCredentials',
    method: 'get',
    path: '/api/v1/data-credentials/cred1',
    call: (qc) => qc.dataCredentials.GET('/api/v1/data-credentials/{qID}', { params: { path: { qID: 'cred1' } } }),
  },
  {
    api: 'reloads',
    method: 'post',
    path: '/api/v1/reloads',
    call: (qc) => qc.reloads.POST('/api/v1/reloads', { body: { appId: 'app1', partial: false } }),
    body: { appId: 'app1', partial: false },
    status: 201,
  },
  {
    api: 'reloadTasks',
    method: 'get',
    path: '/api/v1/reload-tasks',
    call: (qc) => qc.reloadTasks.GET('/api/v1/reload-tasks', { params: { query: { appId: 'app1' } } }),
    query: { appId: 'app1' },
  },
  {
    api: 'apiKeys',
    method: 'patch',
    path: '/api/v1/api-keys/configs/t1',
    call: (qc) =>
      qc.apiKeys.PATCH('/api/v1/api-keys/configs/{tenantId}', {
        params: { path: { tenantId: 't1' } },
        body: [{ op: 'replace', path: '/max_keys_per_user', value: 5 }],
      }),
    body: [{ op: 'replace', path: '/max_keys_per_user', value: 5 }],
    status: 204,
  },
  {
    api: 'tenantSettings',
    method: 'get',
    path: '/api/v1/tenant-settings',
    call: (qc) => qc.tenantSettings.GET('/api/v1/tenant-settings'),
  },
  {
    api: 'coreAuthSettings',
    method: 'patch',
    path: '/api/core/auth-settings',
    call: (qc) =>
      qc.coreAuthSettings.PATCH('/api/core/auth-settings', {
        body: [{ op: 'replace', path: '/userSessionInactivityTimeoutMinutes', value: 60 }],
      }),
    body: [{ op: 'replace', path: '/userSessionInactivityTimeoutMinutes', value: 60 }],
  },
  {
    api: 'webhooks',
    method: 'post',
    path: '/api/v1/webhooks',
    call: (qc) =>
      qc.webhooks.POST('/api/v1/webhooks', {
        body: { name: 'reloads', url: 'https://partner.example/hook', eventTypes: ['com.qlik.v1.app.reload.finished'] },
      }),
    body: { name: 'reloads', url: 'https://partner.example/hook', eventTypes: ['com.qlik.v1.app.reload.finished'] },
    status: 201,
  },
  {
    api: 'audits',
    method: 'get',
    path: '/api/v1/audits',
    call: (qc) =>
      qc.audits.GET('/api/v1/audits', { params: { query: { eventType: 'com.qlik.user-session.begin', limit: 10 } } }),
    query: { eventType: 'com.qlik.user-session.begin', limit: '10' },
  },
  {
    api: 'oauthClients',
    method: 'get',
    path: '/api/v1/oauth-clients/c1',
    call: (qc) => qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path: { id: 'c1' } } }),
  },
  {
    api: 'login',
    method: 'post',
    path: '/login/jwt-session',
    call: (qc) => qc.login.POST('/login/jwt-session'),
  },
  {
    api: 'webIntegrations',
    method: 'post',
    path: '/api/v1/web-integrations',
    call: (qc) =>
      qc.webIntegrations.POST('/api/v1/web-integrations', {
        body: { name: 'portal', validOrigins: ['https://portal.example'] },
      }),
    body: { name: 'portal', validOrigins: ['https://portal.example'] },
    status: 201,
  },
  {
    api: 'cspOrigins',
    method: 'post',
    path: '/api/v1/csp-origins',
    call: (qc) =>
      qc.cspOrigins.POST('/api/v1/csp-origins', {
        body: { name: 'portal', origin: 'portal.example', frameAncestors: true },
      }),
    body: { name: 'portal', origin: 'portal.example', frameAncestors: true },
    status: 201,
  },
  {
    api: 'brands',
    method: 'post',
    path: '/api/v1/brands/b1/actions/activate',
    call: (qc) =>
      qc.brands.POST('/api/v1/brands/{brand-id}/actions/activate', { params: { path: { 'brand-id': 'b1' } } }),
  },
  {
    api: 'extensions',
    method: 'get',
    path: '/api/v1/extensions',
    call: (qc) => qc.extensions.GET('/api/v1/extensions'),
  },
  {
    api: 'themes',
    method: 'delete',
    path: '/api/v1/themes/th1',
    call: (qc) => qc.themes.DELETE('/api/v1/themes/{id}', { params: { path: { id: 'th1' } } }),
    status: 204,
  },
  {
    api: 'dataFiles',
    method: 'get',
    path: '/api/v1/data-files',
    call: (qc) => qc.dataFiles.GET('/api/v1/data-files', { params: { query: { connectionId: 'conn1', limit: 5 } } }),
    query: { connectionId: 'conn1', limit: '5' },
  },
  {
    api: 'schedulingTasks',
    method: 'get',
    path: '/api/scheduling/tasks',
    call: (qc) =>
      qc.schedulingTasks.GET('/api/scheduling/tasks', { params: { query: { resourceId: 'app1', limit: 10 } } }),
    query: { resourceId: 'app1', limit: '10' },
  },
  {
    api: 'automations',
    method: 'post',
    path: '/api/v1/automations/au1/actions/enable',
    call: (qc) => qc.automations.POST('/api/v1/automations/{id}/actions/enable', { params: { path: { id: 'au1' } } }),
    status: 204,
  },
  {
    api: 'oauthTokens',
    method: 'delete',
    path: '/api/v1/oauth-tokens/tok1',
    call: (qc) => qc.oauthTokens.DELETE('/api/v1/oauth-tokens/{tokenId}', { params: { path: { tokenId: 'tok1' } } }),
    status: 204,
  },
  {
    api: 'quotas',
    method: 'get',
    path: '/api/v1/quotas/app_imports',
    call: (qc) => qc.quotas.GET('/api/v1/quotas/{id}', { params: { path: { id: 'app_imports' } } }),
  },
];

function facade() {
  return createQlikCloud({ host: TENANT, auth: apiKey('test-key'), ...fastTransport });
}

describe('createQlikCloud', () => {
  it('covers every generated API with a case', () => {
    expect(new Set(cases.map((c) => c.api))).toEqual(new Set(qlikCloudApiNames));
    expect(qlikCloudApiNames).toHaveLength(32);
  });

  it.each(cases)('$api: $method $path', async (apiCase) => {
    const seen: Seen[] = [];
    server.use(
      http[apiCase.method](`${BASE}${apiCase.path}`, async ({ request }) => {
        const url = new URL(request.url);
        const text = await request.text();
        seen.push({
          method: request.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: request.headers,
          body: text === '' ? undefined : JSON.parse(text),
        });
        const status = apiCase.status ?? 200;
        return status === 204 ? new HttpResponse(null, { status }) : HttpResponse.json({ ok: true }, { status });
      }),
    );
    const result = await apiCase.call(facade());
    expect(result.error).toBeUndefined();
    expect(result.response.status).toBe(apiCase.status ?? 200);
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe(apiCase.method.toUpperCase());
    expect(request.query).toEqual(apiCase.query ?? {});
    expect(request.body).toEqual(apiCase.body);
    expect(request.headers.get('authorization')).toBe('Bearer test-key');
    if (apiCase.header) expect(request.headers.get(apiCase.header[0])).toBe(apiCase.header[1]);
  });

  it('follows the /users/me redirect and returns the user JSON', async () => {
    server.use(
      http.get(
        `${BASE}/api/v1/users/me`,
        () => new HttpResponse(null, { status: 301, headers: { location: `${BASE}/api/v1/users/u1` } }),
      ),
      http.get(`${BASE}/api/v1/users/:userId`, ({ params }) =>
        HttpResponse.json({ id: params.userId, tenantId: 't1', subject: 'bot', status: 'active' }),
      ),
    );
    const { data } = await facade().users.GET('/api/v1/users/me');
    expect(data?.tenantId).toBe('t1');
    expect(data?.id).toBe('u1');
  });

  it('creates clients lazily, once, and shares one transport', () => {
    const qc = facade();
    expect(Object.getOwnPropertyDescriptor(qc, 'spaces')).toHaveProperty('get', expect.any(Function));
    const spaces = qc.spaces;
    expect(qc.spaces).toBe(spaces);
    expect(Object.getOwnPropertyDescriptor(qc, 'spaces')?.value).toBe(spaces);
    expect(Object.getOwnPropertyDescriptor(qc, 'apps')).toHaveProperty('get', expect.any(Function));
    expect(qc.transport).toBeTypeOf('function');
    expect(qc.baseUrl).toBe(BASE);
    expect(qc.host).toBe(TENANT);
  });

  it('accepts a full https URL as host', async () => {
    server.use(http.get(`${BASE}/api/v1/extensions`, () => HttpResponse.json({ data: [] })));
    const qc = createQlikCloud({ host: `${BASE}/`, auth: apiKey('k'), ...fastTransport });
    expect((await qc.extensions.GET('/api/v1/extensions')).response.status).toBe(200);
  });

  it('rejects a bad host or auth with a validation error before any request', () => {
    // No handler is registered: a request would fail the test through onUnhandledRequest.
    for (const options of [
      { host: 'https://acme.eu.qlikcloud.com/api', auth: apiKey('k') },
      { host: 'acme.eu.qlikcloud.com', auth: { token: 'k' } },
    ]) {
      let caught: unknown;
      try {
        createQlikCloud(options as Parameters<typeof createQlikCloud>[0]);
      } catch (error) {
        caught = error;
      }
      expect(isQlikValidationError(caught)).toBe(true);
    }
  });

  it('paces through a shared limiter across facades (pacing: { limiter })', async () => {
    const limiter = createRateLimiter();
    const acquired: string[] = [];
    const original = limiter.acquire.bind(limiter);
    limiter.acquire = (key, signal) => {
      acquired.push(`${key.host} ${key.tier.name} ${key.credentialId}`);
      return original(key, signal);
    };
    server.use(
      http.post(`${BASE}/api/v1/reloads`, () => HttpResponse.json({ id: 'r1' }, { status: 201 })),
      http.get(`https://other.eu.qlikcloud.com/api/v1/items`, () => HttpResponse.json({ data: [] })),
    );
    const auth = apiKey('k');
    const a = createQlikCloud({ host: TENANT, auth, ...fastTransport, pacing: { limiter } });
    const b = createQlikCloud({ host: 'other.eu.qlikcloud.com', auth, ...fastTransport, pacing: { limiter } });
    await a.reloads.POST('/api/v1/reloads', { body: { appId: 'app1' } });
    await b.items.GET('/api/v1/items');
    expect(acquired).toEqual([`${TENANT} special:reloads:50 ${auth.id}`, `other.eu.qlikcloud.com tier1 ${auth.id}`]);
  });

  it("takes per-call transport options through openapi-fetch's fetch option", async () => {
    server.use(
      http.get(`${BASE}/api/v1/reloads/:reloadId`, async () => {
        await delay(300);
        return HttpResponse.json({ id: 'r1' });
      }),
    );
    const qc = facade();
    const error = await qc.reloads
      .GET('/api/v1/reloads/{reloadId}', {
        params: { path: { reloadId: 'r1' } },
        fetch: qc.transport.with({ timeoutMs: 20, retry: false }),
      })
      .catch((e: unknown) => e);
    expect(isQlikTimeoutError(error)).toBe(true);
  });
});
