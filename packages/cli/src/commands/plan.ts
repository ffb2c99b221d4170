// `qlik-oem plan`: what apply would do, customer by customer; reads everything, writes nothing.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { planProvisionFleet } from '@qlik-oem/recipes';
import { loadFleet, printJson, type Command, type CommandInvocation } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { concurrencyFlag, concurrencyOf, onlyFlag, onlyOf, selectCustomers } from '../fleet-flags.js';
import { fleetInput } from '../fleet-input.js';
import { fingerprint, formatPlan, planViews, type CustomerPlanView } from '../plan-view.js';
import { openTarget } from '../target.js';
import { asFleetUsageError } from '../validation-view.js';

export const PLAN_FILE_VERSION = 1;

export interface SavedPlan {
  version: typeof PLAN_FILE_VERSION;
  createdAt: string;
  context: string;
  inputFingerprint: string;
  stateFingerprint: string;
  customers: CustomerPlanView[];
}

/** Plans the selected customers of the fleet (shared by plan, apply with a saved plan, and drift). */
export async function planFleet(invocation: CommandInvocation, only?: string[]) {
  const fleet = loadFleet(invocation);
  const customers = selectCustomers(fleet.customers, only ?? onlyOf(invocation.values));
  const target = openTarget(fleet.config, fleet.context, fleet.contextName, invocation.io.cwd);
  const input = await fleetInput(fleet.config, target, customers);
  const { customers: plans } = await planProvisionFleet(target.env, input, {
    concurrency: concurrencyOf(invocation.values),
    ...(invocation.io.signal ? { signal: invocation.io.signal } : {}),
  }).catch((error: unknown) => {
    throw asFleetUsageError(error, fleet, customers);
  });
  const views = planViews(plans);
  return { fleet, target, input, views, stateFingerprint: fingerprint(views) };
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show, per customer, each step apply would create or update. Writes nothing.',
  flags: {
    out: {
      type: 'string',
      value: '<plan.json>',
      description: 'save the plan (with a fingerprint of the state it read)',
    },
    only: onlyFlag(),
    concurrency: concurrencyFlag('inspected'),
    verbose: { type: 'boolean', description: 'also list customers and steps with nothing to do' },
    'detailed-exitcode': { type: 'boolean', description: 'exit 2 when there are changes' },
  },
  async run(invocation) {
    const { io, values } = invocation;
    const { fleet, target, views, stateFingerprint } = await planFleet(invocation);
    const saved: SavedPlan = {
      version: PLAN_FILE_VERSION,
      createdAt: new Date().toISOString(),
      context: fleet.contextName,
      inputFingerprint: fleet.inputFingerprint,
      stateFingerprint,
      customers: views,
    };
    const out = values['out'] as string | undefined;
    if (out) writeFileSync(resolve(io.cwd, out), `${JSON.stringify(saved, null, 2)}\n`);
    if (values['json']) printJson(io, saved);
    else {
      io.stdout.write(`Planning ${views.length} customers against ${target.description}\n\n`);
      io.stdout.write(formatPlan(views, values['verbose'] === true));
      if (out) io.stdout.write(`Saved to ${out}; \`qlik-oem apply ${out}\` applies exactly this plan.\n`);
    }
    const changes = views.some((v) => v.changes);
    if (views.some((v) => v.error)) return EXIT.failed;
    return changes && values['detailed-exitcode'] ? EXIT.changes : EXIT.ok;
  },
};
