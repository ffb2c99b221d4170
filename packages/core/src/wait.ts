// waitUntil: the SDK's one poll loop (backoff between polls, deadline, abort signal) for reloads, tasks, distributions, leases and shared rate limits.
import { systemClock, type Clock } from './clock.js';
import { QlikValidationError, QlikWaitTimeoutError, type ValidationIssue } from './errors.js';

export interface WaitUntilOptions {
  /** Give up after this long (in clock ms): `onTimeout` builds the error. `Infinity`: wait until a value comes or `signal` aborts. */
  timeoutMs: number;
  /** First pause between two polls. */
  pollIntervalMs: number;
  /** Each pause is the previous one times this, up to `maxPollIntervalMs`. Default 1 (a fixed interval). */
  backoff?: number;
  /** Longest pause. Default: `pollIntervalMs`, or no limit when `backoff` is above 1. */
  maxPollIntervalMs?: number;
  /**
   * The pause before the next poll, given the scheduled one (after backoff): for a poll that learned when
   * looking again is worth it (a lease's expiry, a shared limiter's answer). Still never past the deadline.
   */
  nextPauseMs?: (scheduledMs: number) => number;
  /**
   * When this settles (either way), the next poll comes at once: the pause in progress ends, or the next
   * one is skipped; later pauses are as scheduled. For waits where an event can report the outcome before
   * the next poll would (a reload's own answer, a queue event).
   */
  wake?: PromiseLike<unknown>;
  /** Aborts the wait, also during a pause, with the signal's reason. */
  signal?: AbortSignal;
  /** Time source for the deadline and the pauses (tests, scaled clocks). Default: the wall clock. */
  clock?: Clock;
  /** The error thrown at the deadline, preferably a `QlikWaitTimeoutError` (the default, naming `timeoutMs`). */
  onTimeout?: () => Error | Promise<Error>;
}

/**
 * Calls `poll` until it returns something other than `undefined`, and resolves with that. Between
 * polls it pauses (never past the deadline); after `timeoutMs` it throws `onTimeout()`. An error
 * thrown by `poll` ends the wait as it is. The option names are checked before the first poll.
 */
export async function waitUntil<T>(poll: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const issues: ValidationIssue[] = [];
  for (const name of ['timeoutMs', 'pollIntervalMs'] as const) {
    if (!(options[name] > 0)) issues.push({ path: [name], message: 'must be a positive number' });
  }
  if (options.backoff !== undefined && !(options.backoff >= 1))
    issues.push({ path: ['backoff'], message: 'must be a number >= 1' });
  if (options.maxPollIntervalMs !== undefined && !(options.maxPollIntervalMs >= options.pollIntervalMs))
    issues.push({ path: ['maxPollIntervalMs'], message: 'must be at least pollIntervalMs' });
  if (issues.length) throw new QlikValidationError('Invalid wait options', issues);

  const clock = options.clock ?? systemClock;
  const { signal, timeoutMs } = options;
  const backoff = options.backoff ?? 1;
  const maxPause = options.maxPollIntervalMs ?? (backoff > 1 ? Infinity : options.pollIntervalMs);
  const onTimeout =
    options.onTimeout ?? (() => new QlikWaitTimeoutError(`Gave up waiting after ${timeoutMs} ms`, { timeoutMs }));
  const wake = wakeOf(options.wake);
  const deadline = clock.now() + timeoutMs;
  let pause = options.pollIntervalMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await poll();
    if (value !== undefined) return value;
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw await onTimeout();
    const wanted = options.nextPauseMs ? options.nextPauseMs(pause) : pause;
    await wake.pause(clock, Math.min(Math.max(wanted, 0), remaining), signal);
    pause = Math.min(maxPause, Math.round(pause * backoff));
  }
}

/** A pause that `wake` may end (once): `due` between its settling and the pause it ends. */
function wakeOf(wake: PromiseLike<unknown> | undefined) {
  if (!wake) return { pause: (clock: Clock, ms: number, signal?: AbortSignal) => clock.sleep(ms, signal) };
  let state: 'waiting' | 'due' | 'spent' = 'waiting';
  const woken = new AbortController();
  const onWake = () => {
    state = 'due';
    woken.abort();
  };
  wake.then(onWake, onWake);
  return {
    async pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
      if (state === 'spent') return clock.sleep(ms, signal);
      if (state === 'waiting') {
        try {
          return await clock.sleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal);
        } catch (error) {
          if (signal?.aborted || !woken.signal.aborted) throw error;
        }
      }
      state = 'spent';
    },
  };
}
