import { isQlikHttpError, QlikValidationError } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { Secret } from '../validation/secret.js';
import type { TenantCustomization } from './customize-tenant-input.js';

// The tenant's OAuth client for user impersonation (oauth-clients API), found by its name: a `web` client with
// both grants qlik.dev's oauth-clients-api page gives an OEM's impersonation client (`client_credentials` and
// `urn:qlik:oauth:user-impersonation`). Its secret is answered once, at create, and kept in a `Secret`.

export type ImpersonationClientSpec = NonNullable<TenantCustomization['impersonationClient']>;

export const IMPERSONATION_GRANT = 'urn:qlik:oauth:user-impersonation';
const GRANTS = ['client_credentials', IMPERSONATION_GRANT];
const MAX_CLIENTS = 1_000;

/** The client as the admin read of the oauth-clients API shows it. */
export interface ImpersonationClientState {
  clientId: string;
  appType: string;
  description: string | undefined;
  redirectUris: string[];
  allowedScopes: string[];
  allowedGrantTypes: string[];
}

export interface ImpersonationClientUpdate {
  clientId: string;
  /** JSON-Patch operations of the oauth-clients API. */
  patch: Array<{
    op: 'replace';
    path: '/description' | '/redirectUris' | '/allowedScopes' | '/allowedGrantTypes';
    value: string | string[];
  }>;
  consentMethod?: 'required' | 'trusted';
}

const field = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function findImpersonationClient(
  qc: QlikCloud,
  name: string,
  signal: AbortSignal,
): Promise<ImpersonationClientState | undefined> {
  const filter = `clientName eq "${name.replace(/["\\]/g, '\\$&')}"`;
  const all = await collectAll(
    paginate(qc.oauthClients, '/api/v1/oauth-clients', { params: { query: { filter, limit: 100 } } }, { signal }),
    { limit: MAX_CLIENTS },
  );
  // The oldest of its name: a second one would be someone else's copy, never written by this step.
  const found = (all as unknown as Array<Record<string, unknown>>)
    .filter((c) => c.clientName === name && typeof c.clientId === 'string')
    .sort((a, b) => textOf(a.createdAt).localeCompare(textOf(b.createdAt)))[0];
  if (!found) return undefined;
  return {
    clientId: textOf(found.clientId),
    appType: textOf(found.appType),
    description: typeof found.description === 'string' ? found.description : undefined,
    redirectUris: field(found.redirectUris),
    allowedScopes: field(found.allowedScopes),
    allowedGrantTypes: field(found.allowedGrantTypes),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  new Set(a).size === new Set(b).size && a.every((v) => b.includes(v));

/** The client's consent method (its connection config for this tenant). */
async function consentMethodOf(qc: QlikCloud, clientId: string, signal: AbortSignal): Promise<string> {
  const config = unwrap(
    await qc.oauthClients.GET('/api/v1/oauth-clients/{id}/connection-configs/me', {
      params: { path: { id: clientId } },
      signal,
    }),
  );
  return config.consentMethod;
}

/**
 * What to change on an existing client so it is as specified, or undefined when it is. Its `appType` cannot be
 * changed (oauth-clients.json), so a client of another type with the name is a `QlikValidationError`.
 */
export async function diffImpersonationClient(
  qc: QlikCloud,
  found: ImpersonationClientState,
  spec: ImpersonationClientSpec,
  signal: AbortSignal,
): Promise<ImpersonationClientUpdate | undefined> {
  if (found.appType !== 'web')
    throw new QlikValidationError(`The OAuth client "${spec.name}" on ${qc.host} is not a web client`, [
      {
        path: ['impersonationClient', 'name'],
        message: `names an existing "${found.appType}" client, and a client's appType cannot change: choose another name`,
      },
    ]);
  const patch: ImpersonationClientUpdate['patch'] = [];
  if (spec.description !== undefined && found.description !== spec.description)
    patch.push({ op: 'replace', path: '/description', value: spec.description });
  if (!sameSet(found.redirectUris, spec.redirectUris))
    patch.push({ op: 'replace', path: '/redirectUris', value: spec.redirectUris });
  if (!sameSet(found.allowedScopes, spec.scopes))
    patch.push({ op: 'replace', path: '/allowedScopes', value: spec.scopes });
  if (!sameSet(found.allowedGrantTypes, GRANTS))
    patch.push({ op: 'replace', path: '/allowedGrantTypes', value: GRANTS });
  const consentMethod =
    spec.consentMethod !== undefined && (await consentMethodOf(qc, found.clientId, signal)) !== spec.consentMethod
      ? spec.consentMethod
      : undefined;
  if (patch.length === 0 && consentMethod === undefined) return undefined;
  return { clientId: found.clientId, patch, ...(consentMethod ? { consentMethod } : {}) };
}

/** Says in a few words what an update changes (the step's reason). */
export function describeUpdate(update: ImpersonationClientUpdate): string {
  const fields = update.patch.map((p) => p.path.slice(1));
  if (update.consentMethod) fields.push('consent method');
  return `the client's ${fields.join(', ')} differ`;
}

/** Creates the client; its secret (answered only here) comes back as a `Secret`. */
export async function createImpersonationClient(
  qc: QlikCloud,
  spec: ImpersonationClientSpec,
  signal: AbortSignal,
): Promise<{ clientId: string; clientSecret: Secret }> {
  const created = unwrap(
    await qc.oauthClients.POST('/api/v1/oauth-clients', {
      body: {
        appType: 'web',
        clientName: spec.name,
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        allowedScopes: spec.scopes,
        redirectUris: spec.redirectUris,
        allowedGrantTypes: GRANTS as Array<'client_credentials' | typeof IMPERSONATION_GRANT>,
        // `trusted` is the only consent method a create takes; `required` is the default.
        ...(spec.consentMethod === 'trusted' ? { connectionConfig: { consentMethod: 'trusted' } } : {}),
      },
      signal,
    }),
  );
  return { clientId: created.clientId, clientSecret: new Secret(created.clientSecret) };
}

export async function updateImpersonationClient(
  qc: QlikCloud,
  update: ImpersonationClientUpdate,
  signal: AbortSignal,
): Promise<void> {
  const path = { id: update.clientId };
  if (update.patch.length > 0)
    unwrap(await qc.oauthClients.PATCH('/api/v1/oauth-clients/{id}', { params: { path }, body: update.patch, signal }));
  if (update.consentMethod)
    unwrap(
      await qc.oauthClients.PATCH('/api/v1/oauth-clients/{id}/connection-configs/me', {
        params: { path },
        body: [{ op: 'replace', path: '/consentMethod', value: update.consentMethod }],
        signal,
      }),
    );
}

/**
 * Gives the client a new secret in place of all its others (a lost secret cannot be read again: Qlik answers it
 * only when it is made, and a client holds at most 5). Holders of an old secret get `invalid_client` from then on.
 */
export async function replaceClientSecret(qc: QlikCloud, clientId: string, signal: AbortSignal): Promise<Secret> {
  const path = { id: clientId };
  const before = unwrap(await qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path }, signal })) as {
    clientSecrets?: Array<{ hint?: string }>;
  };
  for (const { hint } of before.clientSecrets ?? []) if (hint) await deleteSecret(qc, clientId, hint, signal);
  const created = unwrap(
    await qc.oauthClients.POST('/api/v1/oauth-clients/{id}/client-secrets', { params: { path }, signal }),
  );
  return new Secret(created.clientSecret);
}

