// `qlik-oem status`: every customer's state from the journal, without calling Qlik.
import type { JournalEntry } from '@qlik-oem/recipes';
import { loadFleet, printJson, type Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { onlyFlag, onlyOf, selectCustomers } from '../fleet-flags.js';
import { table } from '../result-view.js';
import { journalOf } from '../target.js';

export interface CustomerStatus {
  customerId: string;
  state: 'not started' | 'in progress' | 'provisioned' | 'failed' | 'aborted';
  /** When the last run started. */
  since?: string;
  /** In progress: the step it was at; failed: the step that failed. */
  step?: string;
  error?: string;
}

/** Folds one customer's journal into its state: the last run decides. */
export function statusOf(customerId: string, entries: readonly JournalEntry[]): CustomerStatus {
  const starts = entries.filter((e) => e.type === 'run:start');
  const last = starts.at(-1);
  if (!last) return { customerId, state: 'not started' };
  const run = entries.filter((e) => e.runId === last.runId);
  const done = run.find((e) => e.type === 'run:done');
  const lastStep = [...run]
    .reverse()
    .find((e) => e.type === 'step:intent' || e.type === 'step:done' || e.type === 'step:fail');
  const step = lastStep && 'step' in lastStep ? lastStep.step : undefined;
  if (!done) return { customerId, state: 'in progress', since: last.at, ...(step ? { step } : {}) };
  if (done.type !== 'run:done') throw new Error('unreachable');
  if (done.status === 'provisioned' || done.status === 'unchanged')
    return { customerId, state: 'provisioned', since: last.at };
  const failure = run.find((e) => e.type === 'step:fail');
  return {
    customerId,
    state: done.status,
    since: last.at,
    ...(failure && failure.type === 'step:fail' ? { step: failure.step, error: failure.error.message } : {}),
  };
}

export const statusCommand: Command = {
  name: 'status',
  summary:
    "Show every customer's state from the journal (provisioned, failed at which step, in progress). Calls nothing.",
  flags: {
    only: onlyFlag(),
  },
  async run(invocation) {
    const { io, values } = invocation;
    const fleet = loadFleet(invocation);
    const customers = selectCustomers(fleet.customers, onlyOf(values));
    const { journal, journalDirectory } = journalOf(fleet.config, fleet.context, fleet.contextName, io.cwd);
    const statuses = await Promise.all(
      customers.map(async (c) => statusOf(c.customerId, await journal.read(c.customerId))),
    );
    const count = (state: CustomerStatus['state']) => statuses.filter((s) => s.state === state).length;
    if (values['json']) printJson(io, { journal: journalDirectory, customers: statuses });
    else {
      const rows = statuses.map((s) => [s.customerId, s.state, s.since ?? '-', s.step ?? '', s.error ?? '']);
      io.stdout.write(`${table(['customer', 'state', 'since', 'step', 'error'], rows)}\n\n`);
      io.stdout.write(
        `${count('provisioned')} provisioned, ${count('failed') + count('aborted')} failed, ${count('in progress')} in progress, ${count('not started')} not started (journal ${journalDirectory})\n`,
      );
    }
    return count('failed') + count('aborted') > 0 ? EXIT.failed : EXIT.ok;
  },
};
