/**
 * Shared setup of the conformance suite: a strict simulator over HTTPS (and WebSocket) on loopback with the
 * default state, reached by Node's global fetch (undici) through the simulator's dispatcher, the stack a
 * broker runs on in production. Qlik's own clients (enigma.js, @qlik/api) run against it unchanged.
 */
import {
  defaultStateFile,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
  type StateFile,
} from '@qlik-oem/simulator';

export interface ConformanceTarget {
  readonly sim: Simulator;
  /** The template tenant's hostname. */
  readonly host: string;
  readonly accessToken: string;
  /** The template app in that tenant. */
  readonly appId: string;
  close(): Promise<void>;
}

/** Node's global fetch with the simulator's undici dispatcher (Node's fetch takes one in its init). */
export function fetchThrough(sim: Simulator): typeof fetch {
  const nodeFetch = globalThis.fetch;
  return (input, init) => nodeFetch(input, { ...init, dispatcher: sim.dispatcher } as unknown as RequestInit);
}

/**
 * Routes the global fetch, which @qlik/api calls, through the simulator's dispatcher; returns the undo.
 * @qlik/api itself stays unchanged.
 */
export function routeGlobalFetch(sim: Simulator): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = fetchThrough(sim);
  return () => {
    globalThis.fetch = original;
  };
}

/** A strict simulator over HTTPS with `state` (default: the built-in state) and any other `options`. */
export function startHttpsSimulator(
  state: StateFile = defaultStateFile(),
  options: Omit<SimulatorOptions, 'https' | 'latency' | 'state'> = {},
): Promise<Simulator> {
  return startSimulator({ ...options, https: true, latency: false, state });
}

/** The HTTP status of an @qlik/api call, whether it resolved or threw (it throws on 4xx/5xx). */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    return ((await call) as { status: number }).status;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

export async function startConformanceTarget(): Promise<ConformanceTarget> {
  const state = defaultStateFile();
  const sim = await startHttpsSimulator(state);
  const fetch = fetchThrough(sim);
  const host = state.tenants[0]!.hostname;
  const client = state.oauthClients.find((candidate) => candidate.region === 'eu')!;
  const tokenResponse = await fetch(`https://${host}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_type: 'client_credentials',
    }),
  });
  if (tokenResponse.status !== 200) throw new Error(`token: ${tokenResponse.status}`);
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const items = await fetch(`https://${host}/api/v1/items?resourceType=app`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const { data } = (await items.json()) as { data: { resourceId: string }[] };
  const appId = data[0]?.resourceId;
  if (!appId) throw new Error('the default state has no template app');
  return { sim, host, accessToken, appId, close: () => sim.close() };
}
