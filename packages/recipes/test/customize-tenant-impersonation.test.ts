// customizeTenant's impersonation client against the strict simulator: created once with its secret handed to the
// caller (never journaled), adopted by name afterwards, updated in place, and its secret replaceable.
import { isQlikValidationError } from '@qlik-oem/core';
import { oauthImpersonation, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  customizeTenant,
  replaceImpersonationClientSecret,
  rotateImpersonationClientSecret,
  Secret,
  type NewImpersonationClientSecret,
  type CustomizeTenantInputRaw,
  type JournalStore,
} from '../src/index.js';
import { SIM_SOURCE_TENANT, sourceTenantAdmin } from './helpers/sim-access.js';

const HOST = SIM_SOURCE_TENANT;

let sim: Simulator;
let qc: QlikCloud;
/** Every request the SDK sent to the tenant (token requests aside), as "METHOD /path". */
const requests: string[] = [];
const writes = () => requests.filter((r) => !r.startsWith('GET '));

beforeAll(async () => {
  sim = await startSimulator({ strict: true, latency: false });
  qc = sourceTenantAdmin(sim, async (input, init) => {
    const request = new Request(input, init);
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return sim.nodeFetch(request);
  });
  unwrap(await qc.users.POST('/api/v1/users', { body: { subject: 'partner|linda', name: 'Linda Jones' } }));
});
afterAll(async () => {
  expect(sim?.violations ?? []).toEqual([]);
  await sim?.close();
});

const input = (client: Partial<NonNullable<CustomizeTenantInputRaw['impersonationClient']>> = {}) => ({
  customerId: 'acme',
  tenantHost: HOST,
  impersonationClient: {
    name: 'Partner product backend',
    description: 'Impersonates the partner product users',
    redirectUris: ['https://app.partner.example/callback'],
    ...client,
  },
});

async function run(raw: CustomizeTenantInputRaw, journal: JournalStore = createMemoryJournalStore()) {
  requests.length = 0;
  const result = await customizeTenant(qc, raw, { journal });
  return { result, writes: writes() };
}

