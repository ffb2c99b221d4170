// `qlik-oem drift`: which provisioned customers no longer match what the recipes would write.
import { loadFleet, printJson, type Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { concurrencyFlag, onlyFlag, onlyOf, selectCustomers } from '../fleet-flags.js';
import { journalOf } from '../target.js';
import { planFleet } from './plan.js';
import { statusOf } from './status.js';

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Compare the live tenants of provisioned customers with what the recipes would write; list what differs.',
  flags: {
    only: onlyFlag(),
    concurrency: concurrencyFlag('inspected'),
  },
  async run(invocation) {
    const { io, values } = invocation;
    const fleet = loadFleet(invocation);
    const customers = selectCustomers(fleet.customers, onlyOf(values));
    const { journal } = journalOf(fleet.config, fleet.context, fleet.contextName, io.cwd);
    // Only customers the journal says are provisioned can drift; the others are work, not drift.
    const provisioned: string[] = [];
    for (const c of customers)
      if (statusOf(c.customerId, await journal.read(c.customerId)).state === 'provisioned')
        provisioned.push(c.customerId);
    const { views } =
      provisioned.length > 0
        ? await planFleet(invocation, provisioned)
        : { views: [] as Awaited<ReturnType<typeof planFleet>>['views'] };
    const drifted = views
      .filter((v) => v.changes)
      .flatMap((v) =>
        v.error
          ? [{ customerId: v.customerId, step: '(inspect)', action: 'error', reason: v.error }]
          : v.steps.filter((s) => s.action !== 'none').map((s) => ({ customerId: v.customerId, ...s })),
      );
    if (values['json']) printJson(io, { inspected: provisioned.length, drift: drifted });
    else {
      for (const d of drifted) io.stdout.write(`${d.customerId} ${d.step}: ${d.action} (${d.reason})\n`);
      const customersDrifted = new Set(drifted.map((d) => d.customerId)).size;
      io.stdout.write(
        `${drifted.length === 0 ? 'No drift' : `${customersDrifted} customer(s) drifted`}: ${provisioned.length} provisioned customers inspected.\n`,
      );
    }
    if (views.some((v) => v.error)) return EXIT.failed;
    return drifted.length > 0 ? EXIT.changes : EXIT.ok;
  },
};
