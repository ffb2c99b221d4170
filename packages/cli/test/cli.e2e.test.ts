// qlik-oem as an operator runs it: the binary in a child process against a simulator.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProvisioningEnvironment } from '@qlik-oem/recipes';
import { describe, expect, it } from 'vitest';
import { startCliWorldForTest, type CliWorld } from './harness.js';

describe('qlik-oem plan, apply, status', () => {
  it('plans without a write, applies, then plans nothing to do; status and --json agree', async () => {
    const w = await startCliWorldForTest();

    const plan = await w.run(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/~ c001\n {4}\+ tenant: /);
    expect(plan.stdout).toContain('Plan: 3 of 3 customers to change: 3 to create');
    expect(w.sim.traffic.writes).toBe(0);

    const apply = await w.run(['apply']);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/^c001 +provisioned +cyberdyne-health\.eu\.qlikcloud\.com/m);
    expect(apply.stdout).toContain('3 provisioned, 0 unchanged, 0 failed, 0 aborted');
    const writes = w.sim.traffic.writes;
    expect(writes).toBeGreaterThan(0);

    const again = await w.run(['plan', '--json', '--detailed-exitcode']);
    expect(again.code, again.stderr).toBe(0);
    const saved = JSON.parse(again.stdout);
    expect(saved.customers.map((c: { changes: boolean }) => c.changes)).toEqual([false, false, false]);

    const status = await w.run(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).customers.map((c: { state: string }) => c.state)).toEqual([
      'provisioned',
      'provisioned',
      'provisioned',
    ]);
    const second = await w.run(['apply', '--json']);
    expect(second.code).toBe(0);
    const secondResult = JSON.parse(second.stdout);
    expect(secondResult.counts).toMatchObject({ unchanged: 3, provisioned: 0 });
    // What each customer's reload fetched, from its log: the template's 6 products (a mapping), the
    // customer's own orders and the section access table (2 end users and 4 service accounts).
    type Fetched = { customerId: string; linesFetched: number; tables: { table: string; lines: number }[] };
    const fetched = secondResult.customers as Fetched[];
    for (const customer of fetched) {
      const lines = Object.fromEntries(customer.tables.map((t) => [t.table, t.lines]));
      expect(lines).toMatchObject({ ProductNames: 6, Access: 6 });
      expect(lines.Orders).toBeGreaterThanOrEqual(24);
      expect(customer.linesFetched).toBe(customer.tables.reduce((sum, t) => sum + t.lines, 0));
      // The first apply's table printed the same count for the customer.
      const row = new RegExp(`^${customer.customerId} +provisioned +\\S+ +\\d+ +(\\d+) `, 'm').exec(apply.stdout);
      expect(Number(row?.[1])).toBe(customer.linesFetched);
    }
    // Each customer's database has orders of its own.
    expect(new Set(fetched.map((c) => c.linesFetched)).size).toBe(3);
    expect(w.sim.traffic.writes).toBe(writes);
    // The data connection's password never reaches the output.
    for (const out of [plan, apply, again, status, second])
      expect(out.stdout + out.stderr).not.toContain('db-secret-value-42');
    expect(w.sim.violations).toEqual([]);
  }, 120_000);
});

/** A change made by hand in one tenant, through Qlik's API (not through qlik-oem). */
async function disableAutoCreateGroups(w: CliWorld, host: string) {
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: 'source.eu.qlikcloud.com',
    oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' },
    fetch: (input, init) => fetch(input, { ...init, dispatcher: w.sim.dispatcher } as unknown as RequestInit),
  });
  const response = await env.tenant(host).groups.PATCH('/api/v1/groups/settings', {
    body: [{ op: 'replace', path: '/autoCreateGroups', value: false }],
  });
  expect(response.response.status).toBe(204);
}

