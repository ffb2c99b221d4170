import { sha256Hex } from '@qlik-oem/core/advanced';
import { REDACTED, sleep } from '@qlik-oem/core';
import { withSpan } from '@qlik-oem/core/tracing';
import { resolve } from 'node:path';
import { createEmit, type Emit, type EventOptions } from './emit.js';
import { RecipeStepError } from './errors.js';
import { createFileJournalStore } from './journal/file-store.js';
import { replayJournal, type JournalReplay, type StepHistory } from './journal/replay.js';
import type { JournalLock, Lease } from './journal/lease.js';
import type { JournalEntry, JournalStore, RunStatus } from './journal/types.js';
import { createOutputsView, MissingStepOutputs } from './outputs-view.js';
import type { AnyStep, Recipe } from './recipe.js';
import { resolveRetry, retryDelayMs, type StepRetryOptions } from './retry.js';
import { serializeError } from './serialize-error.js';
import type { Inspection, StepContext, StepJournalView } from './step.js';
import { parseInput } from './validation/parse.js';

/** Where journals go when no `journal` option is given: `./.journal/<customerId>.jsonl`. */
export const DEFAULT_JOURNAL_DIRECTORY = '.journal';

export interface ApplyOptions extends EventOptions {
  /** Where step outcomes are recorded. Default: files under `./.journal` (relative to the working directory). */
  journal?: JournalStore;
  signal?: AbortSignal;
  /** Step-level retries for retryable errors, on top of the transport's per-call retries. */
  retry?: StepRetryOptions;
  /**
   * How steps completed by an interrupted earlier run are treated:
   * - `'verify'` (default): every step is inspected again (cheaply, with its recorded outputs at hand);
   *   this also repairs drift.
   * - `'trust'`: steps completed since the last successful run are not inspected; their recorded
   *   outputs are used as they are. Faster resumes, no drift detection for those steps.
   */
  resume?: 'verify' | 'trust';
}

export interface PlanOptions {
  /** Read (never written) so that inspections see recorded outputs and pending intents. */
  journal?: JournalStore;
  signal?: AbortSignal;
}

export interface StepResult {
  step: string;
  action: 'none' | 'create' | 'update';
  reason: string;
  /** True when the step was not inspected but taken from the journal (`resume: 'trust'`). */
  trusted: boolean;
  attempts: number;
  durationMs: number;
}

export interface ApplyResult<Outputs> {
  recipe: string;
  customerId: string;
  runId: string;
  /**
   * `'unchanged'` when no step wrote anything and no interrupted earlier run being resumed did: the
   * customer was already converged.
   */
  status: 'provisioned' | 'unchanged';
  steps: StepResult[];
  outputs: Outputs;
}

export interface PlannedStep {
  step: string;
  /** `'depends'`: the step reads outputs of an earlier step that would still act, so it cannot be inspected yet. */
  action: 'none' | 'create' | 'update' | 'depends';
  reason: string;
  dependsOn?: string;
}

export interface PlanResult {
  recipe: string;
  customerId: string;
  /** True when at least one step would act. */
  changes: boolean;
  steps: PlannedStep[];
}

/**
 * Runs every step of the recipe for one customer: inspect, then write only what is missing or different.
 * Validates the input first (a `QlikValidationError` before any network call) and throws a
 * `RecipeStepError` naming the customer and step if a step fails. Rejects with the signal's reason on abort.
 */
export async function applyRecipe<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  input: RawInput,
  options: ApplyOptions = {},
): Promise<ApplyResult<Outputs>> {
  const parsed = parseInput(await recipe.loadInputSchema(), input, { label: `input of recipe "${recipe.name}"` });
  const run = await runValidated(recipe, parsed, options);
  if (run.result === undefined) throw run.error;
  return run.result;
}

/** Answers which steps would act, without writing anything (not even the journal). */
export async function planRecipe<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  input: RawInput,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const parsed = parseInput(await recipe.loadInputSchema(), input, { label: `input of recipe "${recipe.name}"` });
  return planValidated(recipe, parsed, options);
}

