import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CreateSocket } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import {
  createProvisioningEnvironment,
  type FleetHydrateConfig,
  type PartnerConfigInput,
  type ProvisioningEnvironment,
  type TenantCustomizationInput,
} from '@qlik-oem/recipes';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';

/** The template app of the simulator's built-in source tenant (its script uses `LIB CONNECT TO 'Customer Data'`). */
export const SIM_TEMPLATE_NAME = 'Customer Analytics Template';
/** The example's partner configuration (groups, spaces, settings): `partner.sample.json`. */
export const DEFAULT_PARTNER_FILE = new URL('../partner.sample.json', import.meta.url);

/** A partner file: everything of `PartnerConfigInput` but the JWT settings, which come from the signing key. */
export function readPartnerFile(file: string | URL): Omit<PartnerConfigInput, 'jwt'> {
  return JSON.parse(readFileSync(file, 'utf8')) as Omit<PartnerConfigInput, 'jwt'>;
}

/** The partner product's origin in the simulated world (web integration and CSP `frame-ancestors`). */
export const SIM_PRODUCT_ORIGIN = 'https://app.partner.example';

/** What the broker needs to run against the embedded simulator, and the simulator itself (for tests). */
export interface SimulatedQlik {
  sim: Simulator;
  env: ProvisioningEnvironment;
  partner: PartnerConfigInput;
  signingKey: KeyObject;
  hydrate: FleetHydrateConfig;
  customization: TenantCustomizationInput;
  /** The simulator's clock (JWT `iat`/`exp` must be in its time). */
  jwtClock: () => number;
  fetch: typeof fetch;
  close(): Promise<void>;
}

/**
 * Starts the embedded Qlik Cloud simulator (strict by default: every request and response is checked against
 * Qlik's specs) and builds the partner's side for it: a regional OAuth client, a freshly generated JWT signing
 * key pair, the partner's groups and spaces, the template app and a per-customer data connection.
 */
export interface SimulatedQlikOptions {
  strict?: boolean;
  timeScale?: number;
  seed?: number;
  latency?: boolean;
  /** Wraps the fetch the provisioning environment uses (tests record or hold requests). */
  wrapFetch?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch;
}

export async function startSimulatedQlik(options: SimulatedQlikOptions = {}): Promise<SimulatedQlik> {
  const timeScale = options.timeScale ?? 60;
  const sim = await startSimulator({
    strict: options.strict ?? true,
    timeScale,
    seed: options.seed ?? 1,
    ...(options.latency === false ? { latency: false } : {}),
  });
  try {
    const createSocket: CreateSocket = (url, init) => sim.createSocket(url, init);
    const envFetch = options.wrapFetch ? options.wrapFetch(sim.nodeFetch) : sim.nodeFetch;
    const env = createProvisioningEnvironment({
      region: 'eu',
      sourceTenantHost: 'source.eu.qlikcloud.com',
      oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' },
      fetch: envFetch,
      createSocket,
      timeScale,
    });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const partner: PartnerConfigInput = {
      ...readPartnerFile(DEFAULT_PARTNER_FILE),
      jwt: {
        issuer: 'https://broker.partner.example',
        keyId: 'broker-sim-key',
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    };
    const hydrate: FleetHydrateConfig = {
      template: { appId: await findTemplate(env), appName: 'Sales Analytics' },
      dataConnection: (customer) => ({
        name: 'Customer Data',
        datasourceId: 'postgres',
        connectionString: `host=${customer.alias}-db.partner.example;database=analytics`,
        username: 'reader',
        password: `sim-db-password-${customer.alias}`,
      }),
      scriptConnection: { from: 'Customer Data' },
    };
    const customization: TenantCustomizationInput = {
      webIntegration: { name: 'Partner product', validOrigins: [SIM_PRODUCT_ORIGIN] },
      cspOrigins: [{ name: 'Partner product', origin: SIM_PRODUCT_ORIGIN, directives: ['frameAncestors'] }],
      // The OAuth client the broker impersonates end users with (the page's token for qlik-embed).
      impersonationClient: { name: 'Partner product backend', redirectUris: [`${SIM_PRODUCT_ORIGIN}/login`] },
    };
    return {
      sim,
      env,
      partner,
      signingKey: privateKey,
      hydrate,
      customization,
      jwtClock: () => sim.clock.now(),
      fetch: sim.nodeFetch,
      close: () => sim.close(),
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

async function findTemplate(env: ProvisioningEnvironment): Promise<string> {
  const items = unwrap(
    await env
      .source()
      .items.GET('/api/v1/items', { params: { query: { resourceType: 'app', name: SIM_TEMPLATE_NAME } } }),
  );
  const template = items.data?.find((item) => item.name === SIM_TEMPLATE_NAME);
  if (!template?.resourceId) throw new Error(`The simulator's source tenant has no "${SIM_TEMPLATE_NAME}" app`);
  return template.resourceId;
}
