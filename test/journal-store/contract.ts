// The contract every JournalStore keeps (entries, leases, compaction, the coordination of tenant creates), as a suite
// each store's tests run against their own store.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import {
  applyRecipe,
  compactJournal,
  CustomerLockedError,
  defineRecipe,
  LeaseLostError,
  type JournalEntry,
  type JournalStore,
  type RunStatus,
} from '@qlik-oem/recipes';

export interface StoreOpenOptions {
  leaseMs: number;
  waitMs?: number;
}

export interface JournalStoreSubject {
  /** Opens a store over the shared backend; two calls are two clients of the same journal. Set up lazily. */
  open(options: StoreOpenOptions): Promise<JournalStore> | JournalStore;
  /** False when each `open` is a separate journal (the memory store): tests then use one store as both clients. */
  shared?: boolean;
  /** Closes a store opened by `open` (connections, pools). */
  close?(store: JournalStore): Promise<void>;
  /**
   * For stores that processes share: a module exporting `openStore(config, options)` that opens the same
   * store in a child process (run with tsx), and the JSON `config` it gets.
   */
  processes?: { factory: string; config: unknown };
  /**
   * What the store's `coordination` spans: `fleet` (every client of the backend, in any process) or `process` (one
   * store instance: the tests then use one store as both clients, and no child process). Checked against the store.
   */
  coordination?: 'fleet' | 'process';
}

