import { QlikAuthError, QlikValidationError, isQlikValidationError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryJournalStore,
  FleetStoppedError,
  planFleet,
  RecipeStepError,
  runFleet,
  type RecipeEvent,
} from '../src/index.js';
import { MemoryResourceStore } from './helpers/fake-store.js';
import { idRecipe, type SampleInput, sampleRecipe, sampleRun } from './helpers/sample-recipe.js';

const customer = (n: number): SampleInput => ({
  customerId: `c${n}`,
  alias: `tenant-${n}`,
  spaceName: `Space ${n}`,
  groups: ['users'],
});
const customers = (count: number) => Array.from({ length: count }, (_, n) => customer(n));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-step recipe whose step takes `delays[customerId]` ms and tracks how many run at once. */
function timedRecipe(delays: Record<string, number>, fail: Set<string> = new Set()) {
  const stats = { inFlight: 0, maxInFlight: 0, finished: [] as string[] };
  const recipe = idRecipe('timed').step({
    name: 'work',
    async inspect(ctx) {
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(timer);
            reject(ctx.signal.reason);
          };
          const timer = setTimeout(() => {
            ctx.signal.removeEventListener('abort', onAbort);
            resolve();
          }, delays[ctx.customerId] ?? 5);
          ctx.signal.addEventListener('abort', onAbort, { once: true });
        });
      } finally {
        stats.inFlight--;
      }
      if (fail.has(ctx.customerId)) throw new QlikAuthError({ status: 403 });
      stats.finished.push(ctx.customerId);
      return { action: 'none', reason: 'done', outputs: null };
    },
    async apply() {
      return null;
    },
  });
  return { recipe, stats };
}

