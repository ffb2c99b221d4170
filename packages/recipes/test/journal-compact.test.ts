// Compaction keeps exactly what replay reads: property test over random journals of killed, failed and finished runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactJournal, type JournalEntry } from '../src/index.js';
import { replayJournal } from '../src/journal/replay.js';

const STEPS = ['tenant', 'settings', 'space', 'groups'];
const RECIPES = ['onboard', 'hydrate'];

const stepOp = fc.record({
  step: fc.constantFrom(...STEPS),
  kind: fc.constantFrom('intent', 'done', 'fail', 'intent+done'),
  outputs: fc.integer({ min: 0, max: 3 }),
});
const run = fc.record({
  recipe: fc.constantFrom(...RECIPES),
  inputHash: fc.option(fc.constantFrom('h1', 'h2'), { nil: undefined }),
  ops: fc.array(stepOp, { maxLength: 8 }),
  end: fc.constantFrom('provisioned', 'unchanged', 'failed', 'aborted', 'killed'),
});

type Run = typeof run extends fc.Arbitrary<infer T> ? T : never;

function journalOf(runs: Run[]): JournalEntry[] {
  const entries: JournalEntry[] = [];
  runs.forEach((r, index) => {
    const base = {
      v: 1 as const,
      runId: `run-${index}`,
      customerId: 'acme',
      recipe: r.recipe,
      at: '2026-12-02T00:00:00Z',
    };
    entries.push(
      r.inputHash === undefined
        ? { ...base, type: 'run:start' }
        : { ...base, type: 'run:start', inputHash: r.inputHash },
    );
    for (const op of r.ops) {
      if (op.kind.startsWith('intent'))
        entries.push({ ...base, type: 'step:intent', step: op.step, action: 'create', marker: op.step });
      if (op.kind.endsWith('done'))
        entries.push({ ...base, type: 'step:done', step: op.step, action: 'create', outputs: { n: op.outputs } });
      if (op.kind === 'fail')
        entries.push({ ...base, type: 'step:fail', step: op.step, error: { name: 'Error', message: 'x' } });
    }
    if (r.end !== 'killed') entries.push({ ...base, type: 'run:done', status: r.end });
  });
  return entries;
}

function replayState(entries: JournalEntry[]) {
  return RECIPES.map((recipe) => {
    const replay = replayJournal(entries, recipe);
    return {
      interrupted: replay.interrupted,
      writes: replay.writesSinceLastFinishedRun,
      steps: STEPS.map((step) => replay.step(step)),
    };
  });
}

describe('compactJournal', () => {
  it('replays to the same state as the whole journal, and compacting again changes nothing', () => {
    fc.assert(
      fc.property(fc.array(run, { maxLength: 12 }), (runs) => {
        const entries = journalOf(runs);
        const compacted = compactJournal(entries);
        expect(replayState(compacted)).toEqual(replayState(entries));
        expect(compactJournal(compacted)).toEqual(compacted);
        // Order is kept: the result is a subsequence of the journal.
        let position = 0;
        for (const entry of compacted) {
          position = entries.indexOf(entry, position) + 1;
          expect(position).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a converged customer bounded however many runs it had', () => {
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 30 }), (runs) => {
        const finished: Run[] = runs.map((r) => ({ ...r, end: r.end === 'killed' ? 'unchanged' : r.end }));
        finished.push({ ...finished[0]!, recipe: 'onboard', end: 'provisioned' });
        finished.push({ ...finished[0]!, recipe: 'hydrate', end: 'provisioned' });
        const compacted = compactJournal(journalOf(finished));
        // Per recipe: the last run's start and end, and per step at most its last step:done, a pending
        // intent and the run:start of each (their input hash): bounded by the steps, not the runs.
        expect(compacted.length).toBeLessThanOrEqual(RECIPES.length * (2 + STEPS.length * 4));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps one pending intent per step, however many finished runs announced it', () => {
    // A write announced by each of 40 runs that all finished without its step:done (the CI counterexample).
    const runs: Run[] = Array.from({ length: 40 }, () => ({
      recipe: 'onboard',
      inputHash: undefined,
      ops: [{ step: 'tenant', kind: 'intent', outputs: 0 }],
      end: 'provisioned',
    }));
    const entries = journalOf(runs);
    const compacted = compactJournal(entries);
    expect(compacted.filter((entry) => entry.type === 'step:intent')).toEqual([entries.at(-2)]);
    expect(replayState(compacted)).toEqual(replayState(entries));
  });

  it('keeps entry types it does not know', () => {
    const base = { v: 1 as const, runId: 'r1', customerId: 'acme', recipe: 'onboard', at: '2026-12-02T00:00:00Z' };
    const foreign = { ...base, type: 'tenant:intent', subscription: 's1' } as unknown as JournalEntry;
    const entries: JournalEntry[] = [
      { ...base, type: 'run:start' },
      foreign,
      { ...base, type: 'step:done', step: 'tenant', action: 'none', outputs: {} },
      { ...base, type: 'run:done', status: 'unchanged' },
    ];
    expect(compactJournal(entries)).toContain(foreign);
  });
});
