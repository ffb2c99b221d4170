import { createMemoryJournalStore, type JournalStore } from '@qlik-oem/recipes';
import type { FastifyInstance } from 'fastify';
import { buildBroker, type BrokerOptions } from '../src/server.js';
import { startSimulatedQlik, type SimulatedQlik } from '../src/simulated.js';

export interface SeenRequest {
  method: string;
  host: string;
  path: string;
  status: number;
}

/** A strict simulator, the broker on it (127.0.0.1, port 0), and every request the broker's recipes sent. */
export interface BrokerHarness {
  world: SimulatedQlik;
  app: FastifyInstance;
  url: string;
  journal: JournalStore;
  requests: SeenRequest[];
  /** Requests that may change state: everything but GETs and OAuth token requests. */
  writes(): SeenRequest[];
  close(): Promise<void>;
}

/**
 * `hold(method, path)` runs before each request the recipes send; a promise it returns holds that request (a test
 * keeps a run in flight while it checks something).
 */
export async function startBrokerHarness(
  overrides: Partial<BrokerOptions> = {},
  hold?: (method: string, path: string) => Promise<void> | undefined,
): Promise<BrokerHarness> {
  const requests: SeenRequest[] = [];
  const world = await startSimulatedQlik({
    strict: true,
    // The broker's own default: the reload's real work (script, SQL) counts on the simulated clock too, and
    // at 200x a loaded machine's 9 real seconds were the SDK's 30-minute reload deadline.
    timeScale: 60,
    latency: false,
    wrapFetch: (simFetch) => async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      await hold?.(request.method, url.pathname);
      const response = await simFetch(request);
      requests.push({ method: request.method, host: url.hostname, path: url.pathname, status: response.status });
      return response;
    },
  });
  const journal = createMemoryJournalStore();
  const app = buildBroker({ ...world, journal, retry: { retries: 0 }, ...overrides });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    world,
    app,
    url,
    journal,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token'),
    close: async () => {
      await app.close();
      await world.close();
    },
  };
}

/** One parsed NDJSON line of `POST /customers`. */
export type Line = Record<string, unknown> & { type: string };

/** Reads an NDJSON response to its end; `onLine` sees each line as it arrives. */
export async function readLines(
  response: Response,
  onLine?: (line: Line) => void,
): Promise<{ lines: Line[]; text: string }> {
  const lines: Line[] = [];
  let text = '';
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const part = decoder.decode(chunk, { stream: true });
    text += part;
    pending += part;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = JSON.parse(pending.slice(0, newline)) as Line;
      pending = pending.slice(newline + 1);
      lines.push(line);
      onLine?.(line);
    }
  }
  return { lines, text };
}

export function postCustomer(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
