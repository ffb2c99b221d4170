import { REDACTED } from '@qlik-oem/core';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret value (password, client secret) that cannot leak by accident: `String()`, JSON, template
 * strings and `util.inspect` all show `[REDACTED]`. Call `reveal()` at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return `Secret(${REDACTED})`;
  }
}
