import type { JournalEntry } from './types.js';

/** What one customer's journal says about one step. */
export interface StepHistory {
  /** Outputs of the last completed run of this step. */
  recordedOutputs?: unknown;
  hasRecordedOutputs: boolean;
  /** True when the step completed after the last successful run, i.e. within the killed, failed or aborted run(s) being resumed. */
  completedSinceLastFinishedRun: boolean;
  /** The input hash of the run that recorded `recordedOutputs`, when that run recorded one. */
  recordedForInputHash?: string;
  /** An intent with no completion after it: the write may or may not have happened. */
  pendingIntent?: { action: 'create' | 'update'; marker?: string };
}

export interface JournalReplay {
  step(name: string): StepHistory;
  /** True when the last run started and never recorded its end (killed or crashed). */
  readonly interrupted: boolean;
  /** True when a run since the last successful one announced a write: the customer has changed since it last converged. */
  readonly writesSinceLastFinishedRun: boolean;
}

/**
 * Folds a customer's journal (all runs, oldest first) into per-step state for the next run of `recipe`.
 * Only that recipe's runs count: a customer's journal also holds the runs of its other recipes, whose
 * run boundaries and step names are not this recipe's.
 */
export function replayJournal(allEntries: readonly JournalEntry[], recipe: string): JournalReplay {
  const entries = allEntries.filter((entry) => entry.recipe === recipe);
  const steps = new Map<string, StepHistory>();
  const get = (name: string): StepHistory => {
    let history = steps.get(name);
    if (!history) {
      history = { hasRecordedOutputs: false, completedSinceLastFinishedRun: false };
      steps.set(name, history);
    }
    return history;
  };
  let interrupted = false;
  let writesSinceLastFinishedRun = false;
  const inputHashByRun = new Map<string, string>();
  for (const entry of entries) {
    switch (entry.type) {
      case 'run:start':
        interrupted = true;
        if (entry.inputHash !== undefined) inputHashByRun.set(entry.runId, entry.inputHash);
        break;
      case 'run:done':
        interrupted = false;
        // After a run that got to the end, its completions are history, not a resume point. A failed
        // or aborted run is resumed like a killed one.
        if (entry.status === 'provisioned' || entry.status === 'unchanged') {
          for (const history of steps.values()) history.completedSinceLastFinishedRun = false;
          writesSinceLastFinishedRun = false;
        }
        break;
      case 'step:intent': {
        writesSinceLastFinishedRun = true;
        const history = get(entry.step);
        history.pendingIntent =
          entry.marker === undefined ? { action: entry.action } : { action: entry.action, marker: entry.marker };
        break;
      }
      case 'step:done': {
        const history = get(entry.step);
        history.recordedOutputs = entry.outputs;
        history.hasRecordedOutputs = true;
        const inputHash = inputHashByRun.get(entry.runId);
        if (inputHash === undefined) delete history.recordedForInputHash;
        else history.recordedForInputHash = inputHash;
        history.completedSinceLastFinishedRun = true;
        delete history.pendingIntent;
        break;
      }
      case 'step:fail':
        // A failure keeps any pending intent: the write may have gone through before the error.
        get(entry.step).completedSinceLastFinishedRun = false;
        break;
    }
  }
  return {
    interrupted,
    writesSinceLastFinishedRun,
    step: (name) => steps.get(name) ?? { hasRecordedOutputs: false, completedSinceLastFinishedRun: false },
  };
}
