// The embedded QSEoW site the example assesses by default: the simulator's deterministic sample site.
import type { QseowSiteOptions } from '@qlik-oem/recipes';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';

const QSEOW_HOST = 'qseow.partner.example';

export interface SimulatedSite {
  sim: Simulator;
  site: QseowSiteOptions;
  /** Requests the assessment sent that were not reads (GETs and QRS query POSTs). */
  writes: string[];
  close(): Promise<void>;
}

/**
 * A strict simulator serving the sample site (customer streams with apps of many sizes, reload histories,
 * connections of several types, extensions, users' last use) behind a JWT virtual proxy trusting a fresh key.
 * Requests go through Node's fetch with the simulator's undici dispatcher, the stack a partner's broker uses.
 */
export async function startSimulatedSite(
  options: { customers?: string[]; appsPerCustomer?: number; now?: number } = {},
): Promise<SimulatedSite> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const sim = await startSimulator({
    strict: true,
    latency: false,
    state: {
      regions: ['eu'],
      tenants: [],
      oauthClients: [],
      qseow: {
        hostname: QSEOW_HOST,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        sampleSite: {
          ...(options.customers ? { customers: options.customers } : {}),
          appsPerCustomer: options.appsPerCustomer ?? 60,
          ...(options.now !== undefined ? { now: options.now } : {}),
        },
      },
    },
  });
  const writes: string[] = [];
  const siteFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    if (request.method !== 'GET' && !/\/(table|audit\/matrix)$/.test(pathname))
      writes.push(`${request.method} ${pathname}`);
    // Node's fetch takes an undici dispatcher; its type lives in undici, not in the DOM's RequestInit.
    return fetch(request, { dispatcher: sim.dispatcher } as unknown as RequestInit);
  };
  return {
    sim,
    site: {
      host: QSEOW_HOST,
      virtualProxyPrefix: 'jwt',
      jwt: { signingKey: await exportPKCS8(privateKey), userId: 'assessor', userDirectory: 'PARTNER' },
      fetch: siteFetch,
      createSocket: (url, init) => sim.createSocket(url, init),
    },
    writes,
    close: () => sim.close(),
  };
}
