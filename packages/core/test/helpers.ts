import type { AccessToken, Clock, Logger, TokenProvider } from '../src/index.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Let every pending promise chain run (one macrotask turn drains the microtask queue). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that only moves when the test says so. */
export function createManualClock(start = 0) {
  let now = start;
  let seq = 0;
  const timers: Timer[] = [];
  const clock = {
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal!.reason);
        };
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        timers.push(timer);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    pendingTimers: () => timers.length,
    /** Moves time forward to `now + ms`, firing due timers in order. */
    async advance(ms: number): Promise<void> {
      const target = now + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.resolve();
        await flush();
      }
      now = target;
      await flush();
    },
    /** Fires every timer (including ones created meanwhile), at most `maxTimers` of them. */
    async runAll(maxTimers = 100_000): Promise<void> {
      await flush();
      for (let fired = 0; fired < maxTimers; fired++) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) return;
        now = Math.max(now, next.at);
        next.resolve();
        await flush();
      }
      throw new Error('runAll: too many timers');
    },
  };
  return clock satisfies Clock;
}

/** A clock whose sleeps resolve at once and are recorded (for checking backoff and retry-after). */
export function createRecordingClock() {
  const sleeps: number[] = [];
  let now = 1_000_000;
  const clock: Clock & { sleeps: number[] } = {
    sleeps,
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

/** A token provider that hands out `tok-1`, `tok-2`, ... and records what it was asked. */
export function createFakeTokenProvider(options: { lifetimeMs?: number; clock?: Clock; prefix?: string } = {}) {
  let issued = 0;
  let current: AccessToken | undefined;
  const calls: Array<{ forceRefresh: boolean }> = [];
  const invalidated: string[] = [];
  const provider: TokenProvider & { calls: typeof calls; invalidated: string[] } = {
    id: 'fake:client@tenant',
    calls,
    invalidated,
    async getToken(opts) {
      calls.push({ forceRefresh: opts?.forceRefresh ?? false });
      if (!current || opts?.forceRefresh) {
        issued++;
        current = {
          token: `${options.prefix ?? 'tok'}-${issued}`,
          ...(options.lifetimeMs !== undefined
            ? { expiresAt: (options.clock?.now() ?? Date.now()) + options.lifetimeMs }
            : {}),
        };
      }
      return current;
    },
    invalidate(token) {
      invalidated.push(token);
      if (current?.token === token) current = undefined;
    },
  };
  return provider;
}

export interface LogEntry {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export function createRecordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => entries.push({ level, obj, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A fetch that answers from a script, one function per call, and records each request. */
export function scriptedFetch(...steps: Array<(request: Request, init?: RequestInit) => Response | Promise<Response>>) {
  // `headers` is a snapshot taken when fetch was called.
  const requests: Array<{
    request: Request;
    init: RequestInit | undefined;
    body: string | undefined;
    headers: Headers;
  }> = [];
  const fetch = async (request: Request, init?: RequestInit): Promise<Response> => {
    const body = request.body ? await request.clone().text() : undefined;
    requests.push({ request, init, body, headers: new Headers(request.headers) });
    const step = steps[Math.min(requests.length - 1, steps.length - 1)];
    if (!step) throw new Error('scriptedFetch: no steps');
    return step(request, init);
  };
  return Object.assign(fetch, { requests });
}

export const status =
  (code: number, headers: Record<string, string> = {}, body = '') =>
  () =>
    new Response(body || null, { status: code, headers });