/** @internal `planRecipe` for an already validated input. */
export async function planValidated<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  parsed: Input,
  options: PlanOptions,
): Promise<PlanResult> {
  const signal = options.signal ?? new AbortController().signal;
  const customerId = recipe.customerIdOf(parsed);
  const replay = replayJournal(options.journal ? await options.journal.read(customerId) : [], recipe.name);
  const stepNames = new Set(recipe.steps.map((step) => step.name));
  const outputs: Record<string, unknown> = {};
  const planned: PlannedStep[] = [];
  for (const step of recipe.steps) {
    signal.throwIfAborted();
    const context = makeContext(
      recipe,
      customerId,
      parsed,
      outputs,
      stepNames,
      signal,
      journalView(replay, step.name),
      1,
    );
    let inspection: Inspection<unknown>;
    try {
      inspection = await step.inspect(context);
    } catch (error) {
      if (error instanceof MissingStepOutputs) {
        planned.push({
          step: step.name,
          action: 'depends',
          reason: `would act (depends on ${error.dependsOn})`,
          dependsOn: error.dependsOn,
        });
        continue;
      }
      if (signal.aborted) throw signal.reason;
      throw new RecipeStepError({ recipe: recipe.name, customerId, step: step.name, attempts: 1, cause: error });
    }
    if (inspection.action === 'none') outputs[step.name] = inspection.outputs;
    planned.push({ step: step.name, action: inspection.action, reason: inspection.reason });
  }
  return { recipe: recipe.name, customerId, changes: planned.some((step) => step.action !== 'none'), steps: planned };
}

/** @internal The outcome of one customer's run, failed or not, for `applyRecipe` and the fleet scheduler. */
export type RunOutcome<Outputs> =
  | { ok: true; result: ApplyResult<Outputs>; status: 'provisioned' | 'unchanged' }
  | {
      ok: false;
      result?: undefined;
      error: unknown;
      status: 'failed' | 'aborted';
      steps: StepResult[];
      /** What the steps that finished before the failure produced (a tenant created before a later step failed). */
      outputs: Partial<Outputs>;
    };

/** @internal Runs an already validated input. Never throws; failures come back as the outcome. */
export function runValidated<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  input: Input,
  options: ApplyOptions,
): Promise<RunOutcome<Outputs>> {
  const attributes = { 'qlik_oem.recipe': recipe.name, 'qlik_oem.customer.id': recipe.customerIdOf(input) };
  return withSpan('qlik-oem.recipe', { attributes }, async (span) => {
    const outcome = await runRecipe(recipe, input, options);
    span.setAttribute('qlik_oem.recipe.status', outcome.status);
    return outcome;
  });
}

