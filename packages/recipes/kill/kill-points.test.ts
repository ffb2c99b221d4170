// Kill points: the whole per-customer chain (onboarding, hydrate from the template, multi-cloud distribution)
// is "killed" right after each of its HTTP requests in turn — the simulator processed the request, the SDK
// never saw the answer, nothing of that SDK instance runs again — and a fresh SDK instance resumes from the
// journal alone. Every point must end with the customer provisioned exactly as an uninterrupted run leaves it:
// no orphan tenant, no second space, app, IdP, connection, deployment or QSEoW rule.
// `npm run test:kill` (its own bounded CI step); KILL_POINTS_STRIDE=n tries every nth point only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, type ProvisionFleetResult } from '../src/index.js';
import { customerInventory, startKillWorld, type KillWorld } from '../test/e2e/kill-world.js';

const STRIDE = Math.max(1, Number(process.env.KILL_POINTS_STRIDE ?? 1));
const SOURCE = 'source.eu.qlikcloud.com';

interface Customer {
  customerId: string;
  name: string;
  alias: string;
}
const customer = (id: string): Customer => ({ customerId: id, name: `Customer ${id}`, alias: `kill-${id}` });

/** A request as `METHOD host path` with the customer's hosts and resource ids replaced, to compare chains. */
function shape(request: string, alias: string): string {
  return request
    .replace(`${alias}.eu.qlikcloud.com`, '<alias>')
    .replace(/tenant-[a-z0-9]+\.eu\.qlikcloud\.com/, '<primary>')
    .replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '/:id')
    .replace(/\/(?=[A-Za-z0-9_-]{20,}(\/|$))(?=[^/]*\d)[A-Za-z0-9_-]+/g, '/:id');
}

/** What a customer ended with, with its own name taken out so two customers compare equal. */
async function inventory(world: KillWorld, c: Customer) {
  const found = await customerInventory(world.observer, world.sim, c.alias);
  return JSON.parse(JSON.stringify(found).replaceAll(c.name, '<name>')) as typeof found;
}

function outcome(result: ProvisionFleetResult): string {
  return result.customers
    .map(
      (c) =>
        `${c.customerId}: ${c.status}${c.error instanceof Error ? ` (${c.error.message})` : c.error ? ` (${JSON.stringify(c.error)})` : ''}`,
    )
    .join('; ');
}

/** Problems with the world after `customers` ran: orphan tenants, duplicate QSEoW entities, spec violations. */
async function worldProblems(world: KillWorld, customers: Customer[]): Promise<string[]> {
  const problems: string[] = [];
  const hosts = new Set(customers.map((c) => `${c.alias}.eu.qlikcloud.com`));
  const orphans = [...world.sim.state.tenants.values()].filter(
    (t) => !t.hostnames.includes(SOURCE) && !t.hostnames.some((h) => hosts.has(h)),
  );
  if (orphans.length > 0) problems.push(`orphan tenants ${orphans.map((t) => t.hostnames.join('|')).join(', ')}`);
  const site = await world.qseowInventory();
  for (const [what, names] of Object.entries(site)) {
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) problems.push(`duplicate QSEoW ${what}: ${twice.join(', ')}`);
  }
  if (site.deployments.length !== customers.length)
    problems.push(`${site.deployments.length} deployments for ${customers.length} customers`);
  if (world.sim.violations.length > 0) problems.push(`spec violations: ${JSON.stringify(world.sim.violations)}`);
  return problems;
}

/** The reference: one uninterrupted run of `c` in `world`, its request shapes and what it ends with. */
async function referenceRun(world: KillWorld, c: Customer) {
  const sdk = world.instance(createMemoryJournalStore());
  const result = await sdk.run([c]);
  expect(outcome(result)).toBe(`${c.customerId}: provisioned`);
  return { chain: sdk.requests.map((r) => shape(r, c.alias)), inventory: await inventory(world, c) };
}

/**
 * Kills a run of `c` after its `killAfter`th request (and, when given, the resumed run after its
 * `resumeKillAfter`th), then resumes to the end. Returns what went wrong, or nothing.
 */
