import { describe, expect, it } from 'vitest';
import { createTransport, isQlikNetworkError, isQlikTimeoutError, isQlikValidationError } from '../src/index.js';
import { createRecordingClock, scriptedFetch, status } from './helpers.js';

const URL_SPACES = 'https://acme.eu.qlikcloud.com/api/v1/spaces';
const noJitter = { random: () => 0.5, baseDelayMs: 100 };

function resetError(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

describe('retries', () => {
  it('honours Retry-After in seconds on 429', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(429, { 'retry-after': '7' }), status(200));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    const response = await transport(URL_SPACES);
    expect(response.status).toBe(200);
    expect(fetch.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const clock = createRecordingClock();
    const when = new Date(Date.now() + 9_000).toUTCString();
    const fetch = scriptedFetch(status(429, { 'retry-after': when }), status(200));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(clock.sleeps).toHaveLength(1);
    // HTTP-dates have one-second resolution.
    expect(clock.sleeps[0]).toBeGreaterThan(7_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(9_000);
  });

  it('caps Retry-After at maxRetryAfterMs', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(429, { 'retry-after': '3600' }), status(200));
    const transport = createTransport({ fetch, clock, pacing: false, retry: { ...noJitter, maxRetryAfterMs: 2_000 } });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(clock.sleeps).toEqual([2_000]);
  });

  it.each([502, 503, 504])('retries %i with exponential full-jitter backoff', async (code) => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(code), status(code), status(200));
    const transport = createTransport({ fetch, clock, pacing: false, retry: { random: () => 0.5, baseDelayMs: 100 } });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(fetch.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([50, 100]); // 0.5 × 100, 0.5 × 200
  });

  it('returns the last response when attempts run out', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(503));
    const transport = createTransport({ fetch, clock, pacing: false, retry: { ...noJitter, maxAttempts: 3 } });
    const response = await transport(URL_SPACES);
    expect(response.status).toBe(503);
    expect(fetch.requests).toHaveLength(3);
  });

  it('does not retry a POST on 503 unless the call is marked idempotent', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(503), status(503), status(201));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    const first = await transport(URL_SPACES, { method: 'POST', body: '{"name":"a"}' });
    expect(first.status).toBe(503);
    expect(fetch.requests).toHaveLength(1);

    const safe = await transport.with({ idempotent: true })(URL_SPACES, { method: 'POST', body: '{"name":"a"}' });
    expect(safe.status).toBe(201);
    expect(fetch.requests).toHaveLength(3);
    // The body is sent again in full on the retry.
    expect(fetch.requests.map((r) => r.body)).toEqual(['{"name":"a"}', '{"name":"a"}', '{"name":"a"}']);
  });

  it('retries a POST after 429, since the request was not processed', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(429, { 'retry-after': '1' }), status(201));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    const response = await transport(new Request(URL_SPACES, { method: 'POST', body: 'payload' }));
    expect(response.status).toBe(201);
    expect(fetch.requests.map((r) => r.body)).toEqual(['payload', 'payload']);
  });

  it('retries a GET after a connection reset', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(() => Promise.reject(resetError()), status(200));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    expect((await transport(URL_SPACES)).status).toBe(200);
    expect(fetch.requests).toHaveLength(2);
  });

  it('throws QlikNetworkError with the code after the last reset, and does not re-send a reset POST', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(() => Promise.reject(resetError()));
    const transport = createTransport({ fetch, clock, pacing: false, retry: { ...noJitter, maxAttempts: 2 } });
    const getError = await transport(URL_SPACES).catch((e: unknown) => e);
    expect(isQlikNetworkError(getError)).toBe(true);
    expect(getError).toMatchObject({ code: 'ECONNRESET', method: 'GET' });
    expect(fetch.requests).toHaveLength(2);

    const postError = await transport(URL_SPACES, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
    expect(isQlikNetworkError(postError)).toBe(true);
    expect(fetch.requests).toHaveLength(3);
  });

  it('re-sends even a POST when the connection was refused (it never reached the server)', async () => {
    const refused = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      );
    const fetch = scriptedFetch(refused, status(201));
    const transport = createTransport({ fetch, clock: createRecordingClock(), pacing: false, retry: noJitter });
    expect((await transport(URL_SPACES, { method: 'POST', body: 'x' })).status).toBe(201);
    expect(fetch.requests).toHaveLength(2);
  });

  it('times out a slow attempt, retries it, and reports QlikTimeoutError at the end', async () => {
    const never = (_r: Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const fetch = scriptedFetch(never, never);
    const clock = createRecordingClock();
    const transport = createTransport({
      fetch,
      clock,
      pacing: false,
      timeoutMs: 20,
      retry: { ...noJitter, maxAttempts: 2 },
    });
    const error = await transport(URL_SPACES).catch((e: unknown) => e);
    expect(isQlikTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 20 });
    expect(fetch.requests).toHaveLength(2);
  });

  it('per-call overrides: attempts and timeout via with()', async () => {
    const clock = createRecordingClock();
    const fetch = scriptedFetch(status(503));
    const transport = createTransport({ fetch, clock, pacing: false, retry: noJitter });
    await transport.with({ retry: { maxAttempts: 2 } })(URL_SPACES);
    expect(fetch.requests).toHaveLength(2);
    await transport.with({ retry: false })(URL_SPACES);
    expect(fetch.requests).toHaveLength(3);
    expect(() => transport.with({ timeoutMs: -1 })).toThrow(/timeoutMs/);
  });

  it('aborting during a backoff sleep rejects promptly', async () => {
    const fetch = scriptedFetch(status(503));
    // Real clock: the backoff would be 10 s.
    const transport = createTransport({ fetch, pacing: false, retry: { random: () => 0.999, baseDelayMs: 10_000 } });
    const controller = new AbortController();
    const started = Date.now();
    const pending = transport.with({ signal: controller.signal })(URL_SPACES);
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fetch.requests).toHaveLength(1);
  });

  it("adds no listener to a caller's signal however many requests share it (no Node leak warning), and still aborts them all", async () => {
    const inFlight: Array<() => void> = [];
    const fetch = scriptedFetch(
      (_request, init) =>
        new Promise<Response>((resolve, reject) => {
          inFlight.push(() => resolve(new Response('{}')));
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
        }),
    );
    const transport = createTransport({ fetch, pacing: false });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      const some = transport.with({ signal: shared.signal });
      // Through `with` only: undici raises the limit of a signal given to `new Request` itself.
      const calls = Array.from({ length: 40 }, (_, i) => some(`${URL_SPACES}/${i}`));
      await new Promise((resolve) => setImmediate(resolve));
      expect(inFlight).toHaveLength(40);
      const reason = new Error('the fleet stops');
      shared.abort(reason);
      for (const call of calls) await expect(call).rejects.toBe(reason);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map(String)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it("honours the request's own signal", async () => {
    const fetch = scriptedFetch(status(503));
    const transport = createTransport({ fetch, pacing: false, retry: { random: () => 0.999, baseDelayMs: 10_000 } });
    const reason = new Error('user cancelled');
    const controller = new AbortController();
    const pending = transport(new Request(URL_SPACES, { signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('passes an injected dispatcher through to fetch', async () => {
    const dispatcher = { name: 'my-agent' };
    const fetch = scriptedFetch(status(200));
    await createTransport({ fetch, pacing: false, dispatcher })(URL_SPACES);
    expect((fetch.requests[0]!.init as { dispatcher?: unknown }).dispatcher).toBe(dispatcher);
  });

  it('accepts a Request-like object from another fetch implementation', async () => {
    const fetch = scriptedFetch(status(503), status(200));
    const transport = createTransport({ fetch, clock: createRecordingClock(), pacing: false, retry: noJitter });
    const foreign = { url: URL_SPACES, method: 'PUT', body: 'v', headers: new Headers({ 'x-a': '1' }) };
    expect((await transport(foreign as unknown as Request)).status).toBe(200);
    expect(fetch.requests.map((r) => [r.request.method, r.body, r.request.headers.get('x-a')])).toEqual([
      ['PUT', 'v', '1'],
      ['PUT', 'v', '1'],
    ]);
  });

  it('rejects bad input before any network call', async () => {
    const fetch = scriptedFetch(status(200));
    expect(() => createTransport({ fetch, retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
    const error = await createTransport({ fetch })('/relative?token=abc').catch((e: unknown) => e);
    expect(isQlikValidationError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('abc');
    expect(fetch.requests).toHaveLength(0);
  });
});