describe('qlik-oem drift', () => {
  it('lists exactly the customer and step a hand-made change touched, and exits 2', async () => {
    const w = await startCliWorldForTest();
    expect((await w.run(['apply', '--only', 'c001,c002'])).code).toBe(0);
    const clean = await w.run(['drift']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain('No drift: 2 provisioned customers inspected.');

    await disableAutoCreateGroups(w, 'prestige-logistics.eu.qlikcloud.com');
    const writes = w.sim.traffic.writes;
    const drift = await w.run(['drift']);
    expect(drift.code).toBe(2);
    expect(drift.stdout.trim().split('\n')).toEqual([
      'c002 groupSettings: update (different /autoCreateGroups)',
      '1 customer(s) drifted: 2 provisioned customers inspected.',
    ]);
    const json = JSON.parse((await w.run(['drift', '--json'])).stdout);
    expect(json.drift).toEqual([
      { customerId: 'c002', step: 'groupSettings', action: 'update', reason: 'different /autoCreateGroups' },
    ]);
    expect(w.sim.traffic.writes).toBe(writes);
  }, 120_000);
});

describe('qlik-oem apply with a saved plan', () => {
  it('applies exactly the plan, and refuses it without a write once the state moved', async () => {
    const w = await startCliWorldForTest();
    expect((await w.run(['plan', '--only', 'c001', '--out', 'one.json'])).code).toBe(0);
    expect((await w.run(['plan', '--out', 'all.json'])).code).toBe(0);
    const applied = await w.run(['apply', 'one.json', '--json']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(JSON.parse(applied.stdout).customers.map((c: { customerId: string }) => c.customerId)).toEqual(['c001']);

    // c001 exists now: the plan that would create it is stale.
    const writes = w.sim.traffic.writes;
    const stale = await w.run(['apply', 'all.json']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('The saved plan is stale; nothing was applied.');
    expect(stale.stderr).toMatch(/c001 tenant: planned "create", now "none"/);
    expect(w.sim.traffic.writes).toBe(writes);
  }, 120_000);
});

describe('qlik-oem status after a killed apply', () => {
  it('shows the customer in progress at its step', async () => {
    // Real time: a reload takes seconds, so the apply is still running when it is killed.
    const w = await startCliWorldForTest({ timeScale: 1 });
    const apply = w.spawn(['apply', '--only', 'c001']);
    const exited = new Promise((resolve) => apply.once('exit', resolve));
    let status: { customers: Array<{ state: string; step?: string }> } | undefined;
    for (let i = 0; i < 600; i++) {
      status = JSON.parse((await w.run(['status', '--json', '--only', 'c001'])).stdout);
      if (status?.customers[0]?.state === 'in progress' && status.customers[0].step === 'reload') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status?.customers[0]).toMatchObject({ state: 'in progress', step: 'reload' });
    apply.kill('SIGKILL');
    await exited;
    const after = await w.run(['status']);
    expect(after.stdout).toMatch(/^c001 +in progress +\S+ +reload/m);
    expect(after.stdout).toContain('0 provisioned, 0 failed, 1 in progress, 2 not started');
  }, 120_000);
});

describe('qlik-oem usage', () => {
  it('answers 64 with a clear message for bad flags, commands and missing variables, without a secret', async () => {
    const w = await startCliWorldForTest();
    const bad = await w.run(['apply', '--concurrency', 'abc']);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      64,
      '--concurrency must be a whole number of at least 1, not "abc"',
    ]);
    expect((await w.run(['aply'])).code).toBe(64);
    expect((await w.run(['plan', '--colour'])).stderr).toContain("Unknown option '--colour'");
    const missing = await w.run(['plan', '--context', 'production'], { QLIK_CLIENT_ID: 'abc' });
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain(
      'contexts.production.clientSecret needs the environment variable QLIK_CLIENT_SECRET',
    );
    const only = await w.run(['status', '--only', 'c999']);
    expect([only.code, only.stderr.trim()]).toEqual([64, '--only: no customer c999 in the fleet file']);
    expect(w.sim.traffic.writes).toBe(0);
  });

  it('refuses a fleet with a mistake before the first write, naming the file, line, customer and field (64)', async () => {
    const w = await startCliWorldForTest();
    const configFile = join(w.dir, 'qlik-oem.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as {
      hydrate: { dataConnection: { connectionString: string }; scriptConnection?: string };
    };
    const write = (change: (c: typeof config) => void) => {
      const copy = structuredClone(config);
      change(copy);
      return writeFile(configFile, JSON.stringify(copy));
    };

    await write((c) => (c.hydrate.dataConnection.connectionString = 'host=db.partner.example;database=analytics'));
    const shared = await w.run(['apply']);
    expect([shared.code, shared.stderr.trim()]).toEqual([
      64,
      `${configFile}: hydrate.dataConnection.connectionString: has neither {alias} nor {customerId}, so every customer would read the same database`,
    ]);

    await write((c) => (c.hydrate.scriptConnection = 'Customer DB'));
    const script = await w.run(['apply']);
    expect(script.code).toBe(64);
    expect(script.stderr).toContain('Nothing was written. Fix the fleet first:');
    expect(script.stderr).toMatch(
      /qlik-oem\.json: hydrate\.scriptConnection\.from: the script of template app "[^"]+" has no LIB CONNECT TO 'Customer DB'/,
    );

    await write(() => undefined);
    await writeFile(
      join(w.dir, 'customers.csv'),
      ['customerId,name,alias', 'c001,One,one-corp', 'c002,Two,two-corp', 'c003,Three,one-corp'].join('\n'),
    );
    const duplicate = await w.run(['apply']);
    expect(duplicate.code).toBe(64);
    expect(duplicate.stderr).toContain(
      'customers.csv line 4 (customer c003): alias: is the same as customers[0]; every tenant needs its own alias',
    );
    expect(duplicate.stderr).not.toContain('db-secret-value-42');
    expect(w.sim.traffic.writes).toBe(0);
  });

  it('has --help on every command, with the same layout', async () => {
    const world = await startCliWorldForTest();
    const main = await world.run(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['plan', 'apply', 'status', 'drift', 'secrets rotate', 'assess', 'simulator']) {
      expect(main.stdout).toContain(`  ${command} `);
      const help = await world.run([...command.split(' '), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: qlik-oem ${command}`));
      expect(help.stdout).toContain('Global options:\n');
    }
  });
});
