// How recipes' tests reach a simulator: its default state's source tenant and OAuth clients, and, from a child process, the
// simulator that lives in the parent test process (its state is in memory, so it outlives every child).
import type { CreateSocket } from '@qlik-oem/engine';
import { createQlikCloud, oauthClientCredentials, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { createSimDispatcher, createSimSocket, type Simulator, type SimTarget } from '@qlik-oem/simulator';

/** The default state's regional M2M client (tenant admin on every EU tenant). */
export const SIM_REGIONAL_CLIENT = { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' } as const;
/** The default state's organization client (reads and creates tenants). */
export const SIM_ORG_CLIENT = { clientId: 'sim-org', clientSecret: 'sim-org-secret' } as const;

export interface ParentSimulator {
  target: SimTarget;
  /** Node's fetch (undici) with the simulator's dispatcher: the HTTP stack a broker runs on in production. */
  fetch: typeof fetch;
  /** The dispatcher under `fetch` (undici's Agent). */
  dispatcher: ReturnType<typeof createSimDispatcher>;
  createSocket: CreateSocket;
}

/** The parent's simulator on 127.0.0.1:`port`, serving Qlik Cloud hosts (and whichever others `serves` adds). */
export function parentSimulator(port: number, serves: (host: string) => boolean = () => false): ParentSimulator {
  const target: SimTarget = {
    port,
    protocol: 'http',
    caPem: undefined,
    serves: (host) => host.endsWith('.qlikcloud.com') || serves(host),
  };
  const dispatcher = createSimDispatcher(target);
  return {
    target,
    fetch: (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit),
    dispatcher,
    createSocket: (url, init) => createSimSocket(target, url, init),
  };
}

/** The default state's source tenant. */
export const SIM_SOURCE_TENANT = 'source.eu.qlikcloud.com';

/** A facade on the source tenant as its admin (the regional client, scope admin_classic), sending through `fetch`. */
export function sourceTenantAdmin(sim: Simulator, fetch: typeof globalThis.fetch = sim.nodeFetch): QlikCloud {
  return createQlikCloud({
    host: SIM_SOURCE_TENANT,
    auth: oauthClientCredentials({
      host: SIM_SOURCE_TENANT,
      ...SIM_REGIONAL_CLIENT,
      scope: 'admin_classic',
      fetch: sim.nodeFetch,
    }),
    fetch,
  });
}
