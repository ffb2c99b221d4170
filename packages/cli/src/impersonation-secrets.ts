// Qlik answers an OAuth client's secret once, when it is made: each one goes to a file of its own (readable by the
// operator only) the moment it is answered, written whole or not at all; the output says where, never the secret.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImpersonationClientSecretStore, NewImpersonationClientSecret } from '@qlik-oem/recipes';

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
  const temporary = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`);
      // The mode of open() is masked by the umask; 0600 is what the file must have.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // An older file of another mode was replaced, not kept: the rename carries the temporary file's 0600.
  await syncDirectory(directory);
  return file;
}

/** Makes the rename durable (best effort: not every platform can open a directory). */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
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
