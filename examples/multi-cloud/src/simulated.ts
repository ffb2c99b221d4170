import { createScaledClock } from '@qlik-oem/core';
import { createQrsClient, ensureStream, publishApp, uploadApp } from '@qlik-oem/qrs';
import type { ProvisioningEnvironmentOptions, QseowSiteOptions } from '@qlik-oem/recipes';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { CustomerEntry } from './customers.js';

const QSEOW_HOST = 'qseow.partner.example';
const CLIENT = { clientId: 'partner-eu-m2m', clientSecret: 'partner-eu-m2m-secret' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A minimal app file the simulator's QSEoW accepts (see the simulator's content/qvf.ts). */
const appFile = (name: string) =>
  new TextEncoder().encode(
    `QOEMSIMQVF1\n${JSON.stringify({ name, description: '', script: 'LOAD 1 AS Sales;', properties: {}, objects: [], hasData: true })}`,
  );

export interface SimulatedWorld {
  sim: Simulator;
  environment: ProvisioningEnvironmentOptions;
  site: QseowSiteOptions;
  close(): Promise<void>;
}

/**
 * The embedded world the example runs in by default: a strict simulator with the partner's QSEoW site (a JWT virtual
 * proxy trusting a freshly generated key), one tenant per customer with its managed space, and the named apps
 * uploaded and published on QSEoW. Simulated time runs `timeScale` times faster than real time.
 */
export async function startSimulatedWorld(
  customers: CustomerEntry[],
  options: { timeScale?: number } = {},
): Promise<SimulatedWorld> {
  const timeScale = options.timeScale ?? 60;
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const region = /\.([a-z]+)\.qlikcloud\.com$/.exec(customers[0]?.tenantHost ?? '')?.[1] ?? 'eu';
  const spaces = new Map<string, Set<string>>();
  for (const c of customers) spaces.set(c.tenantHost, (spaces.get(c.tenantHost) ?? new Set()).add(c.managedSpace));
  const sim = await startSimulator({
    strict: true,
    timeScale,
    latency: false,
    state: {
      regions: [region],
      tenants: [
        { hostname: `partner.${region}.qlikcloud.com`, name: 'partner', region },
        ...[...spaces].map(([hostname, names]) => ({
          hostname,
          name: hostname.split('.')[0]!,
          region,
          spaces: [...names].map((name) => ({ name, type: 'managed' })),
        })),
      ],
      oauthClients: [{ ...CLIENT, region, scopes: ['admin_classic', 'user_default'] }],
      qseow: {
        hostname: QSEOW_HOST,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        distributionDelayMs: 5_000,
      },
    },
  });
  try {
    // The partner's existing QSEoW content: every app named in the customers file, published.
    const adminJwt = await new SignJWT({ userid: 'admin', userdirectory: 'PARTNER' })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('10m')
      .sign(privateKey);
    const qrs = createQrsClient({
      host: QSEOW_HOST,
      prefix: 'jwt',
      auth: { type: 'jwt', token: adminJwt },
      fetch: sim.nodeFetch,
      pacing: false,
    });
    const stream = (await ensureStream(qrs, 'Customers')).stream;
    const names = new Set(customers.flatMap((c) => c.apps).filter((app) => !GUID.test(app)));
    for (const name of names) {
      const app = await uploadApp(qrs, { name, file: appFile(name) });
      await publishApp(qrs, app.id!, stream.id!);
    }
  } catch (error) {
    await sim.close();
    throw error;
  }
  return {
    sim,
    environment: {
      region,
      sourceTenantHost: `partner.${region}.qlikcloud.com`,
      oauth: CLIENT,
      fetch: sim.nodeFetch,
      timeScale,
    },
    site: {
      host: QSEOW_HOST,
      virtualProxyPrefix: 'jwt',
      jwt: { signingKey: await exportPKCS8(privateKey), userId: 'provisioner', userDirectory: 'PARTNER' },
      fetch: sim.nodeFetch,
      clock: createScaledClock(timeScale),
    },
    close: () => sim.close(),
  };
}
