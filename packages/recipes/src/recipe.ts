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
  /** The input schema, loaded on first use (zod stays off the import path of `@qlik-oem/recipes`). */
  readonly loadInputSchema: () => Promise<z.ZodType<Input, RawInput>>;
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
  /**
   * Validates the input before any step runs (before any network call): a zod schema, or a function that
   * loads one (e.g. `() => import('./my-schemas.js').then((m) => m.inputSchema)`), called on first validation.
   */
  input: Schema | (() => Promise<Schema>);
  /** Which customer an input belongs to; keys the journal and every event. */
  customerId: (input: z.output<Schema>) => string;
}

/** Starts a recipe over an input schema (or a loader of one); add steps with `.step(...)`. */
export function defineRecipe<Schema extends z.ZodType>(
  options: RecipeOptions<Schema>,
): Recipe<z.output<Schema>, Record<never, never>, z.input<Schema>> {
  const { input } = options;
  type Loaded = z.ZodType<z.output<Schema>, z.input<Schema>>;
  let schema: Promise<Loaded> | undefined;
  const load = (): Promise<Loaded> => {
    if (typeof input !== 'function') return Promise.resolve(input as Loaded);
    return (schema ??= input().then(
      (loaded) => loaded as Loaded,
      (error: unknown) => {
        schema = undefined;
        throw error;
      },
    ));
  };
  return buildRecipe(options.name, load, options.customerId, []);
}

function buildRecipe<Input, Outputs extends object, RawInput>(
  name: string,
  loadInputSchema: () => Promise<z.ZodType<Input, RawInput>>,
  customerIdOf: (input: Input) => string,
  steps: readonly AnyStep[],
): Recipe<Input, Outputs, RawInput> {
  return Object.freeze({
    name,
    loadInputSchema,
    customerIdOf,
    steps,
    step(definition: AnyStep) {
      if (typeof definition.name !== 'string' || definition.name === '') {
        throw new TypeError(`Recipe "${name}": every step needs a non-empty name`);
      }
      if (steps.some((existing) => existing.name === definition.name)) {
        throw new TypeError(`Recipe "${name}" already has a step named "${definition.name}"`);
      }
      return buildRecipe(name, loadInputSchema, customerIdOf, Object.freeze([...steps, definition]));
    },
  });
}
