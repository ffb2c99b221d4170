import { inspect } from 'node:util';

/**
 * A stored secret (connection password, connection secret, credential password). It hides its value
 * from `util.inspect`, `console.log`, `JSON.stringify` and string conversion, so logging the state
 * never prints it; only `reveal()` gives the value (to the engine, which needs it to connect).
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[secret]';
  }
  toString(): string {
    return '[secret]';
  }
  [inspect.custom](): string {
    return '[secret]';
  }
}

export const secretOf = (value: string | undefined): Secret | undefined =>
  value === undefined ? undefined : new Secret(value);