const childScript = fileURLToPath(new URL('./child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Registers the contract tests for one store. */
export function journalStoreContract(name: string, s: JournalStoreSubject) {
  describe(`JournalStore contract: ${name}`, () => {
    const opened: JournalStore[] = [];
    const open = async (options: StoreOpenOptions = { leaseMs: 400 }) => {
      const store = await s.open(options);
      opened.push(store);
      return store;
    };
    // Two clients of one journal; for a store that is not shared, one store with the second one's options.
    const openPair = async (options: StoreOpenOptions, second: StoreOpenOptions) => {
      if (s.shared !== false) return [await open(options), await open(second)] as const;
      const store = await open(second);
      return [store, store] as const;
    };
    // Each test works on its own customers, so tests never see each other's entries or leases.
    const customer = () => `c-${randomUUID()}`;
    afterAll(async () => {
      for (const store of opened) await s.close?.(store);
    });

    it('reads back what was appended, per customer, in append order, as JSON', async () => {
      const store = await open();
      const [a, b] = [customer(), customer()];
      expect(await store.read(a)).toEqual([]);
      const written = [start(a, 'r1'), done(a, 'r1', 'tenant', { id: 't1', at: new Date(0) }), start(b, 'r2')];
      for (const entry of written) await store.append(entry);
      expect(await store.read(a)).toEqual([
        start(a, 'r1'),
        done(a, 'r1', 'tenant', { id: 't1', at: new Date(0).toISOString() }),
      ]);
      expect(await store.read(b)).toEqual([start(b, 'r2')]);
      // Past ten entries too (a store that orders row ids as text reads 10 before 2).
      const many = Array.from({ length: 12 }, (_, i) => start(b, `run-${i}`));
      for (const entry of many) await store.append(entry);
      expect(await store.read(b)).toEqual([start(b, 'r2'), ...many]);
      // The store keeps its own copies: changing what was read or appended changes nothing stored.
      const read = await store.read(a);
      (read[0] as { runId: string }).runId = 'changed';
      expect((await store.read(a))[0]!.runId).toBe('r1');
    });

    it('keeps every entry of concurrent appends whole', async () => {
      const store = await open();
      const id = customer();
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(done(id, 'r1', `s${i}`, { i }))));
      const steps = (await store.read(id)).map((entry) => ('step' in entry ? entry.step : '')).sort();
      expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => `s${i}`).sort());
    });

    it('holds a customer for one holder at a time and hands it on when released', async () => {
      const store = await open();
      const id = customer();
      const release = await store.lock!(id);
      const error = await store.lock!(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CustomerLockedError);
      expect((error as CustomerLockedError).customerId).toBe(id);
      expect((error as CustomerLockedError).holder?.id).toBe(release.lease?.holder.id);
      await store.lock!(customer()).then((other) => other()); // other customers are not affected
      await release();
      const next = await store.lock!(id);
      await next();
    });

    it('renews a held lease for as long as the run works', async () => {
      // Generous against a loaded machine (and its database): only a stall of five seconds could lose it.
      const store = await open({ leaseMs: 5_000 });
      const id = customer();
      const release = await store.lock!(id);
      for (let i = 0; i < 4; i++) {
        await sleep(1_600);
        await expect(store.lock!(id)).rejects.toBeInstanceOf(CustomerLockedError);
      }
      expect(release.lease!.signal.aborted).toBe(false);
      expect(release.lease!.heldUntil()).toBeGreaterThan(Date.now());
      await release();
    });

    it('waits for a held lease when asked to, and gets it once released', async () => {
      const [store, waiting] = await openPair({ leaseMs: 400 }, { leaseMs: 400, waitMs: 5_000 });
      const id = customer();
      const release = await store.lock!(id);
      const next = waiting.lock!(id);
      await sleep(100);
      await release();
      await (
        await next
      )();
    });

    it('compacts a finished run to what the next run still reads, and leaves unfinished recipes whole', async () => {
      const store = await open();
      const id = customer();
      const entries: JournalEntry[] = [
        start(id, 'r1', 'x'),
        intent(id, 'r1', 'tenant', 'x'),
        fail(id, 'r1', 'tenant', 'x'),
        runDone(id, 'r1', 'x', 'failed'),
        start(id, 'r2', 'x'),
        intent(id, 'r2', 'tenant', 'x'),
        done(id, 'r2', 'tenant', { id: 't1' }, 'x'),
        start(id, 'y1', 'y'),
        done(id, 'y1', 'brand', {}, 'y'),
        done(id, 'r2', 'space', { id: 's1' }, 'x'),
        runDone(id, 'r2', 'x'),
        start(id, 'r3', 'x'),
        done(id, 'r3', 'tenant', { id: 't1' }, 'x'),
        runDone(id, 'r3', 'x'),
      ];
      for (const entry of entries) await store.append(entry);
      await store.compact!(id);
      const compacted = await store.read(id);
      expect(compacted).toEqual(compactJournal(entries));
      expect(compacted.length).toBeLessThan(entries.length);
      // Recipe y never finished: all of it stays.
      expect(compacted.filter((entry) => entry.recipe === 'y')).toHaveLength(2);
      await store.compact!(customer()); // nothing to compact is fine
    });

    it('stays bounded across 100 no-op runs of a converged customer', async () => {
      const store = await open();
      const id = customer();
      // The first run creates (intent, outputs), as a fleet's first run does; every later run has nothing to do.
      let created = false;
      const recipe = defineRecipe({
        name: 'converging',
        input: z.object({ customerId: z.string() }),
        customerId: (input) => input.customerId,
      }).step({
        name: 'thing',
        async inspect() {
          if (created) return { action: 'none', reason: 'exists', outputs: { thingId: 'thing-1' } };
          return { action: 'create', reason: 'missing', marker: `thing:${id}` };
        },
        async apply() {
          created = true;
          return { thingId: 'thing-1' };
        },
      });
      const bytes = async () => JSON.stringify(await store.read(id)).length;
      await expect(applyRecipe(recipe, { customerId: id }, { journal: store })).resolves.toMatchObject({
        status: 'provisioned',
      });
      const sizes: number[] = [];
      for (let run = 0; run < 100; run++) {
        await expect(applyRecipe(recipe, { customerId: id }, { journal: store })).resolves.toMatchObject({
          status: 'unchanged',
        });
        sizes.push(await bytes());
      }
      // Entries hold ISO times and fixed-length ids: the compacted journal is the same size run after run
      // (1% is room for a field that gains a digit, never for a run's lines).
      expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0]! * 1.01);
    });

    it('stops a run whose lease was taken over, and the run writes nothing more', async () => {
      const [store, rival] = await openPair({ leaseMs: 200 }, { leaseMs: 200, waitMs: 5_000 });
      const id = customer();
      let inside!: () => void;
      const running = new Promise<void>((resolve) => (inside = resolve));
      const recipe = tinyRecipe(async () => {
        inside();
        // The event loop is blocked past the lease: renewals cannot run, the rival takes over meanwhile.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
        await sleep(500);
      });
      const rivalLock = running.then(() => rival.lock!(id));
      const run = applyRecipe(recipe, { customerId: id }, { journal: store }).catch((e: unknown) => e);
      const [error, rivalRelease] = await Promise.all([run, rivalLock]);
      expect(error).toMatchObject({ name: 'LeaseLostError' });
      expect(error).toBeInstanceOf(LeaseLostError);
      const types = (await store.read(id)).map((entry) => entry.type);
      // Nothing after the loss: no step:done, no run:done (at most the run:start from before it).
      expect(types.filter((type) => type !== 'run:start')).toEqual([]);
      await rivalRelease();
    });

    it(
      s.coordination ? `offers the coordination of tenant creates (${s.coordination})` : 'offers no coordination',
      async () => {
        const store = await open();
        expect(store.coordination !== undefined).toBe(s.coordination !== undefined);
      },
    );

    if (s.coordination !== undefined)
      describe('coordination of tenant creates', () => {
        // Two clients of one coordination: two stores of a fleet-wide one, one store otherwise.
        const pair = async () => {
          const first = await open();
          const second = s.coordination === 'fleet' ? await open() : first;
          return [first.coordination!, second.coordination!] as const;
        };

        it('a reconciliation waits for the creates in flight, and a create waits for a reconciliation', async () => {
          const [a, b] = await pair();
          const order: string[] = [];
          const create = await a.gate.shared();
          const reconciliation = track(b.gate.exclusive(), order, 'reconciling');
          await sleep(WATCH_MS);
          expect(order).toEqual([]);
          order.push('create settled');
          await create();
          const reconciled = await reconciliation;
          const next = track(a.gate.shared(), order, 'next create');
          await sleep(WATCH_MS);
          expect(order).toEqual(['create settled', 'reconciling']);
          order.push('reconciled');
          await reconciled();
          await (
            await next
          )();
          expect(order).toEqual(['create settled', 'reconciling', 'reconciled', 'next create']);
        });

        it('a waiting reconciliation keeps new creates out, also of a client with creates in flight', async () => {
          const [a, b] = await pair();
          const order: string[] = [];
          const inFlight = await a.gate.shared();
          const reconciliation = track(b.gate.exclusive(), order, 'reconciling');
          await sleep(WATCH_MS); // the reconciliation is waiting now
          const later = track(a.gate.shared(), order, 'later create');
          await sleep(WATCH_MS);
          expect(order).toEqual([]);
          order.push('in flight settled');
          await inFlight();
          const reconciled = await reconciliation;
          await sleep(WATCH_MS);
          expect(order).toEqual(['in flight settled', 'reconciling']);
          await reconciled();
          await (
            await later
          )();
          expect(order).toEqual(['in flight settled', 'reconciling', 'later create']);
        });

        it('many creates hold the gate at once, and a wait ends with its signal', async () => {
          const [a, b] = await pair();
          const holds = await Promise.all([a.gate.shared(), a.gate.shared(), b.gate.shared(), b.gate.shared()]);
          const aborted = new AbortController();
          const waiting = b.gate.exclusive(aborted.signal).catch((error: unknown) => error);
          aborted.abort(new Error('stop waiting'));
          expect(await waiting).toMatchObject({ message: 'stop waiting' });
          for (const release of holds) await release();
          // The abandoned wait left nothing behind: a reconciliation and then creates go through.
          await (
            await a.gate.exclusive()
          )();
          await (
            await b.gate.shared()
          )();
        });

        it('claims and pending creates are seen by every client, fresh at each read', async () => {
          const [a, b] = await pair();
          const [c1, c2, c3] = [customer(), customer(), customer()];
          const [t1, t2] = [`t-${randomUUID()}`, `t-${randomUUID()}`];
          await a.claims.pending(c1);
          await a.claims.pending(c2);
          let seen = await b.claims.read([t1, t2]);
          expect(seen.claimed).toEqual(new Set());
          expect([c1, c2].filter((id) => seen.pending.has(id))).toEqual([c1, c2]);
          await b.claims.settle(c1, t1);
          await b.claims.settle(c2);
          // A tenant keeps its first claimant; a customer with no create pending may still claim one.
          await a.claims.settle(c3, t1);
          seen = await a.claims.read([t1, t2]);
          expect(seen.claimed).toEqual(new Set([t1]));
          expect([c1, c2, c3].filter((id) => seen.pending.has(id))).toEqual([]);
          expect((await a.claims.read([])).claimed).toEqual(new Set());
        });
      });

    if (s.coordination === 'fleet' && s.processes !== undefined)
      describe('coordination across processes', () => {
        for (const mode of ['gate-shared', 'gate-exclusive'] as const)
          it(`a killed process holding the gate ${mode === 'gate-shared' ? 'shared (a create)' : 'exclusively (a reconciliation)'} does not block the fleet`, async () => {
            const store = await open({ leaseMs: 400 });
            const child = startChild(s.processes!, { customerId: customer(), leaseMs: 400, mode });
            onTestFinished(() => void child.process.kill('SIGKILL'));
            await child.line(/^gate held by pid \d+$/);
            const order: string[] = [];
            const wait = track(
              mode === 'gate-shared' ? store.coordination!.gate.exclusive() : store.coordination!.gate.shared(),
              order,
              'through',
            );
            await sleep(WATCH_MS);
            expect(order).toEqual([]); // the child's hold is real...
            child.process.kill('SIGKILL');
            await child.exited;
            await (
              await wait
            )(); // ...and ends with its process (its session, or its lease)
          }, 20_000);
      });

    // A store with no second process to open (the memory store) has no such tests, rather than skipped ones.
    if (s.processes !== undefined)
      describe('across processes', () => {
        let workDir: string;
        beforeAll(async () => {
          workDir = await mkdtemp(join(tmpdir(), 'journal-contract-'));
        });
        afterAll(async () => {
          await rm(workDir, { recursive: true, force: true });
        });

        it("takes over a killed process's lease only after it ran out", async () => {
          const store = await open({ leaseMs: 2_000 });
          const id = customer();
          const child = startChild(s.processes!, { customerId: id, leaseMs: 2_000, mode: 'hold' });
          await child.line(/^held by pid \d+$/);
          child.process.kill('SIGKILL');
          await child.exited;
          const killedAt = Date.now();
          await expect(store.lock!(id)).rejects.toBeInstanceOf(CustomerLockedError);
          const waiting = await open({ leaseMs: 2_000, waitMs: 15_000 });
          const release = await waiting.lock!(id);
          expect(Date.now() - killedAt).toBeGreaterThan(100);
          await release();
        });

        it('never has two holders: 8 processes with forced expiries', async () => {
          const id = customer();
          const logs = Array.from({ length: 8 }, (_, i) => join(workDir, `holder-${i}.jsonl`));
          const seed = Number(process.env.JOURNAL_CONTRACT_SEED ?? 1);
          const children = logs.map((log, i) =>
            startChild(s.processes!, {
              customerId: id,
              leaseMs: 200,
              mode: 'hammer',
              durationMs: 5_000,
              log,
              seed: seed + i,
            }),
          );
          for (const child of children) expect(await child.exited, `seed ${seed}: ${child.stderr()}`).toBe(0);
          const holdings = (await Promise.all(logs.map((log) => readFile(log, 'utf8').catch(() => ''))))
            .flatMap((text) => text.split('\n').filter(Boolean))
            .map((line) => JSON.parse(line) as { pid: number; start: number; end: number; stalled: boolean })
            .sort((a, b) => a.start - b.start);
          expect(holdings.length, `seed ${seed}`).toBeGreaterThan(8);
          expect(new Set(holdings.map((holding) => holding.pid)).size, `seed ${seed}`).toBeGreaterThan(1);
          expect(holdings.filter((holding) => holding.stalled).length, `seed ${seed}`).toBeGreaterThan(0);
          const overlaps = holdings.filter((holding, i) => i > 0 && holding.start < holdings[i - 1]!.end);
          expect(overlaps, `seed ${seed}`).toEqual([]);
        }, 30_000);
      });
  });
}

export interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves with the first line of stdout that matches. */
  line(pattern: RegExp): Promise<string>;
  stderr(): string;
}

/**
 * Starts the contract child with `config` (see child.ts). `wrapper` runs it inside another command, e.g.
 * `['unshare', '--pid', '--fork', '--kill-child']` to make it PID 1 as in a container.
 */
export function startChild(
  processes: NonNullable<JournalStoreSubject['processes']>,
  config: object,
  wrapper: string[] = [],
): Child {
  const args = [
    '--import',
    'tsx',
    childScript,
    JSON.stringify({ factory: processes.factory, store: processes.config, ...config }),
  ];
  const [command, ...rest] = [...wrapper, process.execPath, ...args];
  const child = spawn(command!, rest, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.splice(0)) waiter();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => stderr,
    line: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const found = stdout.split('\n').find((line) => pattern.test(line));
          if (found !== undefined) resolve(found);
          else waiters.push(check);
        };
        exited.then((code) => reject(new Error(`child exited (${code}) before ${pattern}: ${stderr}`)), reject);
        check();
      }),
  };
}

// How long a wait is watched to see that it does not end (a negative can only be watched for a while).
const WATCH_MS = 300;

/** `promise`, which writes `name` into `order` when it resolves. */
function track<T>(promise: Promise<T>, order: string[], name: string): Promise<T> {
  return promise.then((value) => {
    order.push(name);
    return value;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A one-step recipe that never writes anything; `work` runs inside its inspection. */
function tinyRecipe(work?: () => Promise<void>) {
  return defineRecipe({
    name: 'contract',
    input: z.object({ customerId: z.string() }),
    customerId: (input) => input.customerId,
  }).step({
    name: 'check',
    async inspect() {
      await work?.();
      return { action: 'none', reason: 'nothing to do', outputs: { checked: true } };
    },
    async apply() {
      return { checked: true };
    },
  });
}

const base = (customerId: string, runId: string, recipe: string) => ({
  v: 1 as const,
  runId,
  customerId,
  recipe,
  at: '2026-12-02T00:00:00.000Z',
});
const start = (customerId: string, runId: string, recipe = 'x'): JournalEntry => ({
  ...base(customerId, runId, recipe),
  type: 'run:start',
  inputHash: `hash-${runId}`,
});
const runDone = (customerId: string, runId: string, recipe = 'x', status: RunStatus = 'provisioned'): JournalEntry => ({
  ...base(customerId, runId, recipe),
  type: 'run:done',
  status,
});
const intent = (customerId: string, runId: string, step: string, recipe = 'x'): JournalEntry => ({
  ...base(customerId, runId, recipe),
  type: 'step:intent',
  step,
  action: 'create',
  marker: step,
});
const done = (customerId: string, runId: string, step: string, outputs: unknown, recipe = 'x'): JournalEntry => ({
  ...base(customerId, runId, recipe),
  type: 'step:done',
  step,
  action: 'create',
  outputs,
});
const fail = (customerId: string, runId: string, step: string, recipe = 'x'): JournalEntry => ({
  ...base(customerId, runId, recipe),
  type: 'step:fail',
  step,
  error: { name: 'Error', message: 'boom' },
});