/** A client secret Qlik has just answered (it shows a secret only once): what the partner's secret store keeps. */
export interface NewImpersonationClientSecret {
  customerId: string;
  tenantHost: string;
  clientId: string;
  clientSecret: Secret;
  /**
   * Qlik's hint of this secret (the oauth-clients API names a client's secrets by hint), when Qlik answered one:
   * the create-secret call does, the client create does not.
   */
  hint?: string;
}

/**
 * Keeps a new impersonation client secret (a file, a vault) before the step or rotation that made it goes on.
 * When it throws, the secret is lost (Qlik never shows it again): the step fails naming the client.
 */
export type ImpersonationClientSecretStore = (secret: NewImpersonationClientSecret) => Promise<void>;

/** What `rotateClientSecret` did: the new secret's hint and the hints of the old secrets it deleted. */
export interface RotatedClientSecret {
  clientId: string;
  hint: string;
  deletedHints: string[];
}

async function secretsOf(
  qc: QlikCloud,
  clientId: string,
  signal: AbortSignal,
): Promise<Array<{ hint: string; createdAt: string }>> {
  const client = unwrap(
    await qc.oauthClients.GET('/api/v1/oauth-clients/{id}', { params: { path: { id: clientId } }, signal }),
  ) as { clientSecrets?: Array<{ hint?: string; createdAt?: string }> };
  return (client.clientSecrets ?? [])
    .filter((s): s is { hint: string; createdAt?: string } => typeof s.hint === 'string' && s.hint !== '')
    .map((s) => ({ hint: s.hint, createdAt: textOf(s.createdAt) }));
}

async function deleteSecret(qc: QlikCloud, clientId: string, hint: string, signal: AbortSignal): Promise<void> {
  unwrap(
    await qc.oauthClients.DELETE('/api/v1/oauth-clients/{id}/client-secrets/{hint}', {
      params: { path: { id: clientId, hint } },
      signal,
    }),
  );
}

/**
 * Gives the client a new secret, hands it to `store`, and only once `store` resolved deletes the client's other
 * secrets: at every moment the partner's store holds a secret Qlik accepts. A client holds at most 5 secrets
 * (oauth-clients.json: the create answers 409 beyond); then the oldest secret other than `keepHint` (the one the
 * store holds now) is deleted first, and without a `keepHint` nothing is deleted and the 409 is thrown.
 */
export async function rotateClientSecret(
  qc: QlikCloud,
  target: { customerId: string; clientId: string; keepHint?: string | undefined },
  store: ImpersonationClientSecretStore,
  signal: AbortSignal,
): Promise<RotatedClientSecret> {
  const { clientId } = target;
  const path = { id: clientId };
  const create = async () =>
    unwrap(await qc.oauthClients.POST('/api/v1/oauth-clients/{id}/client-secrets', { params: { path }, signal }));
  const deletedHints: string[] = [];
  let created: Awaited<ReturnType<typeof create>>;
  try {
    created = await create();
  } catch (error) {
    if (!(isQlikHttpError(error) && error.status === 409) || target.keepHint === undefined) throw error;
    const others = (await secretsOf(qc, clientId, signal))
      .filter((s) => s.hint !== target.keepHint)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (others.length === 0) throw error;
    await deleteSecret(qc, clientId, others[0]!.hint, signal);
    deletedHints.push(others[0]!.hint);
    created = await create();
  }
  const hint = created.hint;
  await store({
    customerId: target.customerId,
    tenantHost: qc.host,
    clientId,
    clientSecret: new Secret(created.clientSecret),
    hint,
  });
  for (const old of await secretsOf(qc, clientId, signal)) {
    if (old.hint === hint) continue;
    await deleteSecret(qc, clientId, old.hint, signal);
    deletedHints.push(old.hint);
  }
  return { clientId, hint, deletedHints };
}
