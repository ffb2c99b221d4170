// The whole chain a partner runs per customer (onboarding, hydrate from the template, multi-cloud distribution
// from a QSEoW site) against one strict simulator, with a way to "kill" an SDK instance right after the Nth
// HTTP request it sent: the server processed that request, the process never saw the answer, and from then on
// nothing of that instance reaches the simulator or the journal. Only the journal's storage survives, and a
// fresh SDK instance resumes from it.
import type { Clock } from '@qlik-oem/core';
import type { CreateSocket, WebSocketLike } from '@qlik-oem/engine';
import { clearOAuthTokenCache, unwrap } from '@qlik-oem/qlik-cloud';
import { listDeployments } from '@qlik-oem/distribution';
import { dataOrThrow, ensureStream, publishApp, uploadApp } from '@qlik-oem/qrs';
import { createManualClock, defaultStateFile, startSimulator, type Simulator } from '@qlik-oem/simulator';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import {
  createProvisioningEnvironment,
  provisionFleet,
  type JournalStore,
  type ProvisionFleetInput,
  type ProvisionFleetResult,
  type ProvisioningEnvironment,
} from '../../src/index.js';
import { fleetHydrate, prepareTemplate } from './fleet-fixtures.js';
import { qseowAdmin } from './multi-cloud-harness.js';
import { samplePartner } from './onboard-harness.js';
import { SIM_ORG_CLIENT, SIM_REGIONAL_CLIENT } from '../helpers/sim-access.js';

export const KILL_QSEOW = 'qseow.partner.local';

/** Thrown into the dead instance: every request and journal call after the kill point fails with it. */
export class SimulatedDeath extends Error {
  override readonly name = 'SimulatedDeath';
}

/** One SDK "process": its environment, QSEoW site and journal view, and whether it was killed. */
export interface SdkInstance {
  env: ProvisioningEnvironment;
  journal: JournalStore;
  /** The HTTP requests this instance sent (the simulator received each one), as `METHOD host path`. */
  readonly requests: readonly string[];
  /** True once the kill point was reached. */
  readonly dead: boolean;
  run(customers: ProvisionFleetInput['customers']): Promise<ProvisionFleetResult>;
}

export interface KillWorld {
  sim: Simulator;
  /** The QSEoW app every customer gets distributed into its managed space. */
  qseowAppId: string;
  /** A new SDK instance on `storage` (the journal that survives), killed after its `killAfter`th request. */
  instance(storage: JournalStore, killAfter?: number): SdkInstance;
  /** The QSEoW site's shared entities and deployments, by name (each should appear once). */
  qseowInventory(): Promise<{ deployments: string[]; customProperties: string[]; systemRules: string[] }>;
  /** A client of the simulator that is no SDK instance under test, for reading what customers ended with. */
  observer: ProvisioningEnvironment;
  close(): Promise<void>;
}

