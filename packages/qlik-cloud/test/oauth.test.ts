import { inspect } from 'node:util';
import { isQlikAuthError, isQlikValidationError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, createQlikCloud, oauthClientCredentials } from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();
const SECRET = 's3cr3t-value-never-logged';

interface TokenRequest {
  body: Record<string, string>;
}

/** Serves /oauth/token, issuing token-1, token-2, … that expire `lifetimeMs` after the (fake) now. */
function tokenEndpoint(options: { now: () => number; lifetimeMs?: number; host?: string }) {
  const requests: TokenRequest[] = [];
  server.use(
    http.post(`https://${options.host ?? TENANT}/oauth/token`, async ({ request }) => {
      const body = (await request.json()) as Record<string, string>;
      requests.push({ body });
      if (body.client_secret !== SECRET) {
        return HttpResponse.json(
          { error: 'invalid_client', error_description: `client authentication failed for ${body.client_secret}` },
          { status: 401 },
        );
      }
      return HttpResponse.json({
        access_token: `token-${requests.length}`,
        token_type: 'bearer',
        expires_at: new Date(options.now() + (options.lifetimeMs ?? 3_600_000)).toISOString(),
        scope: body.scope ?? '',
      });
    }),
  );
  return requests;
}

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('oauthClientCredentials', () => {
  it('posts client credentials with the explicit scope and reuses the token until it nears expires_at', async () => {
    const time = clock();
    const requests = tokenEndpoint({ now: time.now, lifetimeMs: 600_000 });
    const provider = oauthClientCredentials({
      host: TENANT,
      clientId: 'cid-reuse',
      clientSecret: SECRET,
      scope: 'admin_classic',
      now: time.now,
      transport: fastTransport,
    });

    const first = await provider.getToken();
    const second = await provider.getToken();
    expect(first).toEqual({ token: 'token-1', expiresAt: time.now() + 600_000 });
    expect(second.token).toBe('token-1');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({
      client_id: 'cid-reuse',
      client_secret: SECRET,
      grant_type: 'client_credentials',
      scope: 'admin_classic',
    });

    time.advance(600_000 - 30_000); // inside the 60 s refresh margin
    expect((await provider.getToken()).token).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('shares one token request between concurrent callers and between providers with the same credentials', async () => {
    const time = clock();
    const requests = tokenEndpoint({ now: time.now });
    const options = {
      host: TENANT,
      clientId: 'cid-shared',
      clientSecret: SECRET,
      now: time.now,
      transport: fastTransport,
    };
    const a = oauthClientCredentials(options);
    const b = oauthClientCredentials({ ...options, host: `https://${TENANT}` });
    const tokens = await Promise.all([a.getToken(), a.getToken(), b.getToken(), a.getToken()]);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['token-1']));
    expect(requests).toHaveLength(1);

    // A different scope is a different token.
    const scoped = oauthClientCredentials({ ...options, scope: ['user_default'] });
    expect((await scoped.getToken()).token).toBe('token-2');
    expect(scoped.id).toBe(`oauth:cid-shared@${TENANT}#user_default`);
  });

  it('refreshes once after a 401 from the API and retries the call with the new token', async () => {
    // The transport checks expiry against the real clock, so the tokens must be valid in real time.
    const time = { now: Date.now };
    const requests = tokenEndpoint({ now: time.now });
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/api/v1/spaces/:spaceId`, ({ request, params }) => {
        const auth = request.headers.get('authorization') ?? '';
        seen.push(auth);
        if (auth === 'Bearer token-1')
          return HttpResponse.json({ errors: [{ code: 'HTTP-401', title: 'Unauthorized' }] }, { status: 401 });
        return HttpResponse.json({ id: params.spaceId, name: 'Prod', type: 'managed' });
      }),
    );
    const qc = createQlikCloud({
      host: TENANT,
      auth: oauthClientCredentials({
        host: TENANT,
        clientId: 'cid-401',
        clientSecret: SECRET,
        now: time.now,
        transport: fastTransport,
      }),
      ...fastTransport,
    });
    const { data, error } = await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 'sp1' } } });
    expect(error).toBeUndefined();
    expect(data?.name).toBe('Prod');
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(requests).toHaveLength(2);
  });

  it('turns a wrong secret into a QlikAuthError that never contains the secret', async () => {
    const time = clock();
    tokenEndpoint({ now: time.now });
    const wrong = 'wrong-secret-9f8e7d';
    const provider = oauthClientCredentials({
      host: TENANT,
      clientId: 'cid-wrong',
      clientSecret: wrong,
      now: time.now,
      transport: fastTransport,
    });
    const error = await provider.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isQlikAuthError(error)).toBe(true);
    const shown = [
      (error as Error).message,
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      String((error as Error).stack),
    ].join('\n');
    expect(shown).toContain('invalid_client');
    expect(shown).not.toContain(wrong);
    expect((error as { status: number }).status).toBe(401);
  });

  it('never shows the client secret when the provider is inspected or serialised', () => {
    const provider = oauthClientCredentials({
      host: TENANT,
      clientId: 'cid-inspect',
      clientSecret: SECRET,
      scope: 'admin_classic',
    });
    for (const text of [inspect(provider, { depth: 10, showHidden: true }), JSON.stringify(provider), provider.id]) {
      expect(text).not.toContain(SECRET);
    }
    expect(inspect(provider)).toContain(`oauth:cid-inspect@${TENANT}#admin_classic`);
  });

  it('keeps the secret and the tokens out of every log line', async () => {
    const time = { now: Date.now };
    tokenEndpoint({ now: time.now });
    server.use(http.get(`${BASE}/api/v1/roles`, () => HttpResponse.json({ data: [] })));
    const lines: unknown[] = [];
    const record = (...args: unknown[]) => void lines.push(args);
    const logger = { debug: record, info: record, warn: record, error: record };
    const auth = oauthClientCredentials({
      host: TENANT,
      clientId: 'cid-log',
      clientSecret: SECRET,
      now: time.now,
      transport: { ...fastTransport, logger },
    });
    const qc = createQlikCloud({ host: TENANT, auth, ...fastTransport, logger });
    await qc.roles.GET('/api/v1/roles');
    const logged = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThanOrEqual(2); // the token request and the API call
    expect(logged).toContain('/oauth/token');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('token-1');
  });

  it('retries the token request on a 503 (through the core transport)', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/oauth/token`, () => {
        calls++;
        if (calls === 1) return new HttpResponse(null, { status: 503 });
        return HttpResponse.json({
          access_token: 'after-retry',
          token_type: 'bearer',
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        });
      }),
    );
    const provider = oauthClientCredentials({
      host: TENANT,
      clientId: 'cid-503',
      clientSecret: SECRET,
      transport: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    expect((await provider.getToken()).token).toBe('after-retry');
    expect(calls).toBe(2);
  });

  it('works against the registration host and validates its options before any request', () => {
    expect(oauthClientCredentials({ host: 'register.eu.qlikcloud.com', clientId: 'c', clientSecret: SECRET }).id).toBe(
      'oauth:c@register.eu.qlikcloud.com',
    );
    for (const bad of [
      { host: 'not a host', clientId: 'c', clientSecret: SECRET },
      { host: TENANT, clientId: '', clientSecret: SECRET },
      { host: TENANT, clientId: 'c', clientSecret: '' },
    ]) {
      let caught: unknown;
      try {
        oauthClientCredentials(bad);
      } catch (error) {
        caught = error;
      }
      expect(isQlikValidationError(caught)).toBe(true);
      expect(String((caught as Error).message)).not.toContain(SECRET);
    }
  });
});

describe('apiKey', () => {
  it('sends the key as a bearer token and keeps it out of id, inspect and JSON', async () => {
    const key = 'eyJhbGciOiJFUzM4NCJ9.api-key-body.signature';
    let auth: string | null = null;
    server.use(
      http.get(`${BASE}/api/v1/users/actions/count`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json({ total: 3 });
      }),
    );
    const provider = apiKey(key);
    const qc = createQlikCloud({ host: TENANT, auth: provider, ...fastTransport });
    const { data } = await qc.users.GET('/api/v1/users/actions/count');
    expect(data?.total).toBe(3);
    expect(auth).toBe(`Bearer ${key}`);
    for (const text of [provider.id, inspect(provider, { depth: 10 }), JSON.stringify(provider)])
      expect(text).not.toContain(key);
    expect(() => apiKey('')).toThrow(/non-empty/);
  });
});