async function runRecipe<Input, Outputs extends object, RawInput>(
  recipe: Recipe<Input, Outputs, RawInput>,
  input: Input,
  options: ApplyOptions,
): Promise<RunOutcome<Outputs>> {
  const signal = options.signal ?? new AbortController().signal;
  const journal = options.journal ?? createFileJournalStore({ directory: resolve(DEFAULT_JOURNAL_DIRECTORY) });
  const retry = resolveRetry(options.retry);
  const emit = createEmit(options);
  const customerId = recipe.customerIdOf(input);
  const runId = crypto.randomUUID();
  const inputHash = hashInput(input);
  const steps: StepResult[] = [];
  const stepNames = new Set(recipe.steps.map((step) => step.name));
  const outputs: Record<string, unknown> = {};

  // Called only once the lock is held: a run whose lease was lost writes nothing more (another run may own the journal now).
  const record = async (entry: DistributiveOmit<JournalEntry, 'v' | 'runId' | 'customerId' | 'recipe' | 'at'>) => {
    lease?.signal.throwIfAborted();
    await journal.append({
      v: 1,
      runId,
      customerId,
      recipe: recipe.name,
      at: new Date().toISOString(),
      ...entry,
    });
  };
  const finish = async (status: RunStatus) => {
    try {
      await record({ type: 'run:done', status });
    } catch {
      // The run's outcome stands; a missing run:done only means the next run resumes with 'verify' semantics.
    }
  };

  // Held for the whole run, so that two runs never inspect-then-create the same customer at once.
  let release: JournalLock | undefined;
  try {
    signal.throwIfAborted();
    release = await journal.lock?.(customerId);
  } catch (error) {
    if (signal.aborted) return { ok: false, status: 'aborted', error: signal.reason, steps, outputs: {} };
    return { ok: false, status: 'failed', error, steps, outputs: {} };
  }
  const lease: Lease | undefined = release?.lease;
  // Steps see a lost lease as an abort of their own: they stop at the next await.
  const stepSignal = lease ? AbortSignal.any([signal, lease.signal]) : signal;
  try {
    return await runSteps();
  } finally {
    await release?.().catch(() => undefined);
  }

  async function runSteps(): Promise<RunOutcome<Outputs>> {
    let currentStep: string | undefined;
    try {
      const replay = replayJournal(await journal.read(customerId), recipe.name);
      await record(inputHash === undefined ? { type: 'run:start' } : { type: 'run:start', inputHash });
      for (const step of recipe.steps) {
        currentStep = step.name;
        stepSignal.throwIfAborted();
        const history = replay.step(step.name);
        if (options.resume === 'trust' && isTrustworthy(history, inputHash)) {
          outputs[step.name] = history.recordedOutputs;
          const reason = 'completed by an interrupted earlier run (trusted from the journal)';
          steps.push({ step: step.name, action: 'none', reason, trusted: true, attempts: 0, durationMs: 0 });
          emit('step:skip', { customerId, recipe: recipe.name, step: step.name, reason, trusted: true });
          continue;
        }
        const result = await runStep({
          recipe,
          step,
          customerId,
          input,
          outputs,
          stepNames,
          signal: stepSignal,
          replay,
          retry,
          emit,
          record,
        });
        steps.push(result);
      }
      currentStep = undefined;
      // A resumed run that only reconciles what the interrupted run wrote still reports the customer as provisioned.
      const wrote = steps.some((step) => step.action !== 'none') || replay.writesSinceLastFinishedRun;
      const status = wrote ? 'provisioned' : 'unchanged';
      await record({ type: 'run:done', status });
      // Still under the lock: nobody appends while the superseded lines go. A failure keeps the journal whole.
      await journal.compact?.(customerId).catch(() => undefined);
      return {
        ok: true,
        status,
        result: { recipe: recipe.name, customerId, runId, status, steps, outputs: outputs as Outputs },
      };
    } catch (error) {
      const partial = outputs as Partial<Outputs>;
      if (lease?.signal.aborted && !signal.aborted) {
        return { ok: false, status: 'failed', error: lease.signal.reason, steps, outputs: partial };
      }
      if (signal.aborted) {
        await finish('aborted');
        return { ok: false, status: 'aborted', error: signal.reason, steps, outputs: partial };
      }
      await finish('failed');
      const wrapped =
        error instanceof RecipeStepError
          ? error
          : new RecipeStepError({
              recipe: recipe.name,
              customerId,
              step: currentStep ?? '(journal)',
              attempts: 0,
              cause: error,
            });
      return { ok: false, status: 'failed', error: wrapped, steps, outputs: partial };
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface StepRun {
  recipe: { name: string };
  step: AnyStep;
  customerId: string;
  input: unknown;
  outputs: Record<string, unknown>;
  stepNames: ReadonlySet<string>;
  signal: AbortSignal;
  replay: JournalReplay;
  retry: ReturnType<typeof resolveRetry>;
  emit: Emit;
  record: (entry: DistributiveOmit<JournalEntry, 'v' | 'runId' | 'customerId' | 'recipe' | 'at'>) => Promise<void>;
}

/** A step as a span: its name and customer, then the action it took, why, and its attempts. */
function runStep(run: StepRun): Promise<StepResult> {
  const attributes = { 'qlik_oem.step': run.step.name, 'qlik_oem.customer.id': run.customerId };
  return withSpan('qlik-oem.step', { attributes }, async (span) => {
    const result = await runStepAttempts(run);
    span.setAttributes({
      'qlik_oem.step.action': result.action,
      'qlik_oem.step.reason': result.reason,
      'qlik_oem.step.attempts': result.attempts,
    });
    return result;
  });
}

/** Inspect → (journal intent) → apply → journal outcome, with bounded retries. Throws on failure. */
async function runStepAttempts(run: StepRun): Promise<StepResult> {
  const { recipe, step, customerId, signal, emit, record } = run;
  const names = { customerId, recipe: recipe.name, step: step.name };
  const maxAttempts = 1 + Math.max(0, step.retries ?? run.retry.retries);
  const started = Date.now();
  emit('step:start', names);
  // Intents written during this run count as pending for the retries that follow.
  let journal = journalView(run.replay, step.name);
  for (let attempt = 1; ; attempt++) {
    try {
      const context = makeContext(recipe, customerId, run.input, run.outputs, run.stepNames, signal, journal, attempt);
      const inspection = (await step.inspect(context)) as Inspection<unknown>;
      signal.throwIfAborted();
      if (inspection.action === 'none') {
        await record({ type: 'step:done', step: step.name, action: 'none', outputs: inspection.outputs });
        run.outputs[step.name] = inspection.outputs;
        emit('step:skip', { ...names, reason: inspection.reason, trusted: false });
        return {
          step: step.name,
          action: 'none',
          reason: inspection.reason,
          trusted: false,
          attempts: attempt,
          durationMs: Date.now() - started,
        };
      }
      // The intent is durable before the write starts: a kill from here on is recoverable by marker.
      const intent =
        inspection.marker === undefined
          ? { action: inspection.action }
          : { action: inspection.action, marker: inspection.marker };
      await record({ type: 'step:intent', step: step.name, ...intent });
      journal = { ...journal, pendingIntent: intent };
      const produced: unknown = await step.apply(context, inspection);
      // Recorded even if an abort arrived meanwhile: the write happened, the next run should know its id.
      await record({ type: 'step:done', step: step.name, action: inspection.action, outputs: produced });
      run.outputs[step.name] = produced;
      const durationMs = Date.now() - started;
      emit('step:done', { ...names, action: inspection.action, durationMs });
      return {
        step: step.name,
        action: inspection.action,
        reason: inspection.reason,
        trusted: false,
        attempts: attempt,
        durationMs,
      };
    } catch (error) {
      if (signal.aborted) {
        await record({ type: 'step:fail', step: step.name, error: serializeError(signal.reason) }).catch(
          () => undefined,
        );
        throw signal.reason;
      }
      const cause = error instanceof MissingStepOutputs ? outOfOrderRead(step.name, error) : error;
      if (attempt < maxAttempts && run.retry.isRetryable(cause)) {
        const delayMs = retryDelayMs(cause, attempt, run.retry);
        emit('step:retry', { ...names, attempt, delayMs, error: serializeError(cause) });
        await sleep(delayMs, signal);
        continue;
      }
      const serialized = serializeError(cause);
      await record({ type: 'step:fail', step: step.name, error: serialized }).catch(() => undefined);
      emit('step:fail', { ...names, error: serialized });
      throw new RecipeStepError({ recipe: recipe.name, customerId, step: step.name, attempts: attempt, cause });
    }
  }
}

/**
 * `resume: 'trust'` skips a step only when the interrupted run completed it for the same input, and its
 * recorded outputs are complete (a `Secret` is journaled as `[REDACTED]`, so such outputs must be re-read).
 */
function isTrustworthy(history: StepHistory, inputHash: string | undefined): boolean {
  return (
    inputHash !== undefined &&
    history.completedSinceLastFinishedRun &&
    history.hasRecordedOutputs &&
    history.recordedForInputHash === inputHash &&
    !JSON.stringify(history.recordedOutputs ?? null).includes(REDACTED)
  );
}

/** A fingerprint of the validated input; `Secret`s serialise as `[REDACTED]`, so they never reach the journal. */
function hashInput(input: unknown): string | undefined {
  try {
    return sha256Hex(JSON.stringify(input ?? null));
  } catch {
    return undefined; // not JSON (e.g. a BigInt): such runs are simply never trusted
  }
}

function outOfOrderRead(step: string, error: MissingStepOutputs): Error {
  return new Error(
    `step "${step}" read the outputs of step "${error.dependsOn}", which runs later; steps run in the order they are added`,
  );
}

function journalView(replay: JournalReplay, stepName: string): StepJournalView {
  const history = replay.step(stepName);
  const view: StepJournalView = {};
  if (history.hasRecordedOutputs) view.recordedOutputs = history.recordedOutputs;
  if (history.pendingIntent) view.pendingIntent = history.pendingIntent;
  return view;
}

function makeContext(
  recipe: { name: string },
  customerId: string,
  input: unknown,
  outputs: Record<string, unknown>,
  stepNames: ReadonlySet<string>,
  signal: AbortSignal,
  journal: StepJournalView,
  attempt: number,
): StepContext<unknown, unknown> {
  return {
    recipe: recipe.name,
    customerId,
    input,
    outputs: createOutputsView(outputs, stepNames),
    signal,
    journal,
    attempt,
  };
}
