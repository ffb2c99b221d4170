import { setMaxListeners } from 'node:events';
import { type ValidationIssue } from '@qlik-oem/core';
import { withSpan } from '@qlik-oem/core/tracing';
import { createEmit } from './emit.js';
import type { Recipe } from './recipe.js';
import {
  planValidated,
  runValidated,
  type ApplyOptions,
  type PlanOptions,
  type PlanResult,
  type StepResult,
} from './runner.js';
import { serializeError, type SerializedError } from './serialize-error.js';
import { createValidationError, parseEach } from './validation/parse.js';

export interface FleetOptions extends ApplyOptions {
  /**
   * How many customers run at the same time. Default 64: fleet work waits on Qlik's rate limits, and
   * pacing happens in the transport, so a high limit keeps one slow customer from holding up others.
   */
  concurrency?: number;
  /** Stop starting customers after the first failure and abort those in flight. Default false. */
  failFast?: boolean;
}

export interface CustomerResult<Outputs> {
  customerId: string;
  /**
   * `provisioned`: at least one step wrote; `unchanged`: already converged; `failed`: a step failed
   * (see `error`); `aborted`: the fleet was aborted (or stopped by `failFast`) before this customer finished.
   */
  status: 'provisioned' | 'unchanged' | 'failed' | 'aborted';
  steps: StepResult[];
  /** Every step's outputs, for customers that finished (`provisioned` or `unchanged`). */
  outputs?: Outputs;
  /**
   * For `failed` and `aborted` customers: the outputs of the steps that finished before, e.g. the tenant
   * a later step failed on (it is in the customer's journal, and the next run continues with it).
   */
  partialOutputs?: Partial<Outputs>;
  /** The `RecipeStepError` (or abort reason) for failed and aborted customers. */
  error?: unknown;
}

export interface FleetResult<Outputs> {
  /** One result per customer, in the order the customers were given. */
  customers: CustomerResult<Outputs>[];
  counts: Record<CustomerResult<Outputs>['status'], number>;
}

/**
 * Runs a recipe for many customers, `concurrency` at a time. Every input is validated before the first
 * customer starts (a `QlikValidationError` naming e.g. `customers[3].alias`); duplicate customer ids
 * are rejected. One customer's failure never stops the others unless `failFast`. Each customer
 * resumes from its journal, so re-running a fleet after a crash picks up where it stopped.
 */
