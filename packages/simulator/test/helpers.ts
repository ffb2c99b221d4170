import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';

export const SOURCE = 'source.eu.qlikcloud.com';
export const REGISTER_EU = 'register.eu.qlikcloud.com';
export const EU_CLIENT = { client_id: 'sim-eu-regional', client_secret: 'sim-eu-regional-secret' };
export const SOURCE_CLIENT = { client_id: 'sim-source-client', client_secret: 'sim-source-secret' };

/** A strict simulator without latency, for fast conformance tests. */
export function startStrict(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ strict: true, latency: false, ...options });
}

export async function tokenFor(
  sim: Simulator,
  host: string,
  client: { client_id: string; client_secret: string } = EU_CLIENT,
): Promise<string> {
  const res = await sim.fetch(`https://${host}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...client, grant_type: 'client_credentials' }),
  });
  if (res.status !== 200) throw new Error(`token for ${host}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A JSON call with a bearer token. */
export async function call(
  sim: Simulator,
  token: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await sim.fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