async function killAndResume(
  world: KillWorld,
  c: Customer,
  expected: { chain: string[]; inventory: unknown },
  killAfter: number,
  resumeKillAfter?: number,
): Promise<string[]> {
  const storage = createMemoryJournalStore();
  const tenantsBefore = world.sim.state.tenants.size;
  const runUntilDeath = async (n: number, chain: string[] | undefined) => {
    const sdk = world.instance(storage, n);
    await sdk.run([c]).catch(() => undefined); // whatever a dying process returns, nobody reads it
    if (!sdk.dead) return [`the run ended before its request ${n}`];
    const shapes = sdk.requests.slice(0, n).map((r) => shape(r, c.alias));
    if (chain && JSON.stringify(shapes) !== JSON.stringify(chain.slice(0, n)))
      return [
        `not the reference chain: ${shapes.find((s, i) => s !== chain[i])} at ${shapes.findIndex((s, i) => s !== chain[i]) + 1}`,
      ];
    return [];
  };
  const problems = await runUntilDeath(killAfter, expected.chain);
  if (problems.length > 0) return problems;
  if (resumeKillAfter !== undefined) {
    const again = await runUntilDeath(resumeKillAfter, undefined);
    if (again.length > 0) return again;
  }
  const resumed = await world.instance(storage).run([c]);
  if (!['provisioned', 'unchanged'].includes(resumed.customers[0]!.status)) return [`resume: ${outcome(resumed)}`];
  if (resumed.possibleOrphans.length > 0) return [`possible orphans ${resumed.possibleOrphans.join(', ')}`];
  const made = world.sim.state.tenants.size - tenantsBefore;
  if (made !== 1) return [`${made} tenants made for one customer`];
  const found = await inventory(world, c);
  if (JSON.stringify(found) !== JSON.stringify(expected.inventory))
    return [`ended with ${JSON.stringify(found)}, expected ${JSON.stringify(expected.inventory)}`];
  return [];
}

const points = (length: number) => Array.from({ length }, (_, i) => i + 1).filter((n) => n % STRIDE === 0 || n === 1);

describe('kill points (strict simulator, in-process deaths, memory journal surviving)', () => {
  it('the first customer of a site: killed after each request, resumed, in a fresh world each time', async () => {
    const ref = await startKillWorld();
    const expected = await referenceRun(ref, customer('a'));
    expect(await worldProblems(ref, [customer('a')])).toEqual([]);
    await ref.close();
    const failures: string[] = [];
    for (const n of points(expected.chain.length)) {
      const world = await startKillWorld();
      try {
        const problems = [
          ...(await killAndResume(world, customer('a'), expected, n)),
          ...(await worldProblems(world, [customer('a')])),
        ];
        failures.push(...problems.map((p) => `after request ${n} (${expected.chain[n - 1]}): ${p}`));
      } finally {
        await world.close();
      }
    }
    expect(failures).toEqual([]);
    // With the two chains below, well over 200 kill points.
    expect(expected.chain.length).toBeGreaterThanOrEqual(80);
  }, 1_200_000);

  describe('a site that already serves customers', () => {
    let world: KillWorld;
    let expected: { chain: string[]; inventory: unknown };
    const ran: Customer[] = [customer('warm'), customer('ref')];
    beforeAll(async () => {
      world = await startKillWorld();
      await referenceRun(world, ran[0]!); // creates the site's shared entities
      expected = await referenceRun(world, ran[1]!);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
    });

    it('a new customer: killed after each request, resumed', async () => {
      const failures: string[] = [];
      for (const n of points(expected.chain.length)) {
        const c = customer(`c${n}`);
        ran.push(c);
        const problems = await killAndResume(world, c, expected, n);
        failures.push(...problems.map((p) => `after request ${n} (${expected.chain[n - 1]}): ${p}`));
      }
      failures.push(...(await worldProblems(world, ran)));
      expect(failures).toEqual([]);
      expect(expected.chain.length).toBeGreaterThanOrEqual(80);
    }, 1_200_000);

    it('killed between the tenant create and its answer, then again after each request of the resume', async () => {
      const create = expected.chain.indexOf('POST register.eu.qlikcloud.com/api/v1/tenants') + 1;
      expect(create).toBeGreaterThan(0);
      // The resumed run's chain: reconcile through the Organization API, then the rest.
      const probe = customer('probe');
      ran.push(probe);
      const storage = createMemoryJournalStore();
      const first = world.instance(storage, create);
      await first.run([probe]).catch(() => undefined);
      const resume = world.instance(storage);
      expect(outcome(await resume.run([probe]))).toBe('probe: provisioned');
      expect(resume.requests.some((r) => r.startsWith('GET console.qlikcloud.com/api/core/tenants'))).toBe(true);
      expect(resume.requests).not.toContain('POST register.eu.qlikcloud.com/api/v1/tenants');
      const failures: string[] = [];
      for (const m of points(resume.requests.length)) {
        const c = customer(`r${m}`);
        ran.push(c);
        const problems = await killAndResume(world, c, expected, create, m);
        failures.push(...problems.map((p) => `after the create, then after resumed request ${m}: ${p}`));
      }
      failures.push(...(await worldProblems(world, ran)));
      expect(failures).toEqual([]);
      expect(resume.requests.length).toBeGreaterThanOrEqual(70);
    }, 1_200_000);
  });
});
