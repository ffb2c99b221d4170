import { setMaxListeners } from 'node:events';

/**
 * A signal of its own that aborts when `shared` does. Every request registers an abort listener on
 * the signal it is given (undici drops them only on garbage collection), so work fanned out over one
 * caller's signal would pile listeners onto it and trip Node's leak warning. `AbortSignal.any` follows
 * the shared signal without a listener on it.
 */
export function ownSignal(shared: AbortSignal): AbortSignal {
  const signal = AbortSignal.any([shared]);
  setMaxListeners(0, signal);
  return signal;
}
