// A strict simulator with a QSEoW site (JWT virtual proxy "jwt") and one Qlik Cloud tenant per customer, each
// with a managed space; every request the SDK sends is recorded (method, URL, body, status) in order.
import { unwrap } from '@qlik-oem/qlik-cloud';
import { afterEach } from 'vitest';
import { listDeployments } from '@qlik-oem/distribution';
import { createQrsClient, ensureStream, publishApp, uploadApp, type QrsClient } from '@qlik-oem/qrs';
import { createManualClock, startSimulator, type SimBehaviour, type Simulator } from '@qlik-oem/simulator';
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createProvisioningEnvironment, createQseowSite, type QseowSiteOptions } from '../../src/index.js';

export const QSEOW = 'qseow.partner.local';

/** `startMultiCloudWorld` for a test file: the world a test starts is closed after that test. */
export function startMultiCloudWorldPerTest(): typeof startMultiCloudWorld {
  let current: MultiCloudWorld | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (...args) => (current = await startMultiCloudWorld(...args));
}

/** The partner's QSEoW admin (their own setup, not the recipe's): QRS through the `jwt` virtual proxy. */
export async function qseowAdmin(
  privateKey: Parameters<SignJWT['sign']>[0],
  fetch: typeof globalThis.fetch,
  host = QSEOW,
): Promise<QrsClient> {
  const token = await new SignJWT({ userid: 'admin', userdirectory: 'PARTNER' })
    .setProtectedHeader({ alg: 'ES256' })
    .setExpirationTime('1h')
    .sign(privateKey);
  return createQrsClient({ host, prefix: 'jwt', auth: { type: 'jwt', token }, fetch, pacing: false });
}
export const REGION_CLIENT = { clientId: 'eu-regional', clientSecret: 'eu-regional-secret' };
export const DISTRIBUTION_DELAY_MS = 5_000;

export interface RecordedRequest {
  method: string;
  host: string;
  path: string;
  search: string;
  body: string;
  status: number;
  responseBody: string;
}

/** Hooks that tests use to act between the recipe's requests (e.g. a concurrent QMC edit). */
export interface HarnessHooks {
  /** Runs before a request is forwarded; may replace it. */
  before?: (request: Request) => Promise<Request | void> | Request | void;
  /** Runs after the simulator answered. */
  after?: (request: RecordedRequest) => void;
}

const qvf = (name: string) =>
  new TextEncoder().encode(
    `QOEMSIMQVF1\n${JSON.stringify({ name, description: '', script: 'LOAD 1 AS v;', properties: {}, objects: [], hasData: true })}`,
  );

export const tenantOf = (alias: string) => `${alias}.eu.qlikcloud.com`;

/** setupMultiCloud's input for the customer `alias`: its tenant, these apps, placed in the managed space Analytics. */
export const customerOf = (alias: string, appIds: string[]) => ({
  customerId: alias,
  tenantHost: tenantOf(alias),
  appIds,
  managedSpace: 'Analytics',
});

export type MultiCloudVariant = Pick<
  SimBehaviour,
  'hdsDeploymentList' | 'hdsDeploymentNames' | 'redistributionPublishTime'
>;

/**
 * What hds and distribution do where no source says (the simulator's switches): every pair of options of the
 * three switches, in six worlds (the multi-cloud tests run in each, so the recipe is right whichever is true).
 */
export const MULTI_CLOUD_VARIANTS: readonly MultiCloudVariant[] = [
  { hdsDeploymentList: 'array', hdsDeploymentNames: 'unique', redistributionPublishTime: 'moves' },
  { hdsDeploymentList: 'array', hdsDeploymentNames: 'duplicates', redistributionPublishTime: 'kept' },
  { hdsDeploymentList: 'paged', hdsDeploymentNames: 'duplicates', redistributionPublishTime: 'moves' },
  { hdsDeploymentList: 'paged', hdsDeploymentNames: 'unique', redistributionPublishTime: 'kept' },
  { hdsDeploymentList: 'absent', hdsDeploymentNames: 'unique', redistributionPublishTime: 'kept' },
  { hdsDeploymentList: 'absent', hdsDeploymentNames: 'duplicates', redistributionPublishTime: 'moves' },
];

/** A short name for a variant in test titles (vitest cuts titles from objects at 40 characters). */
export const variantName = (v: MultiCloudVariant) =>
  `hds ${v.hdsDeploymentList}/${v.hdsDeploymentNames}, publishTime ${v.redistributionPublishTime}`;

