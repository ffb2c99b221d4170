import { describe, expect, it } from 'vitest';
import { createRetryBudget, createTransport, errorFromResponse, isQlikValidationError } from '../src/index.js';
import { createRecordingClock, scriptedFetch, status } from './helpers.js';

const URL_SPACES = 'https://acme.eu.qlikcloud.com/api/v1/spaces';
const fast = { random: () => 0.5, baseDelayMs: 10 };

describe('retry policy and retry budget', () => {
  it('retries a GET on 500, and not a POST', async () => {
    const fetch = scriptedFetch(status(500), status(200));
    const transport = createTransport({ fetch, clock: createRecordingClock(), pacing: false, retry: fast });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(fetch.requests).toHaveLength(2);

    const post = scriptedFetch(status(500), status(201));
    const writer = createTransport({ fetch: post, clock: createRecordingClock(), pacing: false, retry: fast });
    expect((await writer(URL_SPACES, { method: 'POST', body: '{}' })).status).toBe(500);
    expect(post.requests).toHaveLength(1);
  });

  it('one logical GET against a permanent 503 makes exactly the configured attempts, and says so on its error', async () => {
    const fetch = scriptedFetch(status(503));
    const transport = createTransport({
      fetch,
      clock: createRecordingClock(),
      pacing: false,
      retry: { ...fast, maxAttempts: 3 },
    });
    const response = await transport(URL_SPACES);
    expect(fetch.requests).toHaveLength(3);
    const error = await errorFromResponse(response);
    expect(error).toMatchObject({ status: 503, retriedByTransport: true });

    // A POST's 503 was not retried: whoever re-inspects before writing again may retry it.
    const post = await transport(URL_SPACES, { method: 'POST', body: '{}' });
    expect(await errorFromResponse(post)).toMatchObject({ status: 503, retriedByTransport: false });
  });

  it('stops retrying when the shared budget is spent, for every transport sharing it', async () => {
    const budget = createRetryBudget({ capacity: 10, retryCost: 5 });
    const fetch = scriptedFetch(status(503));
    const options = { fetch, clock: createRecordingClock(), pacing: false as const, retry: { ...fast, budget } };
    const a = createTransport(options);
    const b = createTransport(options);
    await a(URL_SPACES); // 1 + 2 retries: the budget pays 10, then refuses the third
    expect(fetch.requests).toHaveLength(3);
    await b(URL_SPACES); // nothing left: one attempt, no retry
    expect(fetch.requests).toHaveLength(4);
    expect(budget.stats()).toMatchObject({ available: 0, retries: 2, denied: 2, spent: 10 });
    // The last error is final for callers too.
    expect(await errorFromResponse(await b(URL_SPACES))).toMatchObject({ retriedByTransport: true });
  });

  it('successes refill the budget: the cost of their last retry, or a little when they needed none', async () => {
    const budget = createRetryBudget({ capacity: 20, retryCost: 5, refill: 1 });
    const fetch = scriptedFetch(status(503), status(503), status(200));
    const transport = createTransport({
      fetch,
      clock: createRecordingClock(),
      pacing: false,
      retry: { ...fast, budget },
    });
    await transport(URL_SPACES);
    expect(budget.stats()).toMatchObject({ available: 15, spent: 10, refilled: 5 });
    await transport(URL_SPACES);
    expect(budget.stats()).toMatchObject({ available: 16, refilled: 6 });
    // Never beyond its capacity.
    for (let i = 0; i < 10; i++) await transport(URL_SPACES);
    expect(budget.stats().available).toBe(20);
  });

  it('a timeout costs more than an error status', async () => {
    const budget = createRetryBudget({ capacity: 100, retryCost: 5, timeoutCost: 10 });
    const hang = (_request: Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const fetch = scriptedFetch(hang, status(200));
    const transport = createTransport({ fetch, pacing: false, timeoutMs: 20, retry: { ...fast, budget } });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(budget.stats()).toMatchObject({ spent: 10, available: 100 });
  });

  it('rejects a budget that is not one, and bad budget numbers', () => {
    let error: unknown;
    try {
      createTransport({ retry: { budget: {} as never } });
    } catch (e) {
      error = e;
    }
    expect(isQlikValidationError(error) && error.issues[0]?.path).toEqual(['retry', 'budget']);
    expect(() => createRetryBudget({ capacity: -1 })).toThrow(RangeError);
  });
});