export async function startKillWorld(): Promise<KillWorld> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  // Simulated time moves only when the SDK waits, so every poll and every wait happens the same way each run.
  const simClock = createManualClock(Date.now());
  const clock: Clock = {
    now: () => simClock.now(),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      simClock.advance(ms);
    },
  };
  const sim = await startSimulator({
    strict: true,
    latency: false,
    clock: simClock,
    state: {
      ...defaultStateFile(),
      qseow: {
        hostname: KILL_QSEOW,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        distributionDelayMs: 5_000,
      },
    },
  });
  const admin = await qseowAdmin(privateKey, sim.nodeFetch, KILL_QSEOW);
  const stream = (await ensureStream(admin, 'Customers')).stream;
  const qvf = new TextEncoder().encode(
    `QOEMSIMQVF1\n${JSON.stringify({ name: 'Partner Analytics', description: '', script: 'LOAD 1 AS v;', properties: {}, objects: [], hasData: true })}`,
  );
  const qseowApp = await uploadApp(admin, { name: 'Partner Analytics', file: qvf });
  await publishApp(admin, qseowApp.id!, stream.id!);
  const signingKey = await exportPKCS8(privateKey);
  const partner = samplePartner();

  const newEnvironment = (fetch: typeof globalThis.fetch, createSocket: CreateSocket) =>
    createProvisioningEnvironment({
      region: 'eu',
      sourceTenantHost: 'source.eu.qlikcloud.com',
      oauth: SIM_REGIONAL_CLIENT,
      organization: SIM_ORG_CLIENT,
      fetch,
      createSocket,
      clock,
    });
  const observer = newEnvironment(sim.nodeFetch, (url, init) => sim.createSocket(url, init));
  const templateAppId = await prepareTemplate(observer);
  return {
    sim,
    qseowAppId: qseowApp.id!,
    observer,
    async qseowInventory() {
      const names = (rows: Array<{ name?: string }>) => rows.map((r) => r.name ?? '').sort();
      return {
        deployments: names(await listDeployments(admin)),
        customProperties: names(dataOrThrow(await admin.api.GET('/custompropertydefinition/full', {}), 'GET')),
        systemRules: names(dataOrThrow(await admin.api.GET('/systemrule/full', {}), 'GET')).filter((n) =>
          n.startsWith('Distribute apps'),
        ),
      };
    },
    close: () => sim.close(),
    instance(storage, killAfter) {
      clearOAuthTokenCache(); // a new process has no tokens
      const requests: string[] = [];
      let dead = false;
      const controller = new AbortController();
      const sockets = new Set<WebSocketLike>();
      const die = () => {
        if (dead) return;
        dead = true;
        controller.abort(new SimulatedDeath('killed'));
        for (const socket of sockets) socket.close();
      };
      const killingFetch = (async (input: Request | string | URL, init?: RequestInit) => {
        if (dead) throw new SimulatedDeath('the process is dead');
        const request = new Request(input, init);
        const url = new URL(request.url);
        const index = requests.push(`${request.method} ${url.hostname}${url.pathname}`);
        const response = await sim.nodeFetch(request);
        if (index === killAfter) die();
        // An answer that arrives after the death is never seen.
        if (dead) throw new SimulatedDeath('killed before the answer arrived');
        return response;
      }) as typeof fetch;
      const createSocket: CreateSocket = (url, init) => {
        if (dead) throw new SimulatedDeath('the process is dead');
        const socket = sim.createSocket(url, init) as unknown as WebSocketLike;
        sockets.add(socket);
        return socket;
      };
      const alive = <T>(call: () => Promise<T>): Promise<T> =>
        dead ? Promise.reject(new SimulatedDeath('the process is dead')) : call();
      const journal: JournalStore = {
        append: (entry) => alive(() => storage.append(entry)),
        read: (customerId) => alive(() => storage.read(customerId)),
        ...(storage.compact ? { compact: (customerId: string) => alive(() => storage.compact!(customerId)) } : {}),
      };
      const env = newEnvironment(killingFetch, createSocket);
      const site = {
        host: KILL_QSEOW,
        virtualProxyPrefix: 'jwt',
        jwt: { signingKey, userId: 'provisioner', userDirectory: 'PARTNER' },
        fetch: killingFetch,
        clock,
        pollIntervalMs: 1_000,
        distributionTimeoutMs: 120_000,
      };
      return {
        env,
        journal,
        requests,
        get dead() {
          return dead;
        },
        run: (customers) =>
          provisionFleet(
            env,
            {
              partner,
              customers,
              hydrate: fleetHydrate(templateAppId),
              multiCloud: { site, appIds: [qseowApp.id!] },
            },
            {
              journal,
              concurrency: 1,
              retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 200 },
              signal: controller.signal,
            },
          ),
      };
    },
  };
}

/** What a customer ended with, read through the API by a fresh observer: one line per resource, sorted. */
export async function customerInventory(observer: ProvisioningEnvironment, sim: Simulator, alias: string) {
  const host = `${alias}.eu.qlikcloud.com`;
  const tenants = [...sim.state.tenants.values()].filter((t) => t.hostnames.includes(host));
  const qc = observer.tenant(host);
  const spaces = unwrap(await qc.spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } })).data ?? [];
  const spaceName = new Map(spaces.map((s) => [s.id, `${s.type}:${s.name}`]));
  const items =
    unwrap(await qc.items.GET('/api/v1/items', { params: { query: { resourceType: 'app', limit: 100 } } })).data ?? [];
  const connections =
    unwrap(await qc.dataConnections.GET('/api/v1/data-connections', { params: { query: { limit: 100 } } })).data ?? [];
  const idps = unwrap(await qc.identityProviders.GET('/api/v1/identity-providers')).data ?? [];
  const groups = tenants.flatMap((t) => [...t.groups.values()].map((g) => g.name));
  return {
    tenants: tenants.length,
    spaces: spaces.map((s) => `${s.type}:${s.name}`).sort(),
    apps: items.map((i) => `${spaceName.get(i.spaceId ?? '') ?? 'personal'}:${i.name}`).sort(),
    connections: connections.map((c) => `${spaceName.get(c.space ?? '') ?? 'personal'}:${c.qName}`).sort(),
    idps: idps.map((i) => (i as { protocol?: string }).protocol ?? '?').sort(),
    groups: groups.map((g) => (g.startsWith('qlik-oem-owner:') ? 'qlik-oem-owner:*' : g)).sort(),
  };
}