export async function startMultiCloudWorld(
  aliases: string[],
  options: { hooks?: HarnessHooks; qseow?: Record<string, unknown>; behaviour?: Partial<SimBehaviour> } = {},
) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const clock = createManualClock(Date.now());
  const sim: Simulator = await startSimulator({
    strict: true,
    latency: false,
    clock,
    state: {
      regions: ['eu'],
      tenants: [
        { hostname: 'source.eu.qlikcloud.com', name: 'source', region: 'eu' },
        ...aliases.map((alias) => ({
          hostname: tenantOf(alias),
          name: alias,
          region: 'eu',
          spaces: [
            { name: 'Analytics', type: 'managed' },
            { name: 'Sandbox', type: 'shared' },
          ],
        })),
      ],
      oauthClients: [{ ...REGION_CLIENT, region: 'eu', scopes: ['admin_classic', 'user_default'] }],
      qseow: {
        hostname: QSEOW,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        distributionDelayMs: DISTRIBUTION_DELAY_MS,
        ...options.qseow,
      },
    },
  });
  Object.assign(sim.state.behaviour, options.behaviour);
  const requests: RecordedRequest[] = [];
  const hooks = options.hooks ?? {};
  const simFetch = sim.nodeFetch;
  const recordingFetch = (async (input: Request | string | URL, init?: RequestInit) => {
    let request = new Request(input, init);
    request = (await hooks.before?.(request)) ?? request;
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    const response = await simFetch(request);
    const url = new URL(request.url);
    const recorded: RecordedRequest = {
      method: request.method,
      host: url.hostname,
      path: url.pathname,
      search: url.search,
      body,
      status: response.status,
      responseBody: await response.clone().text(),
    };
    requests.push(recorded);
    hooks.after?.(recorded);
    return response;
  }) as typeof fetch;

  // The partner's own setup (not the recipe): published apps on QSEoW, one per customer plus a shared one.
  const admin = await qseowAdmin(privateKey, simFetch);
  const stream = (await ensureStream(admin, 'Customers')).stream;
  const publishedApp = async (name: string) => {
    const app = await uploadApp(admin, { name, file: qvf(name) });
    await publishApp(admin, app.id!, stream.id!);
    return app.id!;
  };
  const unpublishedApp = async (name: string) => (await uploadApp(admin, { name, file: qvf(name) })).id!;

  const signingKey = await exportPKCS8(privateKey);
  // Polls advance simulated time instead of waiting.
  const pollClock = { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) };
  const siteOptions = (overrides: Partial<QseowSiteOptions> = {}): QseowSiteOptions => ({
    host: QSEOW,
    virtualProxyPrefix: 'jwt',
    jwt: { signingKey, userId: 'provisioner', userDirectory: 'PARTNER' },
    fetch: recordingFetch,
    createSocket: (url, init) => sim.createSocket(url, init),
    clock: pollClock,
    pollIntervalMs: 1_000,
    distributionTimeoutMs: 60_000,
    ...overrides,
  });
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: 'source.eu.qlikcloud.com',
    oauth: REGION_CLIENT,
    fetch: recordingFetch,
  });
  return {
    sim,
    clock,
    env,
    admin,
    requests,
    publishedApp,
    unpublishedApp,
    signingKey,
    site: (overrides?: Partial<QseowSiteOptions>) => createQseowSite(siteOptions(overrides)),
    siteOptions,
    /** The site's deployments as the QMC shows them (read with a listing, whatever this world's hds answers). */
    async deploymentsInQmc() {
      const mode = sim.state.behaviour.hdsDeploymentList;
      sim.state.behaviour.hdsDeploymentList = 'array';
      try {
        return await listDeployments(admin);
      } finally {
        sim.state.behaviour.hdsDeploymentList = mode;
      }
    },
    /** Requests that changed something, apart from OAuth tokens. */
    writes: () => requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token'),
    close: () => sim.close(),
  };
}

export type MultiCloudWorld = Awaited<ReturnType<typeof startMultiCloudWorld>>;

/** The name of the space the app is in, in the customer's tenant. */
export async function spaceOf(w: MultiCloudWorld, alias: string, appId: string) {
  const app = unwrap(
    await w.env.tenant(tenantOf(alias)).apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } } }),
  );
  const spaces = unwrap(
    await w.env.tenant(tenantOf(alias)).spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } }),
  );
  const spaceId = (app.attributes as { spaceId?: string }).spaceId;
  return spaces.data?.find((s) => s.id === spaceId)?.name;
}
