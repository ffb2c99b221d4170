import { createManualClock, startSimulator, type ManualClock, type ReloadTasksApiMode } from '../../src/index.js';
import type { Simulator } from '../../src/index.js';
import { SOURCE, tokenFor } from '../helpers.js';

export const HOST = SOURCE;
export const BASE = `https://${HOST}`;

export interface ContentSim {
  sim: Simulator;
  clock: ManualClock;
  token: string;
  /** A call to the tenant with the bot's token; JSON in, JSON (or text/bytes) out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  /** A raw call (bytes, multipart ...). */
  raw(
    method: string,
    path: string,
    init?: { body?: RequestInit['body']; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface ApiResult {
  status: number;
  // Response bodies are checked field by field in the tests.
  body: any;
  headers: Headers;
}

/** A strict simulator on a manual clock (reloads move only when the test advances time). */
export async function startContentSim(
  options: { strict?: boolean; reloadTasksApi?: ReloadTasksApiMode } = {},
): Promise<ContentSim> {
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const sim = await startSimulator({
    strict: options.strict ?? true,
    latency: false,
    rateLimits: false,
    clock,
    ...(options.reloadTasksApi ? { reloadTasksApi: options.reloadTasksApi } : {}),
  });
  const token = await tokenFor(sim, HOST);
  const raw = (
    method: string,
    path: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string> } = {},
  ): Promise<Response> =>
    sim.fetch(path.startsWith('http') ? path : `${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult> => {
    const res = await raw(method, path, {
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return { sim, clock, token, api, raw, close: () => sim.close() };
}
