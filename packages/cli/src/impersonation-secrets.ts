// Qlik answers an OAuth client's secret once, when it is made: `apply` writes each one it gets to a file of its own
// (readable by the operator only) and prints where, never the secret.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProvisionedCustomer } from '@qlik-oem/recipes';

/** Writes the new impersonation client secrets; returns the file of each customer that had one. */
export async function saveImpersonationSecrets(
  directory: string,
  customers: readonly ProvisionedCustomer[],
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const customer of customers) {
    const secret = customer.impersonationClientSecret;
    if (!secret || !customer.impersonationClientId) continue;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const file = join(directory, `${customer.customerId}.impersonation-client.json`);
    const body = {
      customerId: customer.customerId,
      tenantHost: customer.tenantHost,
      clientId: customer.impersonationClientId,
      clientSecret: secret.reveal(),
    };
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode applies only to a new file.
    await chmod(file, 0o600);
    files.set(customer.customerId, file);
  }
  return files;
}
