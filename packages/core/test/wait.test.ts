import { describe, expect, it } from 'vitest';
import {
  QlikWaitTimeoutError,
  isQlikTimeoutError,
  isQlikValidationError,
  isQlikWaitTimeoutError,
  waitUntil,
} from '../src/index.js';
import { createManualClock, createRecordingClock } from './helpers.js';

const timeout = () => new QlikWaitTimeoutError('still running', { timeoutMs: 10_000 });

describe('waitUntil', () => {
  it('polls until a value comes, pausing with backoff up to the longest pause', async () => {
    const clock = createRecordingClock();
    let polls = 0;
    const value = await waitUntil(async () => (++polls === 6 ? 'done' : undefined), {
      clock,
      timeoutMs: 60_000,
      pollIntervalMs: 1000,
      backoff: 1.5,
      maxPollIntervalMs: 3000,
      onTimeout: timeout,
    });
    expect(value).toBe('done');
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3000, 3000]);
  });

  it('gives up at the deadline with its own error kind: not a transport timeout', async () => {
    const clock = createRecordingClock();
    const error = await waitUntil(async () => undefined, {
      clock,
      timeoutMs: 10_000,
      pollIntervalMs: 3000,
      onTimeout: timeout,
    }).catch((e: unknown) => e);
    expect(isQlikWaitTimeoutError(error)).toBe(true);
    expect(isQlikTimeoutError(error)).toBe(false);
    expect(error).toMatchObject({ kind: 'wait-timeout', timeoutMs: 10_000 });
    // Never sleeps past the deadline.
    expect(clock.sleeps).toEqual([3000, 3000, 3000, 1000]);
  });

  it('stops during a pause when aborted, with the reason', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const waiting = waitUntil(async () => undefined, {
      clock,
      signal: controller.signal,
      timeoutMs: 60_000,
      pollIntervalMs: 5000,
      onTimeout: timeout,
    });
    await clock.advance(1);
    controller.abort(new Error('shutdown'));
    await expect(waiting).rejects.toThrow('shutdown');
  });

  it("ends on the poll's own error, and checks its options before the first poll", async () => {
    await expect(
      waitUntil(
        async () => {
          throw new Error('boom');
        },
        { timeoutMs: 1000, pollIntervalMs: 10, onTimeout: timeout },
      ),
    ).rejects.toThrow('boom');
    let polled = false;
    const error = await waitUntil(
      async () => {
        polled = true;
        return 1;
      },
      { timeoutMs: 0, pollIntervalMs: 10, onTimeout: timeout },
    ).catch((e: unknown) => e);
    expect(isQlikValidationError(error) && error.issues.map((issue) => issue.path)).toEqual([['timeoutMs']]);
    expect(polled).toBe(false);
  });
});
