// The content tests' tenant: a strict simulator on a manual clock and JSON / raw calls to its source tenant as the
// regional bot.
import { beforeAll } from 'vitest';
import { createManualClock, startSimulator, type ManualClock, type ReloadTasksApiMode } from '../../src/index.js';
import type { Simulator } from '../../src/index.js';
import { encodeQvf } from '../../src/content/qvf.js';
import { jsonBody, readResult, SOURCE, tokenFor, useForBlock, type ApiResult } from '../helpers.js';

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
    const json = jsonBody(body);
    return readResult(
      await raw(method, path, {
        headers: { ...json.headers, ...headers },
        ...(json.body !== undefined ? { body: json.body } : {}),
      }),
    );
  };
  return { sim, clock, token, api, raw, close: () => sim.close() };
}

/**
 * A content sim for the enclosing describe block (or file): started before its tests, closed after them. Its
 * properties read the running one, so the block's other hooks and tests use it like the result of startContentSim.
 */
export function useContentSim(options: Parameters<typeof startContentSim>[0] = {}): ContentSim {
  return useForBlock(
    () => startContentSim(options),
    (t) => t.close(),
  );
}

/** Creates a space in the content sim's tenant and returns its id. */
export async function createSpace(t: ContentSim, name: string, type: 'shared' | 'managed'): Promise<string> {
  const created = await t.api('POST', '/api/v1/spaces', { name, type });
  if (created.status !== 201) throw new Error(`space ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** Creates a shared space "Dev" and a managed space "Prod" before the enclosing block's tests: their ids. */
export function useDevAndProdSpaces(t: ContentSim): { readonly shared: string; readonly managed: string } {
  const spaces = { shared: '', managed: '' };
  beforeAll(async () => {
    spaces.shared = await createSpace(t, 'Dev', 'shared');
    spaces.managed = await createSpace(t, 'Prod', 'managed');
  });
  return spaces;
}

/** POSTs app file bytes to /api/v1/apps/import with `query`: the status, and the body (JSON, else text). */
export async function importAppFile(
  t: ContentSim,
  query: string,
  bytes: Uint8Array,
): Promise<{ status: number; body: any }> {
  const res = await t.raw('POST', `/api/v1/apps/import?${query}`, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** Imports an app `name` with `script` (and no data) into the space, and returns its id. */
export async function appWithScript(t: ContentSim, spaceId: string, name: string, script: string): Promise<string> {
  const bytes = encodeQvf({ name, description: '', script, properties: {}, objects: [], hasData: false });
  const imported = await importAppFile(t, `spaceId=${spaceId}&name=${encodeURIComponent(name)}`, bytes);
  if (imported.status !== 200) throw new Error(`import ${name}: ${imported.status} ${JSON.stringify(imported.body)}`);
  return (imported.body as { attributes: { id: string } }).attributes.id;
}
