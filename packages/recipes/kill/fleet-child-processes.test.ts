import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstJsonLine, linesEqual, runTsxChildToEnd } from '../test/helpers/child-process.js';
import { contentOf, prepareTemplate, stateByAlias } from '../test/e2e/fleet-fixtures.js';
import {
  sampleCustomers,
  samplePartner,
  startOnboardHarness,
  type OnboardHarness,
} from '../test/e2e/onboard-harness.js';

const childDir = fileURLToPath(new URL('../test/e2e/fleet-kill/', import.meta.url));
const CUSTOMERS = 6;
const TIME_SCALE = 200;
// Three deaths in a row on one journal, each after the killed process's Nth request (counted from its
// own start): early in onboarding, inside the tenant creates, and deep in hydrate.
const KILL_POINTS = [12, 9, 120];

interface Summary {
  counts: Record<string, number>;
  failed: string[];
  tenantReasons: Record<string, string>;
  possibleOrphans: string[];
  requests: number;
}

type Stop =
  /** SIGKILL once the child's Nth request was answered (the child holds that answer back). */
  | { afterRequests: number }
  /** SIGKILL on this stdout line. */
  | { onLine: string }
  /** This signal once `creates` tenant creates are in flight. */
  | { signal: 'SIGINT' | 'SIGTERM'; creates: number };

// A container runs its job as PID 1, and so does the restarted one: a PID namespace makes the child PID 1 here.
const AS_PID_1 = ['unshare', '--pid', '--fork', '--kill-child'];
const canUnshare = spawnSync(AS_PID_1[0]!, [...AS_PID_1.slice(1), 'true']).status === 0;
if (!canUnshare) console.warn('unshare --pid is not permitted here: skipping the PID 1 restart test');

async function runChild(
  configPath: string,
  stop?: Stop,
  wrapper: string[] = [],
): Promise<{ stdout: string; killed: boolean; summary?: Summary }> {
  let sent = false;
  const signalOnce = (child: ChildProcess, signal: NodeJS.Signals) => {
    sent = true;
    child.kill(signal);
  };
  const { stdout, signal } = await runTsxChildToEnd({
    script: join(childDir, 'child.ts'),
    args: [configPath],
    tsconfig: join(childDir, 'tsconfig.json'),
    wrapper,
    onStdout: (out, child) => {
      if (!stop || sent) return;
      const lines = out.split('\n');
      if ('afterRequests' in stop && lines.some((line) => line.startsWith('kill-point '))) signalOnce(child, 'SIGKILL');
      else if ('onLine' in stop && lines.includes(stop.onLine)) signalOnce(child, 'SIGKILL');
      else if ('signal' in stop && linesEqual(out, 'create-sent') >= stop.creates) signalOnce(child, stop.signal);
    },
  });
  const summary = firstJsonLine<Summary>(stdout);
  return { stdout, killed: signal === 'SIGKILL', ...(summary ? { summary } : {}) };
}