/** Who Qlik says a token is. */
async function whoIs(token: string): Promise<string> {
  const response = await sim.nodeFetch(`https://${HOST}/api/v1/users/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { subject: string }).subject;
}

describe("customizeTenant's impersonation client", () => {
  const journal = createMemoryJournalStore();
  let clientId = '';
  let secret: Secret;

  it('creates a web client allowed to impersonate and hands its secret to the caller only', async () => {
    const { result, writes } = await run(input(), journal);
    expect(result.status).toBe('provisioned');
    expect(writes).toEqual(['POST /api/v1/oauth-clients']);
    const outputs = result.outputs.impersonationClient;
    expect(outputs.clientSecret).toBeInstanceOf(Secret);
    clientId = outputs.clientId!;
    secret = outputs.clientSecret!;

    const stored = unwrap(
      await qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path: { id: clientId } } }),
    );
    expect(stored).toMatchObject({
      appType: 'web',
      clientName: 'Partner product backend',
      allowedScopes: ['user_default'],
      allowedGrantTypes: ['client_credentials', 'urn:qlik:oauth:user-impersonation'],
      redirectUris: ['https://app.partner.example/callback'],
    });
    // The journal and the result's JSON hold "[REDACTED]", never the secret.
    const journaled = JSON.stringify(await journal.read('acme'));
    expect(journaled).toContain(clientId);
    expect(journaled).not.toContain(secret.reveal());
    expect(JSON.stringify(result)).not.toContain(secret.reveal());

    // The secret works: a token that acts as Linda.
    const linda = oauthImpersonation({ host: HOST, clientId, clientSecret: secret.reveal(), fetch: sim.nodeFetch });
    expect(await whoIs((await linda.forUser({ subject: 'partner|linda' }).getToken()).token)).toBe('partner|linda');
  });

  it('adopts the client by name on a second run: nothing written, no secret', async () => {
    const { result, writes } = await run(input(), journal);
    expect(result.status).toBe('unchanged');
    expect(writes).toEqual([]);
    expect(result.outputs.impersonationClient).toEqual({ clientId, clientSecret: null });
  });

  it('updates a changed setting in place (same client, same secret), then writes nothing', async () => {
    const changed = input({
      redirectUris: ['https://app.partner.example/callback', 'https://staging.partner.example/callback'],
      consentMethod: 'trusted',
    });
    const { result, writes } = await run(changed, journal);
    expect(result.steps.find((s) => s.step === 'impersonationClient')).toMatchObject({ action: 'update' });
    expect(writes).toEqual([
      `PATCH /api/v1/oauth-clients/${clientId}`,
      `PATCH /api/v1/oauth-clients/${clientId}/connection-configs/me`,
    ]);
    expect(result.outputs.impersonationClient).toEqual({ clientId, clientSecret: null });
    const config = unwrap(
      await qc.oauthClients.GET('/api/v1/oauth-clients/{id}/connection-configs/me', {
        params: { path: { id: clientId } },
      }),
    );
    expect(config.consentMethod).toBe('trusted');
    expect((await run(changed, journal)).writes).toEqual([]);
    const linda = oauthImpersonation({ host: HOST, clientId, clientSecret: secret.reveal(), fetch: sim.nodeFetch });
    expect(await whoIs((await linda.forUser({ subject: 'partner|linda' }).getToken()).token)).toBe('partner|linda');
  });

  it('replaces a lost secret: the new one works, the old one is refused', async () => {
    const fresh = await replaceImpersonationClientSecret(qc, { tenantHost: HOST, clientId });
    expect(fresh.reveal()).not.toBe(secret.reveal());
    const token = (clientSecret: string) =>
      oauthImpersonation({ host: HOST, clientId, clientSecret, fetch: sim.nodeFetch })
        .forUser({ subject: 'partner|linda' })
        // Tokens are cached per client and user across providers: ask the token endpoint each time.
        .getToken({ forceRefresh: true });
    expect(await whoIs((await token(fresh.reveal())).token)).toBe('partner|linda');
    await expect(token(secret.reveal())).rejects.toMatchObject({ status: 401 });
  });

  it('rotates: the new secret is stored while the old one still works, and only then is the old one deleted', async () => {
    const token = (clientSecret: string) =>
      oauthImpersonation({ host: HOST, clientId, clientSecret, fetch: sim.nodeFetch })
        .forUser({ subject: 'partner|linda' })
        .getToken({ forceRefresh: true });
    const hints = async () =>
      (
        unwrap(await qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path: { id: clientId } } })) as {
          clientSecrets: Array<{ hint: string }>;
        }
      ).clientSecrets.map((s) => s.hint);
    const held = await replaceImpersonationClientSecret(qc, { tenantHost: HOST, clientId });
    let stored: NewImpersonationClientSecret | undefined;
    let oldWorkedWhenStored = false;
    const rotated = await rotateImpersonationClientSecret(
      qc,
      { customerId: 'acme', tenantHost: HOST, clientId },
      {
        store: async (secret) => {
          stored = secret;
          oldWorkedWhenStored = (await token(held.reveal())).token.length > 0;
        },
      },
    );
    expect(oldWorkedWhenStored).toBe(true);
    expect(stored).toMatchObject({ customerId: 'acme', tenantHost: HOST, clientId, hint: rotated.hint });
    expect(rotated.deletedHints).toHaveLength(1);
    expect(await hints()).toEqual([rotated.hint]);
    expect(await whoIs((await token(stored!.clientSecret.reveal())).token)).toBe('partner|linda');
    await expect(token(held.reveal())).rejects.toMatchObject({ status: 401 });

    // A store that fails deletes nothing: the secret the partner holds keeps working.
    for (let i = 0; i < 4; i++) {
      const failed = await rotateImpersonationClientSecret(
        qc,
        { customerId: 'acme', tenantHost: HOST, clientId },
        { store: () => Promise.reject(new Error('vault unavailable')) },
      ).catch((e: unknown) => e);
      expect((failed as Error).message).toBe('vault unavailable');
    }
    expect(await hints()).toHaveLength(5);
    expect((await token(stored!.clientSecret.reveal())).token).toBeTruthy();

    // At Qlik's limit of 5, the oldest secret other than the one held goes first.
    let atLimit: NewImpersonationClientSecret | undefined;
    const last = await rotateImpersonationClientSecret(
      qc,
      { customerId: 'acme', tenantHost: HOST, clientId, keepHint: rotated.hint },
      {
        store: async (secret) => {
          atLimit = secret;
          expect((await token(stored!.clientSecret.reveal())).token).toBeTruthy();
        },
      },
    );
    expect(last.deletedHints).toHaveLength(5);
    expect(await hints()).toEqual([last.hint]);
    expect(await whoIs((await token(atLimit!.clientSecret.reveal())).token)).toBe('partner|linda');
  });

  it('refuses bad input with a typed error naming the field, before any request', async () => {
    requests.length = 0;
    const bad = [
      input({ redirectUris: ['http://app.partner.example/callback'] }),
      input({ scopes: [] }),
      input({ name: '  ' }),
      input({ consentMethod: 'sometimes' as 'trusted' }),
    ];
    const paths: string[] = [];
    for (const raw of bad) {
      const error = await customizeTenant(qc, raw, { journal: createMemoryJournalStore() }).catch((e: unknown) => e);
      expect(isQlikValidationError(error)).toBe(true);
      paths.push(String((error as { issues: Array<{ path: unknown[] }> }).issues[0]?.path.join('.')));
    }
    expect(paths).toEqual([
      'impersonationClient.redirectUris.0',
      'impersonationClient.scopes',
      'impersonationClient.name',
      'impersonationClient.consentMethod',
    ]);
    const replaced = await replaceImpersonationClientSecret(qc, { tenantHost: 'not a host', clientId }).catch(
      (e: unknown) => e,
    );
    expect(isQlikValidationError(replaced)).toBe(true);
    expect(requests).toEqual([]);
  });
});
