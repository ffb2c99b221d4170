/**
 * Simulated time. `now()` is simulated epoch ms; with `timeScale` 60 one simulated minute passes per
 * real second. Rate-limit windows, latencies and reload durations are all measured in simulated time.
 */
export interface SimClock {
  readonly timeScale: number;
  now(): number;
  /** Resolves after `simMs` of simulated time. */
  sleep(simMs: number, signal?: AbortSignal): Promise<void>;
  /** Converts a simulated duration into the real duration a client experiences. */
  toRealMs(simMs: number): number;
}

export function createRealClock(options: { timeScale?: number; start?: number } = {}): SimClock {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const realStart = Date.now();
  const simStart = options.start ?? realStart;
  return {
    timeScale,
    now: () => simStart + (Date.now() - realStart) * timeScale,
    toRealMs: (simMs) => simMs / timeScale,
    sleep: (simMs, signal) => abortableTimeout(simMs / timeScale, signal),
  };
}

function abortableTimeout(realMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (realMs <= 0) return resolve();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, realMs);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock that only moves when told to; sleepers wake when `advance` passes their deadline. */
export interface ManualClock extends SimClock {
  advance(simMs: number): void;
  set(epochMs: number): void;
}

export function createManualClock(start = Date.UTC(2026, 0, 1), timeScale = 1): ManualClock {
  let current = start;
  const sleepers: Array<{ until: number; resolve: () => void }> = [];
  const wake = (): void => {
    for (let i = sleepers.length - 1; i >= 0; i--) {
      const s = sleepers[i];
      if (s && s.until <= current) {
        sleepers.splice(i, 1);
        s.resolve();
      }
    }
  };
  return {
    timeScale,
    now: () => current,
    toRealMs: (simMs) => simMs / timeScale,
    sleep(simMs, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (simMs <= 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        // The abort listener goes when the sleeper wakes, so long-lived signals do not collect listeners.
        const onAbort = (): void => {
          const i = sleepers.indexOf(sleeper);
          if (i >= 0) sleepers.splice(i, 1);
          reject(signal?.reason);
        };
        const sleeper = {
          until: current + simMs,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    advance(simMs) {
      current += simMs;
      wake();
    },
    set(epochMs) {
      current = epochMs;
      wake();
    },
  };
}
