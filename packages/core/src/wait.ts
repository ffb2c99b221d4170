// waitUntil: the SDK's one poll loop (backoff between polls, deadline, abort signal) for reloads, tasks and distributions.
import { systemClock, type Clock } from './clock.js';
import { QlikValidationError, type ValidationIssue } from './errors.js';

export interface WaitUntilOptions {
  /** Give up after this long (in clock ms): `onTimeout` builds the error. */
  timeoutMs: number;
  /** First pause between two polls. */
  pollIntervalMs: number;
  /** Each pause is the previous one times this, up to `maxPollIntervalMs`. Default 1 (a fixed interval). */
  backoff?: number;
  /** Longest pause. Default: `pollIntervalMs`, or no limit when `backoff` is above 1. */
  maxPollIntervalMs?: number;
  /** Aborts the wait, also during a pause, with the signal's reason. */
  signal?: AbortSignal;
  /** Time source for the deadline and the pauses (tests, scaled clocks). Default: the wall clock. */
  clock?: Clock;
  /** The error thrown at the deadline, preferably a `QlikWaitTimeoutError`. */
  onTimeout: () => Error | Promise<Error>;
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
  const { signal } = options;
  const backoff = options.backoff ?? 1;
  const maxPause = options.maxPollIntervalMs ?? (backoff > 1 ? Infinity : options.pollIntervalMs);
  const deadline = clock.now() + options.timeoutMs;
  let pause = options.pollIntervalMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await poll();
    if (value !== undefined) return value;
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw await options.onTimeout();
    await clock.sleep(Math.min(pause, remaining), signal);
    pause = Math.min(maxPause, Math.round(pause * backoff));
  }
}
