// The deployAutomations recipe and step: named automations copied into a customer tenant from the source
// tenant or from JSON definitions, found by name, updated in place when changed, enabled or disabled, and
// optionally run once (waiting for the run).
import { readFile } from 'node:fs/promises';
import { QlikError, systemClock, waitUntil, type Clock } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type AutomationsApi, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineRecipe } from '../recipe.js';
import { scimString } from './finders.js';
import { lazySchema } from '../validation/load.js';
import type {
  AutomationDefinition,
  AutomationSpec,
  AutomationSpecInput,
  DeployAutomationsInput,
  DeployAutomationsParsedInput,
} from './deploy-automations-input.js';
import {
  applyRecipe,
  planRecipe,
  type ApplyOptions,
  type ApplyResult,
  type PlanOptions,
  type PlanResult,
} from '../runner.js';
import type { StepDefinition } from '../step.js';
import { wireText } from '../wire-text.js';

/** An automation as Qlik's Automations API returns it (with its workspace). */
export type Automation = AutomationsApi.components['schemas']['AutomationDetailResponseObject'];
type AutomationRun = AutomationsApi.components['schemas']['RunDetailResponseObject'];
type ScheduleRequest = AutomationsApi.components['schemas']['ScheduleRequestObject'];
import { AutomationRunFailedError } from './errors.js';

export { AutomationRunFailedError };

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadDeployAutomationsInput = lazySchema('deployAutomationsInputSchema');

/**
 * Reads an automation definition kept in git: `{ "name", "description"?, "workspace", "schedules"? }` (the
 * fields of Qlik's automation JSON). Returns a spec to put in `automations`.
 */
export async function readAutomationFile(
  path: string,
  options: Pick<AutomationSpecInput, 'enabled' | 'runOnce'> = {},
): Promise<AutomationSpecInput> {
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  return {
    name: wireText(json.name),
    definition: {
      description: json.description as string,
      workspace: json.workspace as Record<string, unknown>,
      ...(json.schedules ? { schedules: json.schedules as Array<Record<string, unknown>> } : {}),
    },
    ...options,
  };
}

/** The automation named exactly `name` (with its workspace), or undefined. */
export async function findAutomationByName(
  qc: QlikCloud,
  name: string,
  signal?: AbortSignal,
): Promise<Automation | undefined> {
  const candidates = await collectAll(
    paginate(
      qc.automations,
      '/api/v1/automations',
      { params: { query: { filter: `name eq ${scimString(name)}`, limit: 100 } } },
      signal ? { signal } : {},
    ),
    { limit: 1000 },
  );
  const match = candidates.find((a) => a.name === name);
  if (!match?.id) return undefined;
  return unwrap(
    await qc.automations.GET('/api/v1/automations/{id}', {
      params: { path: { id: match.id } },
      ...(signal ? { signal } : {}),
    }),
  );
}

/** Schedules compared without the ids the service gives them. */
const comparableSchedules = (schedules: ReadonlyArray<Record<string, unknown>> | undefined) =>
  JSON.stringify((schedules ?? []).map(({ id: _id, lastStartedAt: _last, ...rest }) => canonical(rest)));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** Which parts of `current` differ from `definition`. */
export function automationDifferences(current: Automation, definition: AutomationDefinition): string[] {
  const differences: string[] = [];
  if ((current.description ?? '') !== definition.description) differences.push('description');
  if (JSON.stringify(canonical(current.workspace ?? {})) !== JSON.stringify(canonical(definition.workspace)))
    differences.push('workspace');
  if (comparableSchedules(current.schedules) !== comparableSchedules(definition.schedules))
    differences.push('schedules');
  return differences;
}

/** What a deploy does to one automation: create it, or bring the existing one in line. */
export interface AutomationChange {
  name: string;
  definition: AutomationDefinition;
  enabled: boolean;
  runOnce: boolean;
  /** The existing automation's id (undefined: create it). */
  id: string | undefined;
  differences: string[];
  setState: boolean;
}