describe('provisionFleet killed and stopped in real child processes, then resumed', () => {
  let h: OnboardHarness;
  let workDir: string;
  beforeEach(async () => {
    // Tenant creates take 2 real seconds, so a signal can land while several are in flight.
    h = await startOnboardHarness({
      timeScale: TIME_SCALE,
      latency: { readMs: 0, writeMs: 0, operations: { 'POST /api/v1/tenants': 400_000 } },
    });
    workDir = await mkdtemp(join(tmpdir(), 'fleet-kill-'));
    templateAppId = undefined;
  });
  afterEach(async () => {
    await h.close();
    await rm(workDir, { recursive: true, force: true });
  });

  let templateAppId: string | undefined;
  async function writeConfig(customers: ReturnType<typeof sampleCustomers>, extra: Record<string, unknown> = {}) {
    const configPath = join(workDir, 'config.json');
    templateAppId ??= await prepareTemplate(h.env);
    await writeFile(
      configPath,
      JSON.stringify({
        port: h.sim.port,
        timeScale: TIME_SCALE,
        journalDirectory: join(workDir, 'journal'),
        templateAppId,
        partner: samplePartner(),
        customers,
        ...extra,
      }),
    );
    return configPath;
  }

  /** The resumed run provisioned everyone, and the simulator holds exactly one of each resource per customer. */
  async function expectConverged(summary: Summary | undefined, customers: ReturnType<typeof sampleCustomers>) {
    expect(summary?.failed).toEqual([]);
    expect(summary?.possibleOrphans).toEqual([]);
    expect((summary?.counts.provisioned ?? 0) + (summary?.counts.unchanged ?? 0)).toBe(customers.length);
    const state = stateByAlias(h.sim);
    for (const customer of customers) {
      const entry = state.get(customer.alias);
      expect(entry, customer.alias).toBeDefined();
      expect({ tenants: entry!.tenants, idps: entry!.idps, groups: entry!.groups.sort() }, customer.alias).toEqual({
        tenants: 1,
        idps: 1,
        groups: ['Analytics Consumers', 'Analytics Contributors', 'Partner Support'],
      });
      expect(await contentOf(h.env, entry!.tenantHost), customer.alias).toEqual({
        spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
        apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
      });
    }
    // No orphans: every tenant but the source one is a customer's.
    expect(h.sim.state.tenants.size).toBe(1 + customers.length);
    expect(h.sim.violations).toEqual([]);
  }

  it(`SIGKILLed after requests ${KILL_POINTS.join(', ')} in turn: one tenant, IdP, group set, space pair and app pair per customer`, async () => {
    const customers = sampleCustomers(CUSTOMERS);
    for (const afterRequests of KILL_POINTS) {
      const configPath = await writeConfig(customers, { hangAfterRequests: afterRequests });
      const run = await runChild(configPath, { afterRequests });
      expect(run.killed, `kill after request ${afterRequests}`).toBe(true);
    }
    const final = await runChild(await writeConfig(customers));
    await expectConverged(final.summary, customers);
  }, 90_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while tenant creates are in flight: they finish and are journaled; the resume provisions everyone`, async () => {
      const customers = sampleCustomers(CUSTOMERS);
      const stopped = await runChild(await writeConfig(customers, { stopOnSignals: true }), { signal, creates: 4 });
      expect(stopped.stdout).toContain(`stopping ${signal}`);
      // The stopped run journaled every create it sent: none of its tenants is left to reconciliation.
      const made = h.sim.state.tenants.size - 1;
      expect(made).toBeGreaterThanOrEqual(4);
      expect(stopped.summary?.possibleOrphans).toEqual([]);

      const resumed = await runChild(await writeConfig(customers));
      for (const [customerId, reason] of Object.entries(resumed.summary?.tenantReasons ?? {}))
        expect(reason, customerId).not.toContain('adopted the tenant an earlier create made');
      await expectConverged(resumed.summary, customers);
    }, 90_000);
  }

  const createWindow = async (wrapper: string[]) => {
    const customers = sampleCustomers(1);
    const killed = await runChild(
      await writeConfig(customers, { hangAfterTenantCreate: true }),
      { onLine: 'tenant-created' },
      wrapper,
    );
    expect(killed.killed).toBe(true);
    if (wrapper.length > 0) expect(killed.stdout).toContain('pid 1\n');
    expect(h.sim.state.tenants.size).toBe(2); // the source tenant and the one created before the kill

    // The restarted job waits for the killed one's lease to run out (it may have the same pid), then resumes.
    const resumed = await runChild(await writeConfig(customers), undefined, wrapper);
    if (wrapper.length > 0) expect(resumed.stdout).toContain('pid 1\n');
    const summary = resumed.summary!;
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
  };

  it('a kill inside the create window leaves no orphan: the resumed run adopts the tenant it made', async () => {
    await createWindow([]);
  }, 60_000);

  it.runIf(canUnshare)(
    'the same with the job and its restart both PID 1, as in a container',
    async () => {
      await createWindow(AS_PID_1);
    },
    60_000,
  );
});
