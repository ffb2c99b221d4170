// qlik-oem apply with an impersonation client in the config: the secret Qlik answers once goes to a file only the
// operator can read, never to the output; a second apply adopts the client and writes nothing.
import { readFile, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startCliWorld, type CliWorld } from './harness.js';

let world: CliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('qlik-oem apply with impersonationClient', () => {
  it('writes the new client secret to a 0600 file, prints where, and a second apply writes nothing', async () => {
    world = await startCliWorld({ config: { impersonationClient: { name: 'Partner product backend' } } });
    const w = world;
    const apply = await w.run(['apply', '--only', 'c001', '--json']);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    const [customer] = JSON.parse(apply.stdout).customers as Array<{
      impersonationClientId: string;
      impersonationSecretFile: string;
      tenantHost: string;
    }>;
    expect(customer!.impersonationSecretFile).toMatch(/\.qlik-oem\/secrets\/c001\.impersonation-client\.json$/);
    expect((await stat(customer!.impersonationSecretFile)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(customer!.impersonationSecretFile, 'utf8')) as {
      clientId: string;
      clientSecret: string;
      tenantHost: string;
    };
    expect(saved).toMatchObject({ clientId: customer!.impersonationClientId, tenantHost: customer!.tenantHost });
    expect(apply.stdout + apply.stderr).not.toContain(saved.clientSecret);

    // The saved secret is the client's: the tenant gives it a token.
    const token = await w.sim.nodeFetch(`https://${saved.tenantHost}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: saved.clientId,
        client_secret: saved.clientSecret,
      }),
    });
    expect(token.status).toBe(200);

    const writes = w.sim.traffic.writes;
    const again = await w.run(['apply', '--only', 'c001', '--json']);
    expect(again.code).toBe(0);
    const [second] = JSON.parse(again.stdout).customers as Array<Record<string, unknown>>;
    expect(second).toMatchObject({ status: 'unchanged', impersonationClientId: saved.clientId });
    expect(second).not.toHaveProperty('impersonationSecretFile');
    expect(w.sim.traffic.writes).toBe(writes);
    expect(w.sim.violations).toEqual([]);
  }, 120_000);
});