describe('runFleet', () => {
  it('provisions every customer, and a second run reports them unchanged without writes', async () => {
    const { store, journal } = sampleRun();
    const first = await runFleet(sampleRecipe(store), customers(20), { journal });
    expect(first.counts).toEqual({ provisioned: 20, unchanged: 0, failed: 0, aborted: 0 });
    expect(first.customers.map((result) => result.customerId)).toEqual(customers(20).map((c) => c.customerId));
    expect(store.count('tenant')).toBe(20);
    const writes = store.writes;

    const second = await runFleet(sampleRecipe(store), customers(20), { journal });
    expect(second.counts.unchanged).toBe(20);
    expect(store.writes).toBe(writes);
  });

  it('never runs more than `concurrency` customers at once, and uses all of it', async () => {
    const { recipe, stats } = timedRecipe({});
    await runFleet(
      recipe,
      Array.from({ length: 30 }, (_, i) => ({ id: `c${i}` })),
      { journal: createMemoryJournalStore(), concurrency: 4 },
    );
    expect(stats.maxInFlight).toBe(4);
    expect(stats.finished).toHaveLength(30);
  });

  it('runs 64 customers at once by default without listener warnings', async () => {
    const { recipe, stats } = timedRecipe({});
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      await runFleet(
        recipe,
        Array.from({ length: 100 }, (_, i) => ({ id: `c${i}` })),
        { journal: createMemoryJournalStore() },
      );
      await sleep(10); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(stats.maxInFlight).toBe(64);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('does not hold other customers behind a slow one', async () => {
    const { recipe, stats } = timedRecipe({ slow: 800 });
    const inputs = [{ id: 'slow' }, ...Array.from({ length: 12 }, (_, i) => ({ id: `fast${i}` }))];
    const result = await runFleet(recipe, inputs, { journal: createMemoryJournalStore(), concurrency: 2 });
    expect(result.counts.unchanged).toBe(13);
    // With 2 workers, the 12 fast customers all finish on the other worker while "slow" is still running.
    expect(stats.finished.at(-1)).toBe('slow');
  });

  it("isolates one customer's failure from the others", async () => {
    const store = new MemoryResourceStore();
    let spaceWrites = 0;
    store.beforeWrite = async (_op, kind) => {
      await sleep(1);
      // The third customer's space create is refused.
      if (kind === 'space' && ++spaceWrites === 3) throw new QlikAuthError({ status: 403, statusText: 'Forbidden' });
    };
    const events: RecipeEvent[] = [];
    const result = await runFleet(sampleRecipe(store), customers(6), {
      journal: createMemoryJournalStore(),
      concurrency: 1,
      onEvent: (event) => events.push(event),
    });
    expect(result.counts).toEqual({ provisioned: 5, unchanged: 0, failed: 1, aborted: 0 });
    const failed = result.customers[2]!;
    expect(failed).toMatchObject({ customerId: 'c2', status: 'failed' });
    expect(failed.error).toBeInstanceOf(RecipeStepError);
    expect((failed.error as RecipeStepError).message).toContain('customer "c2" at step "space"');
    expect(failed.steps.map((step) => step.step)).toEqual(['tenant', 'settings']);
    const customerEvents = events.filter((event) => event.type === 'customer:start' || event.type === 'customer:done');
    expect(customerEvents.slice(0, 2)).toMatchObject([
      { type: 'customer:start', customerId: 'c0' },
      { type: 'customer:done', customerId: 'c0', status: 'provisioned' },
    ]);
    expect(customerEvents.find((event) => event.customerId === 'c2' && event.type === 'customer:done')).toMatchObject({
      status: 'failed',
    });
  });

  it('stops starting customers and aborts those in flight on the first failure with failFast', async () => {
    const { recipe, stats } = timedRecipe({ bad: 5, long1: 2_000, long2: 2_000 }, new Set(['bad']));
    const inputs = [{ id: 'long1' }, { id: 'bad' }, { id: 'long2' }, { id: 'later1' }, { id: 'later2' }];
    const started = Date.now();
    const result = await runFleet(recipe, inputs, {
      journal: createMemoryJournalStore(),
      concurrency: 3,
      failFast: true,
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.customers.map((r) => r.status)).toEqual(['aborted', 'failed', 'aborted', 'aborted', 'aborted']);
    expect(result.customers[0]!.error).toBeInstanceOf(FleetStoppedError);
    expect(result.customers[3]!.error).toBeInstanceOf(FleetStoppedError);
    expect(stats.finished).toEqual([]);
  });

  it('can be aborted by the caller', async () => {
    const { recipe } = timedRecipe({ a: 2_000, b: 2_000, c: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const result = await runFleet(recipe, [{ id: 'a' }, { id: 'b' }, { id: 'c' }], {
      journal: createMemoryJournalStore(),
      concurrency: 2,
      signal: controller.signal,
    });
    expect(result.counts.aborted).toBe(3);
    expect((result.customers[0]!.error as Error).name).toBe('AbortError');
  });

  it('validates every customer before starting any, naming the bad field', async () => {
    const store = new MemoryResourceStore();
    const inputs: SampleInput[] = customers(5);
    inputs[3] = { ...inputs[3]!, alias: 'Not A Label' };
    const error = await runFleet(sampleRecipe(store), inputs, { journal: createMemoryJournalStore() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QlikValidationError);
    expect((error as Error).message).toContain(
      'customers[3].alias: must be a DNS label (lowercase letters, digits, hyphens)',
    );
    expect(store.reads).toBe(0);

    const duplicate = await runFleet(sampleRecipe(store), [customer(1), customer(2), customer(1)], {
      journal: createMemoryJournalStore(),
    }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(QlikValidationError);
    expect((duplicate as Error).message).toContain('customers[2]: has the same customer id "c1" as customers[0]');
  });

  it('resumes a failed customer from its journal on the next fleet run', async () => {
    const { store, journal } = sampleRun();
    store.beforeWrite = (_op, kind) => {
      if (kind === 'group') throw new QlikAuthError({ status: 403 });
    };
    const first = await runFleet(sampleRecipe(store), customers(3), { journal });
    expect(first.counts.failed).toBe(3);
    store.beforeWrite = undefined;
    const second = await runFleet(sampleRecipe(store), customers(3), { journal, resume: 'trust' });
    expect(second.counts.provisioned).toBe(3);
    for (const result of second.customers) {
      expect(result.steps.map((step) => step.trusted)).toEqual([true, true, true, false]);
    }
    expect(store.count('tenant')).toBe(3);
    expect(store.count('group')).toBe(3);
  });

  it('plans a fleet without writing: only customers with drift would change', async () => {
    const { store, journal } = sampleRun();
    await runFleet(sampleRecipe(store), customers(4), { journal });
    const writes = store.writes;
    const inputs = customers(5);
    inputs[1] = { ...inputs[1]!, groups: ['users', 'auditors'] };

    const plan = await planFleet(sampleRecipe(store), inputs, { journal, concurrency: 2 });
    expect(plan.changes).toBe(2);
    expect(plan.customers.map((entry) => entry.plan?.changes)).toEqual([false, true, false, false, true]);
    expect(plan.customers[1]!.plan!.steps.find((step) => step.action !== 'none')).toMatchObject({
      step: 'groups',
      action: 'create',
    });
    expect(plan.customers[4]!.plan!.steps.map((step) => step.action)).toEqual([
      'create',
      'depends',
      'depends',
      'depends',
    ]);
    expect(store.writes).toBe(writes);
  });
});

describe('fleet options', () => {
  it('refuses a concurrency that is not a whole number of at least 1 with a QlikValidationError naming it', async () => {
    const recipe = idRecipe('noop');
    for (const concurrency of [0, 1.5, Number.NaN, 'abc' as unknown as number]) {
      const error = await runFleet(recipe, [{ id: 'a' }], { concurrency }).catch((e: unknown) => e);
      expect(isQlikValidationError(error), String(concurrency)).toBe(true);
      expect((error as Error).message).toContain('concurrency: must be a whole number of at least 1');
    }
  });
});
