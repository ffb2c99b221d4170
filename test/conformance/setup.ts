/**
 * Shared setup of the conformance suite: a strict simulator (HTTPS and WebSocket on loopback) with the
 * default state, an OAuth access token for its template tenant, and the template app's id. Qlik's own
 * clients (enigma.js, @qlik/api) run against it unchanged.
 */
import { defaultStateFile, startSimulator, type Simulator } from '@qlik-oem/simulator';

export interface ConformanceTarget {
  readonly sim: Simulator;
  /** The template tenant's hostname. */
  readonly host: string;
  readonly accessToken: string;
  /** The template app in that tenant. */
  readonly appId: string;
  close(): Promise<void>;
}

export async function startConformanceTarget(): Promise<ConformanceTarget> {
  const state = defaultStateFile();
  const sim = await startSimulator({ strict: true, latency: false, state });
  const host = state.tenants[0]!.hostname;
  const client = state.oauthClients!.find((candidate) => candidate.region === 'eu')!;
  const tokenResponse = await sim.fetch(`https://${host}/oauth/token`, {
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
  const items = await sim.fetch(`https://${host}/api/v1/items?resourceType=app`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const { data } = (await items.json()) as { data: { resourceId: string }[] };
  const appId = data[0]?.resourceId;
  if (!appId) throw new Error('the default state has no template app');
  return { sim, host, accessToken, appId, close: () => sim.close() };
}
