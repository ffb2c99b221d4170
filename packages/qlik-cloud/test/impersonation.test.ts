// oauthImpersonation against the simulator's user-impersonation grant, through Node's fetch and undici.
import { isQlikAuthError } from '@qlik-oem/core';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearOAuthTokenCache,
  createQlikCloud,
  oauthClientCredentials,
  oauthImpersonation,
  unwrap,
} from '../src/index.js';

const HOST = 'acme.eu.qlikcloud.com';
const EMBED = { clientId: 'acme-embed', clientSecret: 'acme-embed-secret-9f3' };
const ADMIN = { clientId: 'acme-admin', clientSecret: 'acme-admin-secret-1c7', scope: 'admin_classic' };

let sim: Simulator | undefined;
afterEach(async () => {
  clearOAuthTokenCache();
  await sim?.close();
  sim = undefined;
});

async function start() {
  sim = await startSimulator({
    strict: true,
    latency: false,
    state: {
      regions: ['eu'],
      tenants: [{ hostname: HOST, name: 'acme', region: 'eu' }],
      oauthClients: [
        { ...EMBED, tenant: HOST, scopes: ['user_default'], allowedGrantTypes: ['urn:qlik:oauth:user-impersonation'] },
        { ...ADMIN, tenant: HOST, scopes: ['admin_classic', 'user_default'] },
      ],
    },
  });
  const s = sim;
  const tokenRequests: string[] = [];
  const undiciFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/oauth/token') tokenRequests.push(await request.clone().text());
    return fetch(request, { dispatcher: s.dispatcher } as unknown as RequestInit);
  };
  const admin = oauthClientCredentials({ host: HOST, ...ADMIN, fetch: undiciFetch });
  return { fetch: undiciFetch, admin, tokenRequests };
}

describe('oauthImpersonation', () => {
  it('acts as the end user (their Qlik identity), creating them first, and caches one token per user', async () => {
    const { fetch, admin, tokenRequests } = await start();
    const tokens = oauthImpersonation({ host: HOST, ...EMBED, fetch, createUsersWith: admin });
    const john = tokens.forUser({ subject: 'partner|john', name: 'John Smith', email: 'john@acme.example' });
    const linda = tokens.forUser({ subject: 'partner|linda', name: 'Linda Jones' });
    const as = (auth: typeof john) => createQlikCloud({ host: HOST, auth, fetch });

    const me = unwrap(await as(john).users.GET('/api/v1/users/me'));
    expect(me).toMatchObject({ subject: 'partner|john', name: 'John Smith', email: 'john@acme.example' });
    expect(unwrap(await as(linda).users.GET('/api/v1/users/me')).subject).toBe('partner|linda');

    // The same user again, through another provider: the cached token, no new request.
    const before = tokenRequests.filter((b) => b.includes('user-impersonation')).length;
    const again = tokens.forUser({ subject: 'partner|john' });
    expect((await again.getToken()).token).toBe((await john.getToken()).token);
    expect(tokenRequests.filter((b) => b.includes('user-impersonation')).length).toBe(before);
    // By user id as well.
    const byId = tokens.forUser({ userId: me.id });
    expect(unwrap(await as(byId).users.GET('/api/v1/users/me')).subject).toBe('partner|john');

    // The secret is in no id, inspect output or JSON.
    for (const text of [john.id, inspect(john), JSON.stringify(john)]) expect(text).not.toContain(EMBED.clientSecret);
    expect(sim!.violations).toEqual([]);
  });

  it('without a way to create users, an unknown user is a QlikAuthError (400) with no secret in it', async () => {
    const { fetch } = await start();
    const tokens = oauthImpersonation({ host: HOST, ...EMBED, fetch });
    const error = await tokens
      .forUser({ subject: 'partner|nobody' })
      .getToken()
      .catch((e: unknown) => e);
    expect(isQlikAuthError(error)).toBe(true);
    expect((error as { status: number }).status).toBe(400);
    expect(JSON.stringify(error) + String(error)).not.toContain(EMBED.clientSecret);
  });

  it('refuses bad options before any request', async () => {
    expect(() => oauthImpersonation({ host: HOST, clientId: '', clientSecret: 'x' })).toThrow(
      /clientId must be a non-empty string/,
    );
    const tokens = oauthImpersonation({
      host: HOST,
      ...EMBED,
      fetch: () => Promise.reject(new Error('no request expected')),
    });
    expect(() => tokens.forUser({ subject: ' ' })).toThrow(/subject must be a non-empty string/);
  });
});
