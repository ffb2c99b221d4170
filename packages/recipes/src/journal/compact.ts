// Journal compaction: drops the lines a finished run has superseded, keeping exactly what replay still reads.
import type { JournalEntry } from './types.js';

/**
 * The entries of one customer's journal that still matter, in their original order. For each recipe
 * whose last entry is a successful `run:done` (`provisioned` or `unchanged`), only these are kept:
 * that run's `run:start` and `run:done`, the last `step:done` of every step, the last `step:intent` written
 * after its step's last `step:done` (still pending: replay reads only the newest), and the `run:start` of each run that wrote a kept
 * entry (it carries the input hash). Replaying the result gives the same state as replaying the whole
 * journal (see `replayJournal`). Recipes whose last run did not finish, and entry types this version
 * does not know, are kept whole.
 */
export function compactJournal(entries: readonly JournalEntry[]): JournalEntry[] {
  const byRecipe = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const indexes = byRecipe.get(entry.recipe);
    if (indexes) indexes.push(index);
    else byRecipe.set(entry.recipe, [index]);
  });
  const drop = new Set<number>();
  for (const indexes of byRecipe.values()) {
    const last = entries[indexes[indexes.length - 1]!]!;
    if (last.type !== 'run:done' || (last.status !== 'provisioned' && last.status !== 'unchanged')) continue;
    const keep = new Set<number>([indexes[indexes.length - 1]!]);
    const keptRuns = new Set<string>([last.runId]);
    const stepsSeen = new Set<string>();
    const intentsSeen = new Set<string>();
    // Newest first: the first step:done met for a step is its last one; the first intent met before it is
    // the pending one (an older intent is overwritten by it in replay, so keeping it would grow unbounded).
    for (let position = indexes.length - 1; position >= 0; position--) {
      const index = indexes[position]!;
      const entry = entries[index]!;
      if (entry.type === 'step:done' && !stepsSeen.has(entry.step)) {
        stepsSeen.add(entry.step);
        keep.add(index);
        keptRuns.add(entry.runId);
      } else if (entry.type === 'step:intent' && !stepsSeen.has(entry.step) && !intentsSeen.has(entry.step)) {
        intentsSeen.add(entry.step);
        keep.add(index);
        keptRuns.add(entry.runId);
      } else if (!isKnownType(entry)) {
        keep.add(index);
      }
    }
    for (const index of indexes) {
      const entry = entries[index]!;
      if (entry.type === 'run:start' && keptRuns.has(entry.runId)) keep.add(index);
      if (!keep.has(index)) drop.add(index);
    }
  }
  return entries.filter((_, index) => !drop.has(index));
}

function isKnownType(entry: JournalEntry): boolean {
  return ['run:start', 'run:done', 'step:intent', 'step:done', 'step:fail'].includes(entry.type);
}
