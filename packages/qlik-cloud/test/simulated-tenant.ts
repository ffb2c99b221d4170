// The simulator's default source tenant for qlik-cloud's tests: a strict simulator and a facade on the tenant as
// its regional M2M client (tenant admin).
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { createQlikCloud, oauthClientCredentials, type QlikCloud } from '../src/index.js';

export const HOST = 'source.eu.qlikcloud.com';
export const CLIENT = { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret', scope: 'admin_classic' };

export async function startSimulatedTenant(): Promise<{ sim: Simulator; qc: QlikCloud }> {
  const sim = await startSimulator({ strict: true, latency: false });
  const qc = createQlikCloud({
    host: HOST,
    auth: oauthClientCredentials({ host: HOST, ...CLIENT, fetch: sim.nodeFetch }),
    fetch: sim.nodeFetch,
  });
  return { sim, qc };
}
