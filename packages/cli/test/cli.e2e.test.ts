// qlik-oem as an operator runs it: the binary in a child process against a simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { startCliWorld, type CliWorld } from './harness.js';

let world: CliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('qlik-oem plan, apply, status', () => {
  it('plans without a write, applies, then plans nothing to do; status and --json agree', async () => {
    world = await startCliWorld();
    const w = world;

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
    expect(JSON.parse(second.stdout).counts).toMatchObject({ unchanged: 3, provisioned: 0 });
    expect(w.sim.traffic.writes).toBe(writes);
    // The data connection's password never reaches the output.
    for (const out of [plan, apply, again, status, second])
      expect(out.stdout + out.stderr).not.toContain('db-secret-value-42');
    expect(w.sim.violations).toEqual([]);
  }, 120_000);
});