export interface DeployAutomationsOutputs {
  /** The automations' ids in the customer tenant, by name. */
  automationIds: Record<string, string>;
  /** Runs started by this run (`runOnce`), by name. */
  runIds: Record<string, string>;
}

const FINAL_RUN_STATUSES = new Set(['failed', 'finished', 'finished with warnings', 'stopped', 'exceeded limit']);

/** Polls the run until it ends (pauses grow from 500 ms to 10 s on `clock`); throws when it did not finish. */
async function waitForAutomationRun(
  qc: QlikCloud,
  automation: { id: string; name: string },
  runId: string,
  options: { clock: Clock; signal: AbortSignal; timeoutMs: number },
): Promise<AutomationRun> {
  let status = '';
  return waitUntil(
    async () => {
      const run = unwrap(
        await qc.automations.GET('/api/v1/automations/{id}/runs/{runId}', {
          params: { path: { id: automation.id, runId } },
          signal: options.signal,
        }),
      );
      status = run.status ?? '';
      if (!FINAL_RUN_STATUSES.has(status)) return undefined;
      if (status === 'finished' || status === 'finished with warnings') return run;
      throw new AutomationRunFailedError(automation.name, runId, status);
    },
    {
      timeoutMs: options.timeoutMs,
      pollIntervalMs: 500,
      backoff: 2,
      maxPollIntervalMs: 10_000,
      clock: options.clock,
      signal: options.signal,
      onTimeout: () =>
        new AutomationRunFailedError(automation.name, runId, `still ${status} after ${options.timeoutMs} ms`),
    },
  );
}

export interface DeployAutomationsEnvironment {
  source(): QlikCloud;
  tenant(host: string): QlikCloud;
  readonly clock?: Clock;
}

/**
 * The `automations` step: for each spec, the definition (its own, or the source tenant's automation of
 * that name), then the customer's automation of that name: created, replaced (`PUT`) when its description,
 * workspace or schedules differ, enabled or disabled as asked, and run once when asked and it changed.
 * A second run writes nothing; a run stopped after a create finds the automation by its name.
 */
