// qlik-oem secrets rotate through the binary: the customer's impersonation client gets a new secret, saved to its
// file before the old one is deleted; a save that fails deletes nothing.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedSecret, secretFileOf, startCliWorldForTest, tokenStatus } from './harness.js';

describe('qlik-oem secrets rotate', () => {
  it('saves a new secret that works, then the old one is refused; never prints either', async () => {
    const w = await startCliWorldForTest({ config: { impersonationClient: { name: 'Partner product backend' } } });
    expect((await w.run(['apply', '--only', 'c001,c002'])).code).toBe(0);
    const before = await readSavedSecret(w, 'c001');
    const other = await readSavedSecret(w, 'c002');

    const rotate = await w.run(['secrets', 'rotate', '--only', 'c001', '--json']);
    expect(rotate.code, rotate.stderr + rotate.stdout).toBe(0);
    const after = await readSavedSecret(w, 'c001');
    expect(JSON.parse(rotate.stdout)).toEqual({
      rotated: [
        {
          customerId: 'c001',
          tenantHost: before.tenantHost,
          clientId: before.clientId,
          secretFile: secretFileOf(w, 'c001'),
          deletedSecrets: 1,
        },
      ],
      failed: [],
    });
    expect(after).toMatchObject({ clientId: before.clientId, tenantHost: before.tenantHost });
    expect(after.hint).toMatch(/\S/);
    expect(after.clientSecret).not.toBe(before.clientSecret);
    expect((await stat(secretFileOf(w, 'c001'))).mode & 0o777).toBe(0o600);
    expect(await tokenStatus(w, after)).toBe(200);
    expect(await tokenStatus(w, before)).toBe(401);
    // Only the customer asked for.
    expect(await readSavedSecret(w, 'c002')).toEqual(other);
    expect(await tokenStatus(w, other)).toBe(200);

    const text = await w.run(['secrets', 'rotate', '--only', 'c001']);
    expect(text.code, text.stderr).toBe(0);
    const latest = await readSavedSecret(w, 'c001');
    expect(text.stdout).toBe(
      `c001: new impersonation client secret in ${secretFileOf(w, 'c001')} (1 old deleted)\n1 rotated, 0 failed.\n`,
    );
    for (const out of [rotate, text])
      for (const secret of [before, after, latest, other].map((s) => s.clientSecret))
        expect(out.stdout + out.stderr).not.toContain(secret);
    expect(await tokenStatus(w, latest)).toBe(200);
    expect(await tokenStatus(w, after)).toBe(401);
    expect(w.sim.violations).toEqual([]);
  }, 120_000);

  it('keeps the old secret when the new one cannot be saved; a lost secret is replaced after apply says so', async () => {
    const w = await startCliWorldForTest({ config: { impersonationClient: { name: 'Partner product backend' } } });
    expect((await w.run(['apply', '--only', 'c001'])).code).toBe(0);
    const held = await readSavedSecret(w, 'c001');

    // The secret's file cannot be replaced (a directory holds its name): nothing is deleted.
    await rm(secretFileOf(w, 'c001'));
    await mkdir(join(secretFileOf(w, 'c001'), 'blocked'), { recursive: true });
    const blocked = await w.run(['secrets', 'rotate', '--only', 'c001']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(
      /^c001: not rotated: the new secret could not be saved \(.+\); the old secrets are kept$/m,
    );
    expect(await tokenStatus(w, held)).toBe(200);

    // With the file gone, apply says how to get a secret again, and rotate gives one that works.
    await rm(secretFileOf(w, 'c001'), { recursive: true });
    const apply = await w.run(['apply', '--only', 'c001']);
    expect(apply.code).toBe(0);
    expect(apply.stderr).toContain(
      'No saved impersonation client secret for c001 in ' +
        `${join(w.dir, '.qlik-oem/secrets')}: give its client a new one with \`qlik-oem secrets rotate --only c001\``,
    );
    const rotate = await w.run(['secrets', 'rotate', '--only', 'c001', '--json']);
    expect(rotate.code, rotate.stderr).toBe(0);
    // The held secret and the one made by the failed rotation are both deleted.
    expect(JSON.parse(rotate.stdout).rotated[0]).toMatchObject({ customerId: 'c001', deletedSecrets: 2 });
    const fresh = await readSavedSecret(w, 'c001');
    expect(await tokenStatus(w, fresh)).toBe(200);
    expect(await tokenStatus(w, held)).toBe(401);
    expect((await w.run(['apply', '--only', 'c001'])).stderr).not.toContain('No saved impersonation client secret');
  }, 120_000);

  it('answers 64 without --only or --all, and 1 for a customer not provisioned yet', async () => {
    const w = await startCliWorldForTest({ config: { impersonationClient: { name: 'Partner product backend' } } });
    const none = await w.run(['secrets', 'rotate']);
    expect([none.code, none.stderr.trim()]).toEqual([64, 'secrets rotate needs --only <id,...> or --all']);
    const group = await w.run(['secrets']);
    expect(group.code).toBe(64);
    expect(group.stderr).toContain('Usage: qlik-oem secrets <command> [options]');
    const unknown = await w.run(['secrets', 'rotate', '--only', 'c999']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([64, '--only: no customer c999 in the fleet file']);
    const early = await w.run(['secrets', 'rotate', '--only', 'c003', '--json']);
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout)).toEqual({
      rotated: [],
      failed: [{ customerId: 'c003', error: 'no tenant in the journal: run `qlik-oem apply` first' }],
    });
    const config = JSON.parse(await readFile(join(w.dir, 'qlik-oem.json'), 'utf8')) as Record<string, unknown>;
    delete config['impersonationClient'];
    await writeFile(join(w.dir, 'qlik-oem.json'), JSON.stringify(config));
    const noClient = await w.run(['secrets', 'rotate', '--all']);
    expect(noClient.code).toBe(64);
    expect(noClient.stderr).toContain('no impersonationClient, so no customer has a client to rotate');
    expect(w.sim.traffic.writes).toBe(0);
  });
});
