import type { z } from 'zod';
import type { StepDefinition } from './step.js';

// Steps are stored without their individual types; the runner only moves JSON outputs between them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an existential step: no other type accepts every step's parameters and results.
export type AnyStep = StepDefinition<string, any, any, any, any>;

/**
 * An ordered list of named steps over a validated input.
 *
 * `Input` is what steps see (after zod parsing), `RawInput` what callers pass, and `Outputs` maps
 * each step name to the outputs it produces, growing with every `.step(...)`.
 */
export interface Recipe<Input, Outputs extends object = Record<never, never>, RawInput = Input> {
  readonly name: string;
  readonly inputSchema: z.ZodType<Input, RawInput>;
  readonly customerIdOf: (input: Input) => string;
  readonly steps: readonly AnyStep[];
  /** Returns a new recipe with this step appended. Step names must be unique within a recipe. */
  step<Name extends string, Out, Current = unknown>(
    definition: StepDefinition<Name, Input, Outputs, Out, Current> & {
      name: Name extends keyof Outputs ? never : Name;
    },
  ): Recipe<Input, Outputs & { [K in Name]: Out }, RawInput>;
}

export interface RecipeOptions<Schema extends z.ZodType> {
  /** Names the recipe in events, errors and the journal (e.g. "onboardTenant"). */
  name: string;
  /** Validates the input before any step runs (before any network call). */
  input: Schema;
  /** Which customer an input belongs to; keys the journal and every event. */
  customerId: (input: z.output<Schema>) => string;
}

export function defineRecipe<Schema extends z.ZodType>(
  options: RecipeOptions<Schema>,
): Recipe<z.output<Schema>, Record<never, never>, z.input<Schema>> {
  return buildRecipe(
    options.name,
    options.input as z.ZodType<z.output<Schema>, z.input<Schema>>,
    options.customerId,
    [],
  );
}

function buildRecipe<Input, Outputs extends object, RawInput>(
  name: string,
  inputSchema: z.ZodType<Input, RawInput>,
  customerIdOf: (input: Input) => string,
  steps: readonly AnyStep[],
): Recipe<Input, Outputs, RawInput> {
  return Object.freeze({
    name,
    inputSchema,
    customerIdOf,
    steps,
    step(definition: AnyStep) {
      if (typeof definition.name !== 'string' || definition.name === '') {
        throw new TypeError(`Recipe "${name}": every step needs a non-empty name`);
      }
      if (steps.some((existing) => existing.name === definition.name)) {
        throw new TypeError(`Recipe "${name}" already has a step named "${definition.name}"`);
      }
      return buildRecipe(name, inputSchema, customerIdOf, Object.freeze([...steps, definition]));
    },
  });
}
