import { inspect } from 'node:util';
import { QlikAuthError, QlikError, QlikRateLimitError, QlikValidationError } from '@qlik-oem/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  applyRecipe,
  createMemoryJournalStore,
  defineRecipe,
  planRecipe,
  RecipeEvents,
  RecipeStepError,
  Secret,
  type JournalEntry,
  type JournalStore,
  type RecipeEvent,
} from '../src/index.js';
import { MemoryResourceStore } from './helpers/fake-store.js';
import { idRecipe, type SampleInput, sampleRecipe, sampleRun } from './helpers/sample-recipe.js';

const acme: SampleInput = { customerId: 'acme', alias: 'acme', spaceName: 'Acme (prod)', groups: ['sales', 'finance'] };
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

/** What a trusting resume of `interruptedRun` takes on trust: every step before groups. */
const TRUSTED_BEFORE_GROUPS = [
  ['tenant', true],
  ['settings', true],
  ['space', true],
  ['groups', false],
];

/** A run of the sample recipe that the groups step stops with a 403: every step before it is done and journaled. */
async function interruptedRun(store: MemoryResourceStore, journal: JournalStore, input: SampleInput) {
  store.beforeWrite = (_op, kind) => {
    if (kind === 'group') throw new QlikAuthError({ status: 403, statusText: 'Forbidden' });
  };
  await expect(applyRecipe(sampleRecipe(store), input, { journal })).rejects.toThrow(RecipeStepError);
  store.beforeWrite = undefined;
}

