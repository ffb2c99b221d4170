import { QlikError, redactText } from '@qlik-oem/core';
import { serializeError, type SerializedError } from './serialize-error.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A recipe step failed for a customer. The message names the recipe, the customer and the step; the
 * underlying error (usually a `QlikError`) is the `cause`.
 */
export class RecipeStepError extends QlikError {
  override name = 'RecipeStepError';
  readonly recipe: string;
  readonly customerId: string;
  readonly step: string;
  /** How many times the step was tried before giving up. */
  readonly attempts: number;

  constructor(init: { recipe: string; customerId: string; step: string; attempts: number; cause: unknown }) {
    const causeMessage = init.cause instanceof Error ? init.cause.message : String(init.cause);
    super(
      `Recipe "${init.recipe}" failed for customer "${init.customerId}" at step "${init.step}": ${redactText(causeMessage)}`,
      { cause: init.cause },
    );
    this.recipe = init.recipe;
    this.customerId = init.customerId;
    this.step = init.step;
    this.attempts = init.attempts;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      recipe: this.recipe,
      customerId: this.customerId,
      step: this.step,
      attempts: this.attempts,
      cause: this.cause === undefined ? undefined : serializeError(this.cause),
    };
  }

  // The cause may be a plain Error from a step with a credential in its message: show it scrubbed.
  [INSPECT](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${JSON.stringify(this.toJSON(), null, 2)}`;
  }
}

export function isRecipeStepError(error: unknown): error is RecipeStepError {
  return error instanceof RecipeStepError || (error instanceof Error && error.name === 'RecipeStepError');
}

export type { SerializedError };