export function deployAutomationsStep<Input, Prior>(
  env: DeployAutomationsEnvironment,
  target: (ctx: { input: Input; outputs: Prior }) => { tenantHost: string; automations: AutomationSpec[] } | undefined,
  options: { runTimeoutMs?: number } = {},
): StepDefinition<'automations', Input, Prior, DeployAutomationsOutputs, AutomationChange[]> {
  const clock = env.clock ?? systemClock;
  return {
    name: 'automations',
    async inspect(ctx) {
      const wanted = target(ctx);
      if (!wanted || wanted.automations.length === 0)
        return { action: 'none', reason: 'no automations requested', outputs: { automationIds: {}, runIds: {} } };
      const qc = env.tenant(wanted.tenantHost);
      const automationIds: Record<string, string> = {};
      const changes: AutomationChange[] = [];
      for (const spec of wanted.automations) {
        const definition = spec.definition ?? (await sourceDefinition(env.source(), spec.name, ctx.signal));
        const current = await findAutomationByName(qc, spec.name, ctx.signal);
        const differences = current ? automationDifferences(current, definition) : [];
        const setState = current ? (current.state === 'disabled') === spec.enabled : !spec.enabled;
        if (current?.id) automationIds[spec.name] = current.id;
        if (current && differences.length === 0 && !setState) continue;
        changes.push({
          name: spec.name,
          definition,
          enabled: spec.enabled,
          runOnce: spec.runOnce,
          id: current?.id,
          differences,
          setState,
        });
      }
      if (changes.length === 0)
        return { action: 'none', reason: 'every automation is up to date', outputs: { automationIds, runIds: {} } };
      const what = changes.map((c) =>
        c.id ? `${c.name} (${[...c.differences, ...(c.setState ? ['state'] : [])].join(', ')})` : `${c.name} (new)`,
      );
      return {
        action: 'update',
        reason: `automations to deploy: ${what.join('; ')}`,
        marker: changes.map((c) => c.name).join(','),
        current: changes,
      };
    },
    async apply(ctx, inspection) {
      const wanted = target(ctx)!;
      const qc = env.tenant(wanted.tenantHost);
      const automationIds: Record<string, string> = {};
      const runIds: Record<string, string> = {};
      const changes = inspection.action === 'update' ? inspection.current : [];
      for (const change of changes) {
        const { description, workspace, schedules } = change.definition;
        // Schedules are passed on as given (validated by Qlik); their fields are the spec's ScheduleRequestObject.
        const body = { name: change.name, description, workspace, schedules: schedules as ScheduleRequest[] };
        let id = change.id;
        if (!id) {
          id = unwrap(await qc.automations.POST('/api/v1/automations', { body, signal: ctx.signal })).id!;
        } else if (change.differences.length > 0) {
          unwrap(
            await qc.automations.PUT('/api/v1/automations/{id}', {
              params: { path: { id } },
              body,
              signal: ctx.signal,
            }),
          );
        }
        if (change.setState) {
          const action = change.enabled
            ? '/api/v1/automations/{id}/actions/enable'
            : '/api/v1/automations/{id}/actions/disable';
          unwrap(await qc.automations.POST(action, { params: { path: { id } }, signal: ctx.signal }));
        }
        automationIds[change.name] = id;
        if (change.runOnce && change.enabled && (!change.id || change.differences.length > 0)) {
          const run = unwrap(
            await qc.automations.POST('/api/v1/automations/{id}/runs', {
              params: { path: { id } },
              body: { context: 'api' },
              signal: ctx.signal,
            }),
          );
          runIds[change.name] = run.id!;
          await waitForAutomationRun(qc, { id, name: change.name }, run.id!, {
            clock,
            signal: ctx.signal,
            timeoutMs: options.runTimeoutMs ?? 15 * 60_000,
          });
        }
      }
      // Names that needed nothing keep the ids inspect found.
      for (const spec of wanted.automations) {
        if (automationIds[spec.name]) continue;
        const found = await findAutomationByName(qc, spec.name, ctx.signal);
        if (found?.id) automationIds[spec.name] = found.id;
      }
      return { automationIds, runIds };
    },
  };
}

async function sourceDefinition(source: QlikCloud, name: string, signal: AbortSignal): Promise<AutomationDefinition> {
  const automation = await findAutomationByName(source, name, signal);
  if (!automation) throw new QlikError(`The source tenant ${source.host} has no automation named "${name}"`);
  return {
    description: automation.description ?? '',
    workspace: automation.workspace ?? {},
    schedules: ((automation.schedules ?? []) as Array<Record<string, unknown>>).map(
      ({ id: _id, lastStartedAt: _l, ...rest }) => rest,
    ),
  };
}

/** The deployAutomations recipe: one step, `automations`. */
export function deployAutomationsRecipe(env: DeployAutomationsEnvironment, options: { runTimeoutMs?: number } = {}) {
  return defineRecipe({
    name: 'deployAutomations',
    input: loadDeployAutomationsInput,
    customerId: (input) => input.customerId,
  }).step(
    deployAutomationsStep<DeployAutomationsParsedInput, Record<never, never>>(
      env,
      ({ input }) => ({ tenantHost: input.tenantHost, automations: input.automations }),
      options,
    ),
  );
}

/** Deploys the named automations into one customer tenant. Input is validated before any request. */
export function deployAutomations(
  env: DeployAutomationsEnvironment,
  input: DeployAutomationsInput,
  options: ApplyOptions & { runTimeoutMs?: number } = {},
): Promise<ApplyResult<{ automations: DeployAutomationsOutputs }>> {
  const { runTimeoutMs, ...apply } = options;
  return applyRecipe(deployAutomationsRecipe(env, runTimeoutMs === undefined ? {} : { runTimeoutMs }), input, apply);
}

/** What `deployAutomations` would do, without writing. */
export function planDeployAutomations(
  env: DeployAutomationsEnvironment,
  input: DeployAutomationsInput,
  options: PlanOptions = {},
): Promise<PlanResult> {
  return planRecipe(deployAutomationsRecipe(env), input, options);
}
