// Stored credentials as a server keeps them, write-only: a record holds an opaque sealed handle, and the value lives in a vault beside the state.
const vault = new WeakMap<SealedSecret, string>();

/**
 * A stored secret (connection password, connection secret, credential password) as the state holds it: a
 * frozen handle with no value on it, so logging, inspecting or serializing the state can never print one.
 * Only `reveal()` (for the engine, which needs it to connect, and for a copy of a connection) reads the vault.
 */
export interface SealedSecret {
  readonly sealed: true;
  /** The value, from the vault. */
  reveal(): string;
}

export function seal(value: string): SealedSecret {
  const handle: SealedSecret = Object.freeze({ sealed: true as const, reveal: () => vault.get(handle) ?? '' });
  vault.set(handle, value);
  return handle;
}

export const sealOptional = (value: string | undefined): SealedSecret | undefined =>
  value === undefined ? undefined : seal(value);
