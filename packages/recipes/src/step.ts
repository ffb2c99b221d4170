/** What a step found when it looked at the current state. */
export type StepAction = 'none' | 'create' | 'update';

/**
 * The result of `inspect`: either nothing to do (with the outputs later steps need, e.g. the id of the
 * resource that already exists), or a create/update for `apply` to carry out.
 *
 * A `create` must name its idempotency `marker` (the tenant alias, the space name, the app's
 * `originAppId`...): the runner journals it before `apply` runs, so a run killed between the write and
 * the journal entry can find the resource by that marker when it resumes.
 */
export type Inspection<Out, Current = unknown> =
  | { action: 'none'; reason: string; outputs: Out }
  | { action: 'create'; reason: string; marker: string; current?: Current }
  | { action: 'update'; reason: string; marker?: string; current: Current };

/** An inspection that asks for a write. */
export type WriteInspection<Out, Current = unknown> = Exclude<Inspection<Out, Current>, { action: 'none' }>;

/** What the journal knows about this step from earlier (possibly killed) runs. */
export interface StepJournalView {
  /**
   * Outputs the step recorded last time it completed, if it ever did (JSON, as the step returned
   * them). Use them to re-verify cheaply (get by id) before searching.
   */
  recordedOutputs?: unknown;
  /**
   * Set when an earlier run announced a write and was stopped before it recorded the result: the
   * resource may or may not exist. Look it up by this marker instead of creating it again.
   */
  pendingIntent?: { action: 'create' | 'update'; marker?: string };
}

export interface StepContext<Input, Prior> {
  readonly recipe: string;
  readonly customerId: string;
  readonly input: Input;
  /**
   * Outputs of earlier steps, by step name. Reading the outputs of a step that has not produced any
   * yet (in `plan`, a step that would still act) stops this step's inspection; the plan reports it
   * as "would act (depends on <step>)".
   */
  readonly outputs: Prior;
  readonly signal: AbortSignal;
  readonly journal: StepJournalView;
  /** 1 on the first attempt; higher when the runner retries the step after a retryable error. */
  readonly attempt: number;
}

export interface StepDefinition<Name extends string, Input, Prior, Out, Current = unknown> {
  readonly name: Name;
  /** Reads the current state; must not write. Called by both `plan` and `apply`, and again on every retry. */
  inspect(context: StepContext<Input, Prior>): Promise<Inspection<Out, Current>>;
  /** Writes what is missing or different and returns the outputs (ids) later steps need. Outputs must be JSON. */
  apply(context: StepContext<Input, Prior>, inspection: WriteInspection<Out, Current>): Promise<Out>;
  /** Per-step override of the runner's step retries (e.g. 0 for a step whose write is not safe to repeat). */
  readonly retries?: number;
}

/**
 * Identity helper that gives a stand-alone step its types. Inside `recipe.step(...)` the types are
 * inferred without it.
 */
export function defineStep<Name extends string, Input, Prior, Out, Current = unknown>(
  definition: StepDefinition<Name, Input, Prior, Out, Current>,
): StepDefinition<Name, Input, Prior, Out, Current> {
  return definition;
}
