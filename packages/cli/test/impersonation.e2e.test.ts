// qlik-oem apply with an impersonation client in the config: the secret Qlik answers once goes to a file only the
// operator can read, never to the output; a second apply adopts the client and writes nothing.
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedSecret, startCliWorldForTest, tokenStatus } from './harness.js';

/** Resolves once the child's stdout has a line matching `pattern`. */
function lineSeen(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`apply exited (${code}) before ${pattern}:\n${seen}`)));
  });
}

describe('qlik-oem apply with impersonationClient', () => {
  it('writes the new client secret to a 0600 file, prints where, and a second apply writes nothing', async () => {
    const w = await startCliWorldForTest({ config: { impersonationClient: { name: 'Partner product backend' } } });
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
    expect(await tokenStatus(w, saved)).toBe(200);

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

describe('qlik-oem apply killed mid-fleet', () => {
  it('has saved the secret of every customer done before the kill, and a re-run keeps them', async () => {
    const w = await startCliWorldForTest({ config: { impersonationClient: { name: 'Partner product backend' } } });
    // One customer at a time; killed as soon as the first one is reported provisioned.
    const apply = w.spawn(['apply', '--concurrency', '1']);
    const exited = new Promise((resolve) => apply.once('exit', resolve));
    await lineSeen(apply, /^\S+ provisioned c001 /m);
    apply.kill('SIGKILL');
    await exited;

    const directory = join(w.dir, '.qlik-oem/secrets');
    // Written whole: the file and no temporary one beside it.
    expect((await readdir(directory)).filter((f) => f.startsWith('c001.'))).toEqual(['c001.impersonation-client.json']);
    expect((await stat(join(directory, 'c001.impersonation-client.json'))).mode & 0o777).toBe(0o600);
    const first = await readSavedSecret(w, 'c001');
    expect(first.tenantHost).toBe('cyberdyne-health.eu.qlikcloud.com');
    expect(await tokenStatus(w, first)).toBe(200);

    // The re-run finishes the fleet without touching c001's client: its saved secret still works.
    const again = await w.run(['apply', '--json']);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const customers = JSON.parse(again.stdout).customers as Array<Record<string, unknown>>;
    expect(customers.map((c) => c['customerId'])).toEqual(['c001', 'c002', 'c003']);
    expect(customers[0]).toMatchObject({ impersonationClientId: first.clientId });
    expect(customers[0]).not.toHaveProperty('impersonationSecretMissing');
    expect(customers[0]).not.toHaveProperty('impersonationSecretFile');
    expect(await readSavedSecret(w, 'c001')).toEqual(first);
    expect(await tokenStatus(w, first)).toBe(200);
    for (const customerId of ['c002', 'c003']) {
      const saved = await readSavedSecret(w, customerId);
      expect(await tokenStatus(w, saved)).toBe(200);
      expect(again.stdout + again.stderr).not.toContain(saved.clientSecret);
    }
    expect(again.stderr).not.toContain('No saved impersonation client secret');
    expect(w.sim.violations).toEqual([]);
  }, 180_000);
});
