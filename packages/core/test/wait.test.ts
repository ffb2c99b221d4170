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
  it('pauses as the poll learned it should, still never past the deadline', async () => {
    const clock = createRecordingClock();
    const hints = [400, 5000, 50];
    let polls = 0;
    const error = await waitUntil(async () => (polls++, undefined), {
      clock,
      timeoutMs: 6000,
      pollIntervalMs: 1000,
      nextPauseMs: (scheduled) => Math.min(scheduled, hints.shift() ?? scheduled),
    }).catch((e: unknown) => e);
    expect(clock.sleeps).toEqual([400, 1000, 50, 1000, 1000, 1000, 1000, 550]);
    // Without onTimeout: a wait timeout naming its limit.
    expect(error).toMatchObject({ kind: 'wait-timeout', timeoutMs: 6000 });
    expect(polls).toBe(9);
  });

  it('polls at once when woken, during a pause or before the next one, and then as scheduled', async () => {
    const clock = createManualClock();
    let wake!: () => void;
    let polls = 0;
    let done = false;
    const waiting = waitUntil(
      async () => {
        polls++;
        return done ? 'answered' : undefined;
      },
      { clock, timeoutMs: Infinity, pollIntervalMs: 5000, wake: new Promise<void>((resolve) => (wake = resolve)) },
    );
    await clock.advance(1);
    expect(polls).toBe(1);
    done = true;
    wake();
    await expect(waiting).resolves.toBe('answered');
    expect(polls).toBe(2);
    expect(clock.now()).toBe(1);

    // Woken while polling: the pause after that poll is skipped, the next one is not.
    polls = 0;
    let release!: () => void;
    const woken = Promise.resolve();
    const second = waitUntil(
      async () => {
        polls++;
        if (polls === 1) await new Promise<void>((resolve) => (release = resolve));
        return polls === 3 ? 'third' : undefined;
      },
      { clock, timeoutMs: 60_000, pollIntervalMs: 5000, wake: woken },
    );
    await clock.advance(0);
    release();
    await clock.advance(0);
    expect(polls).toBe(2);
    await clock.advance(4999);
    expect(polls).toBe(2);
    await clock.advance(1);
    await expect(second).resolves.toBe('third');
  });
});