export async function runFleet<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  customers: readonly RawInput[],
  options: FleetOptions = {},
): Promise<FleetResult<Outputs>> {
  const concurrency = checkConcurrency(options.concurrency);
  const { inputs, ids } = await validateCustomers(recipe, customers);

  // One controller for the fleet: the caller's signal and failFast both stop everything.
  const controller = new AbortController();
  // Every customer in flight listens on this one signal (steps, backoff sleeps): that is expected, not a leak.
  setMaxListeners(Math.max(10, concurrency * 8), controller.signal);
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const emit = createEmit(options);
  const results = new Array<CustomerResult<Outputs>>(inputs.length);

  const runOne = (index: number): Promise<void> =>
    withSpan('qlik-oem.customer', { attributes: { 'qlik_oem.customer.id': ids[index]! } }, async (span) => {
      await runCustomer(index);
      span.setAttribute('qlik_oem.customer.status', results[index]!.status);
    });
  const runCustomer = async (index: number): Promise<void> => {
    const input = inputs[index] as Input;
    const customerId = ids[index]!;
    const started = Date.now();
    emit('customer:start', { customerId, recipe: recipe.name });
    const outcome = await runValidated(recipe, input, { ...options, signal: controller.signal });
    const result: CustomerResult<Outputs> = outcome.ok
      ? { customerId, status: outcome.status, steps: outcome.result.steps, outputs: outcome.result.outputs }
      : {
          customerId,
          status: outcome.status,
          steps: outcome.steps,
          partialOutputs: outcome.outputs,
          error: outcome.error,
        };
    results[index] = result;
    emit('customer:done', { customerId, recipe: recipe.name, status: result.status, durationMs: Date.now() - started });
    if (result.status === 'failed' && options.failFast && !controller.signal.aborted) {
      controller.abort(new FleetStoppedError(customerId, serializeError(result.error)));
    }
  };

  const fleetAttributes = {
    'qlik_oem.recipe': recipe.name,
    'qlik_oem.fleet.customers': inputs.length,
    'qlik_oem.fleet.concurrency': concurrency,
  };
  try {
    await withSpan('qlik-oem.fleet', { attributes: fleetAttributes }, () =>
      runPool(inputs.length, concurrency, controller.signal, runOne),
    );
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  for (let index = 0; index < inputs.length; index++) {
    results[index] ??= { customerId: ids[index]!, status: 'aborted', steps: [], error: controller.signal.reason };
  }
  const counts = { provisioned: 0, unchanged: 0, failed: 0, aborted: 0 };
  for (const result of results) counts[result.status]++;
  return { customers: results, counts };
}

export interface FleetPlanOptions extends PlanOptions {
  /** How many customers are inspected at the same time. Default 64. */
  concurrency?: number;
}

export interface CustomerPlan {
  customerId: string;
  /** The plan, unless inspecting failed (then `error` is a `RecipeStepError`). */
  plan?: PlanResult;
  error?: unknown;
}

/**
 * `planRecipe` for many customers: which customers (and steps) a `runFleet` would change. Writes
 * nothing. Inputs are validated first, like `runFleet`.
 */
export async function planFleet<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  customers: readonly RawInput[],
  options: FleetPlanOptions = {},
): Promise<{ customers: CustomerPlan[]; changes: number }> {
  const concurrency = checkConcurrency(options.concurrency);
  const { inputs, ids } = await validateCustomers(recipe, customers);
  // A signal of our own (following the caller's), so raising its listener limit touches nothing of theirs.
  const signal = options.signal ? AbortSignal.any([options.signal]) : new AbortController().signal;
  setMaxListeners(Math.max(10, concurrency * 8), signal);
  const plans = new Array<CustomerPlan>(inputs.length);
  await runPool(inputs.length, concurrency, signal, async (index) => {
    try {
      plans[index] = {
        customerId: ids[index]!,
        plan: await planValidated(recipe, inputs[index] as Input, { ...options, signal }),
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      plans[index] = { customerId: ids[index]!, error };
    }
  });
  signal.throwIfAborted();
  return { customers: plans, changes: plans.filter((entry) => entry.plan?.changes).length };
}

/**
 * Runs `task(0..count-1)` with `concurrency` workers, each taking the next index when it is free, so
 * one slow task holds up only its own worker. Stops handing out work once `signal` aborts.
 */
async function runPool(
  count: number,
  concurrency: number,
  signal: AbortSignal,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !signal.aborted) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function checkConcurrency(concurrency = 64): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw createValidationError('fleet options', [
      { path: ['concurrency'], message: `must be a whole number of at least 1, got ${String(concurrency)}` },
    ]);
  }
  return concurrency;
}

async function validateCustomers<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  customers: readonly RawInput[],
): Promise<{ inputs: Input[]; ids: string[] }> {
  const inputs = parseEach(await recipe.loadInputSchema(), customers, {
    label: `customers of recipe "${recipe.name}"`,
    path: ['customers'],
  });
  const ids = inputs.map((input) => recipe.customerIdOf(input));
  assertUniqueIds(ids, recipe.name);
  return { inputs, ids };
}

/** The abort reason given to customers that were stopped because another one failed (`failFast`). */
export class FleetStoppedError extends Error {
  override name = 'FleetStoppedError';
  constructor(
    readonly failedCustomerId: string,
    readonly failure: SerializedError,
  ) {
    super(`Fleet stopped (failFast) after customer "${failedCustomerId}" failed: ${failure.message}`);
  }
}

function assertUniqueIds(ids: readonly string[], recipeName: string): void {
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else
      issues.push({
        path: ['customers', index],
        message: `has the same customer id "${id}" as customers[${first}]; each customer must appear once`,
      });
  });
  if (issues.length > 0) throw createValidationError(`customers of recipe "${recipeName}"`, issues);
}
