// `qlik-oem apply [plan.json]`: provisions the fleet, or exactly a saved plan (refused when the state moved).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { provisionFleet, type ProvisionFleetResult } from '@qlik-oem/recipes';
import { loadFleet, printJson, type Command, type CommandInvocation } from '../command.js';
import { errorText } from '../error-text.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { configPath } from '../config.js';
import { concurrencyFlag, concurrencyOf, onlyFlag, onlyOf, selectCustomers } from '../fleet-flags.js';
import { fleetInput } from '../fleet-input.js';
import { createSecretFileStore, readSecretFile } from '../impersonation-secrets.js';
import { createProgress } from '../progress.js';
import { formatResult } from '../result-view.js';
import { openTarget } from '../target.js';
import { asFleetUsageError } from '../validation-view.js';
import { PLAN_FILE_VERSION, planFleet, type SavedPlan } from './plan.js';

function readPlan(path: string): SavedPlan {
  let plan: SavedPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as SavedPlan;
  } catch (error) {
    throw new CliUsageError(`Cannot read the plan ${path}: ${(error as Error).message}`);
  }
  if (plan?.version !== PLAN_FILE_VERSION || !Array.isArray(plan.customers))
    throw new CliUsageError(`${path} is not a plan saved by \`qlik-oem plan --out\``);
  return plan;
}

/** Why a saved plan no longer holds, or undefined when it still does. */
async function staleness(invocation: CommandInvocation, plan: SavedPlan): Promise<string[] | undefined> {
  const now = await planFleet(
    invocation,
    plan.customers.map((c) => c.customerId),
  );
  const reasons: string[] = [];
  if (now.fleet.contextName !== plan.context)
    reasons.push(`the plan is for context "${plan.context}", not "${now.fleet.contextName}"`);
  if (now.fleet.inputFingerprint !== plan.inputFingerprint)
    reasons.push('the config or fleet file changed since the plan was made');
  if (now.stateFingerprint !== plan.stateFingerprint) {
    const before = new Map(plan.customers.map((c) => [c.customerId, c]));
    for (const view of now.views) {
      const old = before.get(view.customerId);
      for (const step of view.steps) {
        const was = old?.steps.find((s) => s.step === step.step);
        if (!was || was.action !== step.action || was.reason !== step.reason)
          reasons.push(
            `${view.customerId} ${step.step}: planned "${was?.action ?? 'absent'}", now "${step.action}" (${step.reason})`,
          );
      }
    }
    if (reasons.length === 0) reasons.push('the state the plan read has changed');
  }
  return reasons.length ? reasons : undefined;
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Provision every customer of the fleet (or exactly a saved plan), resuming from the journal.',
  args: '[plan.json]',
  flags: {
    only: onlyFlag(),
    concurrency: concurrencyFlag('provisioned'),
  },
  async run(invocation) {
    const { io, values, positionals } = invocation;
    if (positionals.length > 1) throw new CliUsageError('apply takes at most one plan file');
    const planPath = positionals[0] ? resolve(io.cwd, positionals[0]) : undefined;
    const concurrency = concurrencyOf(values);
    const fleet = loadFleet(invocation);
    let customers = selectCustomers(fleet.customers, onlyOf(values));
    if (planPath) {
      if (values['only']) throw new CliUsageError('--only cannot narrow a saved plan: make a new plan with --only');
      const plan = readPlan(planPath);
      const stale = await staleness(invocation, plan);
      if (stale) {
        if (values['json']) printJson(io, { applied: false, stale: true, reasons: stale });
        else
          io.stderr.write(
            `The saved plan is stale; nothing was applied. Make a new plan.\n${stale.map((r) => `  - ${r}`).join('\n')}\n`,
          );
        return EXIT.failed;
      }
      const changing = new Set(plan.customers.filter((c) => c.changes).map((c) => c.customerId));
      customers = fleet.customers.filter((c) => changing.has(c.customerId));
    }
    const progress = createProgress(customers.length, values['json'] ? { write: () => undefined } : io.stdout);
    const target = openTarget(fleet.config, fleet.context, fleet.contextName, io.cwd, progress.logger);
    progress.boundByRateLimits(
      [target.env.registrationHost, target.env.sourceTenantHost, 'console.qlikcloud.com'],
      target.timeScale,
    );
    if (!values['json']) io.stdout.write(`Applying to ${customers.length} customers against ${target.description}\n`);
    // Each new impersonation client secret is saved by its customer's step, before the fleet goes on.
    const secretsDirectory = configPath(fleet.config, fleet.config.secrets);
    const secrets = createSecretFileStore(secretsDirectory);
    let result: ProvisionFleetResult;
    try {
      const input = await fleetInput(fleet.config, target, customers);
      result = await provisionFleet(target.env, input, {
        journal: target.journal,
        concurrency,
        onEvent: (event) => progress.onEvent(event),
        storeImpersonationClientSecret: secrets.store,
        ...(io.signal ? { signal: io.signal } : {}),
      }).catch((error: unknown) => {
        throw asFleetUsageError(error, fleet, customers);
      });
    } finally {
      progress.stop();
    }
    const secretFiles = secrets.files;
    // A client whose secret no file holds (a run killed between Qlik's answer and the write): it needs a new one.
    const unsaved: string[] = [];
    for (const c of result.customers)
      if (c.impersonationClientId && !(await readSecretFile(secretsDirectory, c.customerId)))
        unsaved.push(c.customerId);
    if (values['json'])
      printJson(io, {
        applied: true,
        counts: result.counts,
        customers: result.customers.map((c) => ({
          ...customerJson(c),
          ...(c.impersonationClientId ? { impersonationClientId: c.impersonationClientId } : {}),
          ...(secretFiles.has(c.customerId) ? { impersonationSecretFile: secretFiles.get(c.customerId) } : {}),
          ...(unsaved.includes(c.customerId) ? { impersonationSecretMissing: true } : {}),
        })),
      });
    else {
      io.stdout.write(`\n${formatResult(result)}\n`);
      for (const [customerId, file] of secretFiles)
        io.stdout.write(`The new impersonation client secret of ${customerId} is in ${file} (shown once by Qlik)\n`);
      for (const customerId of unsaved)
        io.stderr.write(
          `No saved impersonation client secret for ${customerId} in ${secretsDirectory}: give its client a new one with \`qlik-oem secrets rotate --only ${customerId}\`\n`,
        );
    }
    return result.counts.failed + result.counts.aborted > 0 ? EXIT.failed : EXIT.ok;
  },
};

function customerJson(c: ProvisionFleetResult['customers'][number]) {
  return {
    customerId: c.customerId,
    status: c.status,
    ...(c.tenantHost ? { tenantHost: c.tenantHost } : {}),
    ...(c.appId ? { appId: c.appId } : {}),
    ...(c.fetched ? { linesFetched: c.fetched.lines, tables: c.fetched.tables } : {}),
    ...(c.failedStep ? { failedStep: c.failedStep } : {}),
    ...(c.error !== undefined ? { error: errorText(c.error) } : {}),
    steps: c.steps.map((s) => ({ step: s.step, action: s.action })),
  };
}
