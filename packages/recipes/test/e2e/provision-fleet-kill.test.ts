import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, prepareTemplate, stateByAlias } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness, type OnboardHarness } from './onboard-harness.js';

const childDir = fileURLToPath(new URL('./fleet-kill/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const CUSTOMERS = 6;
const KILLS = 3;
const TIME_SCALE = 200;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child; with `killAfterSteps`, SIGKILLs it after that many step boundaries plus `delayMs`. */
function runChild(
  configPath: string,
  kill?: { afterSteps: number; delayMs: number } | { onLine: string },
): Promise<{ stdout: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(childDir, 'child.ts'), configPath], {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(childDir, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let steps = 0;
    let scheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      steps += text.split('\n').filter((line) => line.startsWith('step:')).length;
      if (
        kill &&
        !scheduled &&
        ('onLine' in kill ? stdout.split('\n').includes(kill.onLine) : steps >= kill.afterSteps)
      ) {
        scheduled = true;
        setTimeout(() => child.kill('SIGKILL'), 'onLine' in kill ? 0 : kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ stdout, killed: signal === 'SIGKILL' });
    });
  });
}

describe('provisionFleet killed with SIGKILL and resumed (real child processes)', () => {
  let h: OnboardHarness;
  let workDir: string;
  beforeEach(async () => {
    h = await startOnboardHarness({ timeScale: TIME_SCALE });
    workDir = await mkdtemp(join(tmpdir(), 'fleet-kill-'));
  });
  afterEach(async () => {
    await h.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('ends with exactly one tenant, IdP, group set, space pair and app pair per customer', async () => {
    const seed = Number(process.env.FLEET_KILL_SEED ?? Date.now() % 100_000);
    const random = mulberry32(seed);
    const customers = sampleCustomers(CUSTOMERS);
    const templateAppId = await prepareTemplate(h.env);
    const configPath = join(workDir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        port: h.sim.port,
        timeScale: TIME_SCALE,
        journalDirectory: join(workDir, 'journal'),
        templateAppId,
        partner: samplePartner(),
        customers,
      }),
    );

    // Each customer runs 17 steps (34 step boundaries); kill somewhere inside the fleet's run.
    let kills = 0;
    for (let round = 0; round < KILLS; round++) {
      const plan = { afterSteps: 1 + Math.floor(random() * CUSTOMERS * 17), delayMs: Math.floor(random() * 40) };
      const run = await runChild(configPath, plan);
      if (run.killed) kills++;
    }
    const final = await runChild(configPath);
    const summary = JSON.parse(final.stdout.split('\n').find((line) => line.startsWith('{'))!) as {
      counts: Record<string, number>;
      failed: string[];
    };
    expect(summary.failed, `seed ${seed}`).toEqual([]);
    expect((summary.counts.provisioned ?? 0) + (summary.counts.unchanged ?? 0), `seed ${seed}`).toBe(CUSTOMERS);
    expect(kills, `seed ${seed}: at least one run was killed`).toBeGreaterThan(0);

    const state = stateByAlias(h.sim);
    for (const customer of customers) {
      const entry = state.get(customer.alias);
      expect(entry, `seed ${seed}: ${customer.alias}`).toBeDefined();
      expect(
        { tenants: entry!.tenants, idps: entry!.idps, groups: entry!.groups.sort() },
        `seed ${seed}: ${customer.alias}`,
      ).toEqual({
        tenants: 1,
        idps: 1,
        groups: ['Analytics Consumers', 'Analytics Contributors', 'Partner Support'],
      });
      const content = await contentOf(h.env, entry!.tenantHost);
      expect(content, `seed ${seed}: ${customer.alias}`).toEqual({
        spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
        apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
      });
    }
    // A kill between the tenant create and its journal line is reconciled through the Organization
    // API on resume: no orphans, no duplicates.
    const orphans = h.sim.state.tenants.size - 1 - CUSTOMERS;
    expect(orphans, `seed ${seed}`).toBe(0);
    expect(h.sim.violations).toEqual([]);
  }, 60_000);

  it('a kill inside the create window leaves no orphan: the resumed run adopts the tenant it made', async () => {
    const customers = sampleCustomers(1);
    const configPath = join(workDir, 'config.json');
    const config = {
      port: h.sim.port,
      timeScale: TIME_SCALE,
      journalDirectory: join(workDir, 'journal'),
      templateAppId: await prepareTemplate(h.env),
      partner: samplePartner(),
      customers,
    };
    await writeFile(configPath, JSON.stringify({ ...config, hangAfterTenantCreate: true }));
    const killed = await runChild(configPath, { onLine: 'tenant-created' });
    expect(killed.killed).toBe(true);
    expect(h.sim.state.tenants.size).toBe(2); // the source tenant and the one created before the kill

    await writeFile(configPath, JSON.stringify(config));
    const resumed = await runChild(configPath);
    const summary = JSON.parse(resumed.stdout.split('\n').find((line) => line.startsWith('{'))!) as {
      counts: Record<string, number>;
      tenantReasons: Record<string, string>;
    };
    expect(summary.counts.provisioned).toBe(1);
    expect(summary.tenantReasons.c001).toContain('adopted the tenant an earlier create made');
    // The tenant created before the kill is the customer's: no second one, none without the alias.
    expect(stateByAlias(h.sim).get('customer-001')?.tenants).toBe(1);
    expect(h.sim.state.tenants.size).toBe(2);
    const orphans = [...h.sim.state.tenants.values()].filter(
      (t) => t.hostnames.length === 1 && t.hostnames[0] !== 'source.eu.qlikcloud.com',
    );
    expect(orphans).toHaveLength(0);
    expect(h.sim.violations).toEqual([]);
  }, 60_000);
});
