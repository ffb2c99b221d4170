/** Time source for pacing, backoff and retry-after waits. Tests and benchmarks inject their own. */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin, consistently). */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Rejects with the signal's reason, or an `AbortError`-named DOMException when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Real-time sleep that stops early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * A clock that runs `scale` times faster than real time: `now()` advances `scale` ms per real ms and
 * `sleep(ms)` lasts `ms / scale` real ms. Lets benchmarks and demos exercise 5-minute windows quickly.
 */
export function createScaledClock(scale: number): Clock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('timeScale must be a positive finite number');
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * scale,
    sleep: (ms, signal) => sleep(ms / scale, signal),
  };
}
