// Qlik answers an OAuth client's secret once, when it is made: each one goes to a file of its own (readable by the
// operator only) the moment it is answered, written whole or not at all; the output says where, never the secret.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  replaceFileDurably,
  type ImpersonationClientSecretStore,
  type NewImpersonationClientSecret,
} from '@qlik-oem/recipes';

/** The file of a customer's impersonation client secret in the secrets directory. */
export const secretFileOf = (directory: string, customerId: string): string =>
  join(directory, `${customerId}.impersonation-client.json`);

/** What a saved secret file says about its client (the secret itself is not read). */
export interface SavedClientSecret {
  file: string;
  customerId: string;
  tenantHost: string;
  clientId: string;
  hint?: string;
}

/**
 * Writes the secret through a temporary file in the same directory (mode 0600, synced) renamed over the old one:
 * a kill at any moment leaves either the old file or the new one, never a part of one.
 */
export async function writeSecretFile(directory: string, secret: NewImpersonationClientSecret): Promise<string> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const file = secretFileOf(directory, secret.customerId);
  const body = {
    customerId: secret.customerId,
    tenantHost: secret.tenantHost,
    clientId: secret.clientId,
    ...(secret.hint ? { hint: secret.hint } : {}),
    clientSecret: secret.clientSecret.reveal(),
  };
  // An older file of another mode is replaced, not kept: the new one is 0600 whatever the umask.
  await replaceFileDurably(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The saved secret file of a customer, or undefined when there is none (or it is not one of ours). */
export async function readSecretFile(directory: string, customerId: string): Promise<SavedClientSecret | undefined> {
  const file = secretFileOf(directory, customerId);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw['clientId'] !== 'string' || typeof raw['tenantHost'] !== 'string') return undefined;
  return {
    file,
    customerId,
    tenantHost: raw['tenantHost'],
    clientId: raw['clientId'],
    ...(typeof raw['hint'] === 'string' ? { hint: raw['hint'] } : {}),
  };
}

/** A store for `provisionFleet`'s `storeImpersonationClientSecret`, and the files it wrote, by customer. */
export function createSecretFileStore(directory: string): {
  store: ImpersonationClientSecretStore;
  files: Map<string, string>;
} {
  const files = new Map<string, string>();
  return {
    files,
    store: async (secret) => {
      files.set(secret.customerId, await writeSecretFile(directory, secret));
    },
  };
}