describe('applyRecipe', () => {
  it('provisions a new customer, and a second run converges without writing anything', async () => {
    const { store, journal, recipe } = sampleRun();

    const first = await applyRecipe(recipe, acme, { journal });
    expect(first.status).toBe('provisioned');
    expect(first.steps.map((step) => [step.step, step.action])).toEqual([
      ['tenant', 'create'],
      ['settings', 'update'],
      ['space', 'create'],
      ['groups', 'create'],
    ]);
    expectTypeOf(first.outputs.tenant.tenantId).toEqualTypeOf<string>();
    expect(first.outputs.space.spaceId).toBe([...store.resources.values()].find((r) => r.kind === 'space')?.id);
    const writesAfterFirst = store.writes;
    expect(writesAfterFirst).toBe(5);

    const second = await applyRecipe(recipe, acme, { journal });
    expect(second.status).toBe('unchanged');
    expect(second.steps.every((step) => step.action === 'none')).toBe(true);
    expect(store.writes).toBe(writesAfterFirst);
    expect(second.outputs).toEqual(first.outputs);
  });

  it('writes only what drifted', async () => {
    const { store, journal, recipe } = sampleRun();
    await applyRecipe(recipe, acme, { journal });
    const writes = store.writes;

    const result = await applyRecipe(recipe, { ...acme, groups: ['sales', 'finance', 'hr'] }, { journal });
    expect(result.steps.filter((step) => step.action !== 'none').map((step) => step.step)).toEqual(['groups']);
    expect(store.writes).toBe(writes + 1);
    expect(store.count('group')).toBe(3);
  });

  it('validates the input before any step runs', async () => {
    const store = new MemoryResourceStore();
    const error = await applyRecipe(sampleRecipe(store), { ...acme, alias: 'Acme_Corp' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QlikValidationError);
    expect((error as Error).message).toContain('alias: must be a DNS label (lowercase letters, digits, hyphens)');
    expect(store.reads + store.writes).toBe(0);
  });
});

describe('defineRecipe', () => {
  it('rejects a second step with the same name, at compile time and at run time', () => {
    const base = idRecipe('dup').step({
      name: 'one',
      inspect: async () => ({ action: 'none', reason: '', outputs: 1 }),
      apply: async () => 1,
    });
    expect(() =>
      base.step({
        // @ts-expect-error duplicate step names are a type error
        name: 'one',
        inspect: async () => ({ action: 'none', reason: '', outputs: 2 }),
        apply: async () => 2,
      }),
    ).toThrow('Recipe "dup" already has a step named "one"');
  });
});

describe('planRecipe', () => {
  it('reports what would act without writing, including steps that depend on missing outputs', async () => {
    const { store, journal, recipe } = sampleRun();

    const plan = await planRecipe(recipe, acme, { journal });
    expect(plan.changes).toBe(true);
    expect(plan.steps).toEqual([
      { step: 'tenant', action: 'create', reason: 'no tenant with alias acme' },
      { step: 'settings', action: 'depends', reason: 'would act (depends on tenant)', dependsOn: 'tenant' },
      { step: 'space', action: 'depends', reason: 'would act (depends on tenant)', dependsOn: 'tenant' },
      { step: 'groups', action: 'depends', reason: 'would act (depends on tenant)', dependsOn: 'tenant' },
    ]);
    expect(store.writes).toBe(0);
    expect(await journal.read('acme')).toEqual([]);
  });

  it('inspects later steps once their dependencies exist, and reports no changes after apply', async () => {
    const store = new MemoryResourceStore();
    const recipe = sampleRecipe(store);
    await store.create('tenant', { name: 'acme', props: { autoCreateGroups: true } });
    const writes = store.writes;

    const partial = await planRecipe(recipe, acme);
    expect(partial.steps.map((step) => step.action)).toEqual(['none', 'none', 'create', 'create']);

    await applyRecipe(recipe, acme, { journal: createMemoryJournalStore() });
    const after = await planRecipe(recipe, acme);
    expect(after.changes).toBe(false);
    expect(store.writes).toBe(writes + 3);
  });
});

describe('journal', () => {
  it('records each step before the next step starts, with intent before the write', async () => {
    const { store, journal } = sampleRun();
    const seenBySpace: string[] = [];
    let seen: JournalEntry[] = [];
    const base = sampleRecipe(store);
    const recipe = base.step({
      name: 'check',
      async inspect(ctx) {
        const entries = await journal.read(ctx.customerId);
        seen = entries;
        seenBySpace.push(...entries.map((entry) => `${entry.type}${'step' in entry ? `:${entry.step}` : ''}`));
        return { action: 'none', reason: 'observer', outputs: null };
      },
      async apply() {
        return null;
      },
    });
    await applyRecipe(recipe, acme, { journal });
    expect(seenBySpace).toEqual([
      'run:start',
      'step:intent:tenant',
      'step:done:tenant',
      'step:intent:settings',
      'step:done:settings',
      'step:intent:space',
      'step:done:space',
      'step:intent:groups',
      'step:done:groups',
    ]);
    const intent = seen.find((entry) => entry.type === 'step:intent' && entry.step === 'tenant');
    expect(intent).toMatchObject({ action: 'create', marker: 'acme' });
    // Once the run finished, its superseded intents are compacted away.
    const entries = await journal.read('acme');
    expect(entries.at(-1)).toMatchObject({ type: 'run:done', status: 'provisioned' });
    expect(entries.filter((entry) => entry.type === 'step:intent')).toEqual([]);
  });

  it('resumes after a crash between intent and completion: the resource is found by marker, not created twice', async () => {
    const { store, journal } = sampleRun();
    // The process "dies" right after the space was created: its step:done never reaches the journal.
    const crashing: JournalStore = {
      read: (id) => journal.read(id),
      async append(entry) {
        if (entry.type === 'step:done' && entry.step === 'space') throw new Error('killed');
        await journal.append(entry);
      },
    };
    await expect(applyRecipe(sampleRecipe(store), acme, { journal: crashing })).rejects.toThrow(RecipeStepError);
    expect(store.count('space')).toBe(1);

    const pendingSeen: unknown[] = [];
    const recipe = sampleRecipe(store);
    const observed = {
      ...recipe,
      steps: recipe.steps.map((step) =>
        step.name === 'space'
          ? {
              ...step,
              inspect: (ctx: never) => (pendingSeen.push((ctx as { journal: unknown }).journal), step.inspect(ctx)),
            }
          : step,
      ),
    };
    const resumed = await applyRecipe(observed as typeof recipe, acme, { journal });
    expect(pendingSeen[0]).toMatchObject({ pendingIntent: { action: 'create', marker: 'Acme (prod)' } });
    expect(resumed.steps.find((step) => step.step === 'space')?.action).toBe('none');
    expect(resumed.status).toBe('provisioned'); // the interrupted run's writes count
    expect((await applyRecipe(sampleRecipe(store), acme, { journal })).status).toBe('unchanged');
    expect(store.count('space')).toBe(1);
    expect(store.count('tenant')).toBe(1);
    expect(store.count('group')).toBe(2);
  });

  it("trusts steps completed by an interrupted run when resume is 'trust'", async () => {
    const { store, journal } = sampleRun();
    await interruptedRun(store, journal, acme);
    const readsBefore = store.reads;

    const resumed = await applyRecipe(sampleRecipe(store), acme, { journal, resume: 'trust' });
    expect(resumed.steps.map((step) => [step.step, step.trusted])).toEqual(TRUSTED_BEFORE_GROUPS);
    expect(store.reads - readsBefore).toBe(1); // only the groups step looked at the store
    expect(store.count('group')).toBe(2);
    expect(resumed.outputs.tenant.tenantId).toBe([...store.resources.values()].find((r) => r.kind === 'tenant')?.id);
  });

  it("keeps each recipe's runs apart: another recipe finishing in between does not end this one's resume point", async () => {
    const { store, journal } = sampleRun();
    await interruptedRun(store, journal, acme);

    // A different recipe for the same customer runs to the end in the same journal.
    const other = defineRecipe({
      name: 'otherRecipe',
      input: z.object({ customerId: z.string() }),
      customerId: (i) => i.customerId,
    }).step({
      name: 'tenant',
      inspect: async () => ({ action: 'none', reason: 'nothing to do', outputs: { tenantId: 'not-this-recipes' } }),
      apply: async () => ({ tenantId: 'not-this-recipes' }),
    });
    expect((await applyRecipe(other, { customerId: 'acme' }, { journal })).status).toBe('unchanged');

    const resumed = await applyRecipe(sampleRecipe(store), acme, { journal, resume: 'trust' });
    expect(resumed.steps.map((step) => [step.step, step.trusted])).toEqual(TRUSTED_BEFORE_GROUPS);
    expect(resumed.outputs.tenant.tenantId).toBe([...store.resources.values()].find((r) => r.kind === 'tenant')?.id);
  });
});

describe('resume: trust', () => {
  it('does not trust work recorded for a different input', async () => {
    const { store, journal } = sampleRun();
    await interruptedRun(store, journal, acme);
    const changed = await applyRecipe(
      sampleRecipe(store),
      { ...acme, spaceName: 'Acme (renamed)' },
      { journal, resume: 'trust' },
    );
    expect(changed.steps.map((step) => step.trusted)).toEqual([false, false, false, false]);
    expect(changed.steps.find((step) => step.step === 'space')?.action).toBe('create');
  });

  it('re-inspects a step whose recorded outputs held a Secret (journaled as [REDACTED])', async () => {
    const journal = createMemoryJournalStore();
    let inspections = 0;
    const recipe = idRecipe('secretive')
      .step({
        name: 'token',
        async inspect() {
          inspections++;
          return { action: 'none', reason: 'read', outputs: { token: new Secret('local-bearer-token') } };
        },
        async apply() {
          return { token: new Secret('unused') };
        },
      })
      .step({
        name: 'boom',
        async inspect() {
          throw new QlikAuthError({ status: 403 });
        },
        async apply() {
          return null;
        },
      });
    await expect(applyRecipe(recipe, { id: 'c1' }, { journal })).rejects.toThrow(RecipeStepError);
    expect(JSON.stringify(await journal.read('c1'))).not.toContain('local-bearer-token');
    await expect(applyRecipe(recipe, { id: 'c1' }, { journal, resume: 'trust' })).rejects.toThrow(RecipeStepError);
    expect(inspections).toBe(2);
  });
});

describe('events, errors and retries', () => {
  it('emits typed events in order with customer and step names', async () => {
    const { store, journal } = sampleRun();
    const events = new RecipeEvents();
    const seen: string[] = [];
    const unsubscribe = events.on('step:done', (event) =>
      seen.push(`on:${event.customerId}/${event.step}:${event.action}`),
    );
    const all: RecipeEvent[] = [];
    await applyRecipe(sampleRecipe(store), acme, { journal, events, onEvent: (event) => all.push(event) });
    expect(all.map((event) => `${event.type}:${'step' in event ? event.step : ''}`)).toEqual([
      'step:start:tenant',
      'step:done:tenant',
      'step:start:settings',
      'step:done:settings',
      'step:start:space',
      'step:done:space',
      'step:start:groups',
      'step:done:groups',
    ]);
    expect(all.every((event) => event.customerId === 'acme' && event.recipe === 'sampleOnboard')).toBe(true);
    expect(seen).toEqual([
      'on:acme/tenant:create',
      'on:acme/settings:update',
      'on:acme/space:create',
      'on:acme/groups:create',
    ]);

    unsubscribe();
    const second: RecipeEvent[] = [];
    await applyRecipe(sampleRecipe(store), acme, { journal, events, onEvent: (event) => second.push(event) });
    expect(second.filter((event) => event.type === 'step:skip')).toHaveLength(4);
    expect(seen).toHaveLength(4);
  });

  it('fails with a RecipeStepError naming customer and step, with the QlikError as cause and no secret', async () => {
    const { store, journal } = sampleRun();
    const denied = new QlikAuthError({
      status: 403,
      statusText: 'Forbidden',
      method: 'POST',
      url: 'https://acme.eu.qlikcloud.com/api/v1/spaces?access_token=s3cr3t',
    });
    store.beforeWrite = (_op, kind) => {
      if (kind === 'space') throw denied;
    };
    const events: RecipeEvent[] = [];
    const error = await applyRecipe(sampleRecipe(store), acme, {
      journal,
      onEvent: (event) => events.push(event),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipeStepError);
    expect(error).toBeInstanceOf(QlikError);
    const stepError = error as RecipeStepError;
    expect(stepError.message).toMatch(
      /^Recipe "sampleOnboard" failed for customer "acme" at step "space": POST .* failed with 403/,
    );
    expect(stepError.cause).toBe(denied);
    expect(stepError).toMatchObject({ customerId: 'acme', step: 'space', attempts: 1 });
    expect(events.map((event) => event.type)).not.toContain('step:retry');
    expect(events.at(-1)).toMatchObject({
      type: 'step:fail',
      step: 'space',
      error: { name: 'QlikAuthError', status: 403 },
    });
    const fail = (await journal.read('acme')).find((entry) => entry.type === 'step:fail');
    expect(fail).toMatchObject({ step: 'space', error: { name: 'QlikAuthError', status: 403 } });
    const everything =
      JSON.stringify(await journal.read('acme')) + JSON.stringify(events) + inspect(stepError) + stepError.message;
    expect(everything).not.toContain('s3cr3t');
    expect(store.count('space')).toBe(0);
  });

  it('scrubs credentials from the messages of plain errors thrown by a step', async () => {
    const recipe = idRecipe('leaky').step({
      name: 'connect',
      async inspect() {
        throw new Error('login failed for connection "host=db;user=app;password=hunter2" with Bearer abc.def.ghi');
      },
      async apply() {
        return null;
      },
    });
    const journal = createMemoryJournalStore();
    const error = (await applyRecipe(recipe, { id: 'c1' }, { journal }).catch((e: unknown) => e)) as RecipeStepError;
    const text = error.message + inspect(error) + JSON.stringify(error) + JSON.stringify(await journal.read('c1'));
    expect(text).toContain('connect');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc.def.ghi');
  });

  it('retries a step after a retryable error, re-inspecting first, with step:retry events', async () => {
    const store = new MemoryResourceStore();
    let failures = 2;
    store.beforeWrite = (_op, kind) => {
      if (kind === 'space' && failures-- > 0) throw new QlikRateLimitError({ status: 429, retryAfterMs: 3 });
    };
    const events: RecipeEvent[] = [];
    const result = await applyRecipe(sampleRecipe(store), acme, {
      journal: createMemoryJournalStore(),
      retry: fastRetry,
      onEvent: (event) => events.push(event),
    });
    const retries = events.filter((event) => event.type === 'step:retry');
    expect(retries).toMatchObject([
      { step: 'space', attempt: 1, delayMs: 3, error: { name: 'QlikRateLimitError', status: 429 } },
      { step: 'space', attempt: 2, delayMs: 3 },
    ]);
    expect(result.steps.find((step) => step.step === 'space')).toMatchObject({ action: 'create', attempts: 3 });
    expect(store.count('space')).toBe(1);
  });

  it('lets a step opt out of retries, and a caller decide what is retryable', async () => {
    const flaky = (retries?: number) =>
      idRecipe('flaky').step({
        name: 'call',
        ...(retries === undefined ? {} : { retries }),
        async inspect(ctx) {
          if (ctx.attempt < 3) throw new QlikRateLimitError({ status: 429, retryAfterMs: 1 });
          return { action: 'none', reason: 'ok', outputs: ctx.attempt };
        },
        async apply() {
          return 0;
        },
      });
    const journal = createMemoryJournalStore();
    expect((await applyRecipe(flaky(), { id: 'a' }, { journal, retry: fastRetry })).outputs.call).toBe(3);
    await expect(applyRecipe(flaky(0), { id: 'b' }, { journal, retry: fastRetry })).rejects.toMatchObject({
      attempts: 1,
    });
    await expect(
      applyRecipe(flaky(), { id: 'c' }, { journal, retry: { ...fastRetry, isRetryable: () => false } }),
    ).rejects.toMatchObject({ attempts: 1 });
  });

  it('gives up after the bounded number of retries', async () => {
    const store = new MemoryResourceStore();
    store.beforeWrite = (_op, kind) => {
      if (kind === 'tenant') throw new QlikRateLimitError({ status: 429 });
    };
    const error = (await applyRecipe(sampleRecipe(store), acme, {
      journal: createMemoryJournalStore(),
      retry: { ...fastRetry, retries: 3 },
    }).catch((e: unknown) => e)) as RecipeStepError;
    expect(error.attempts).toBe(4);
    expect(error.step).toBe('tenant');
  });
});

describe('abort', () => {
  it('stops mid-run, records the abort, and a later run finishes without duplicates', async () => {
    const { store, journal } = sampleRun();
    const controller = new AbortController();
    const events = new RecipeEvents();
    events.on('step:done', (event) => {
      if (event.step === 'settings') controller.abort(new DOMException('stop', 'AbortError'));
    });
    const error = await applyRecipe(sampleRecipe(store), acme, { journal, events, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
    expect(store.count('tenant')).toBe(1);
    expect(store.count('space')).toBe(0);
    const entries: JournalEntry[] = await journal.read('acme');
    expect(entries.at(-1)).toMatchObject({ type: 'run:done', status: 'aborted' });

    const resumed = await applyRecipe(sampleRecipe(store), acme, { journal });
    expect(resumed.steps.map((step) => step.action)).toEqual(['none', 'none', 'create', 'create']);
    expect(store.count('tenant')).toBe(1);
  });

  it('wakes up from a retry backoff when aborted', async () => {
    const store = new MemoryResourceStore();
    store.beforeWrite = () => {
      throw new QlikRateLimitError({ status: 429, retryAfterMs: 60_000 });
    };
    const controller = new AbortController();
    const events = new RecipeEvents();
    events.on('step:retry', () => setTimeout(() => controller.abort(), 10));
    const started = Date.now();
    const error = await applyRecipe(sampleRecipe(store), acme, {
      journal: createMemoryJournalStore(),
      events,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects at once when the signal is already aborted, touching nothing', async () => {
    const { store, journal } = sampleRun();
    await expect(
      applyRecipe(sampleRecipe(store), acme, { journal, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(store.reads + store.writes).toBe(0);
  });
});
