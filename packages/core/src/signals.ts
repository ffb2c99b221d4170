import { abortReason } from './clock.js';

/**
 * One signal of the request's own that aborts when any of `signals` does. `AbortSignal.any` follows
 * them without adding a listener to any: a caller's signal shared by many requests at once (a fleet,
 * a broker's request fanning out) would otherwise collect one per request and trip Node's leak warning.
 */
export function combineSignals(signals: AbortSignal[]): AbortSignal | undefined {
  return signals.length === 0 ? undefined : AbortSignal.any(signals);
}

function onAttemptTimeout(abort: AttemptAbort): void {
  abort.timedOut = true;
  abort.controller.abort(new DOMException('The attempt timed out', 'TimeoutError'));
}

/**
 * Aborts one attempt on its timeout or when the caller aborts. Covers the wait for response
 * headers only, so a long body download is not cut off. An object listener, not a closure,
 * keeps the per-request cost down.
 */
export class AttemptAbort {
  readonly controller = new AbortController();
  timedOut = false;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    if (timeoutMs !== Infinity) this.timer = setTimeout(onAttemptTimeout, timeoutMs, this);
    caller?.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    this.controller.abort(abortReason(this.caller!));
  }

  done(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this);
  }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
