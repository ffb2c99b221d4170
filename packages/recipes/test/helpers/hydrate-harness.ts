// The hydrate tests' world: a strict simulator with the template app and one customer tenant per alias, every request
// the SDK sends recorded, a hook after each response, and hydrateFromTemplate's input per customer.
import { save, setScript, withApp } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { defaultStateFile, startSimulator, type Simulator, type StateFile } from '@qlik-oem/simulator';
import { createProvisioningEnvironment, type ProvisioningEnvironment } from '../../src/recipes/context.js';
import type { HydrateFromTemplateInput } from '../../src/recipes/hydrate/input.js';
import { hydrateFromTemplate, type JournalStore } from '../../src/index.js';
import { SIM_REGIONAL_CLIENT } from './sim-access.js';

export const TEMPLATE_SCRIPT =
  "LIB CONNECT TO 'Customer Data';\nSales:\nLOAD * INLINE [\nRegion, Amount\nNorth, 100\n];\n";
export const SOURCE_HOST = 'source.eu.qlikcloud.com';

export interface RecordedRequest {
  method: string;
  host: string;
  path: string;
}

export interface HydrateHarness {
  sim: Simulator;
  env: ProvisioningEnvironment;
  /** Every HTTP request the SDK sent, in order. */
  requests: RecordedRequest[];
  /** Requests that write (not GET, not token requests), optionally on one host. */
  writes(host?: string): RecordedRequest[];
  /** The writes on `host` from the `from`-th on, as "METHOD /path". */
  writesSince(host: string, from: number): string[];
  /**
   * Runs hydrateFromTemplate for `alias`, stopped by the operator ("operator stop") right after the simulator
   * answered the first request `at` matches; returns what the run rejected with.
   */
  stoppedRun(alias: string, journal: JournalStore, at: (request: RecordedRequest) => boolean): Promise<unknown>;
  /** Called after each response; tests use it to act at a precise moment (e.g. abort after a POST). */
  onResponse: ((request: RecordedRequest) => void) | undefined;
  templateAppId: string;
  spaces: Map<string, { shared: string; managed: string }>;
  inputFor(alias: string, extra?: Partial<HydrateFromTemplateInput>): HydrateFromTemplateInput;
  setTemplateScript(script: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A strict simulator with the default source tenant (template app) and one customer tenant per
 * alias, each with a shared `<alias> dev` and a managed `<alias> prod` space; and an environment
 * whose fetch records every request.
 */
export async function startHydrateHarness(
  aliases: readonly string[],
  timeScale = 200,
  options: {
    /** Keep the default state's template script (real SQL over the customer's database) instead of TEMPLATE_SCRIPT. */
    defaultTemplate?: boolean;
    /** Databases the simulator's embedded PostgreSQL serves, before the default state's. */
    databases?: unknown[];
  } = {},
): Promise<HydrateHarness> {
  const state: StateFile = defaultStateFile();
  if (options.databases) state.databases = [...options.databases, ...((state.databases as unknown[]) ?? [])];
  for (const alias of aliases) {
    state.tenants.push({
      hostname: `${alias}.eu.qlikcloud.com`,
      region: 'eu',
      spaces: [
        { name: `${alias} dev`, type: 'shared' },
        { name: `${alias} prod`, type: 'managed' },
      ],
    });
  }
  const sim = await startSimulator({ strict: true, timeScale, state });
  const requests: RecordedRequest[] = [];
  const harness = { onResponse: undefined } as HydrateHarness;
  const recordingFetch: typeof fetch = async (input, init) => {
    // Read method and URL without consuming a Request body.
    const isRequest = input instanceof Request;
    const url = new URL(isRequest ? input.url : String(input));
    const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
    const recorded = { method, host: url.host, path: url.pathname };
    requests.push(recorded);
    const response = await sim.nodeFetch(input, init);
    harness.onResponse?.(recorded);
    return response;
  };
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: SOURCE_HOST,
    oauth: SIM_REGIONAL_CLIENT,
    fetch: recordingFetch,
    createSocket: (url, init) => sim.createSocket(url, init),
    timeScale,
  });
  const sourceItems = unwrap(
    await env.source().items.GET('/api/v1/items', { params: { query: { resourceType: 'app' } } }),
  );
  const templateAppId = sourceItems.data.find((item) => item.name === 'Customer Analytics Template')!.resourceId!;
  const setTemplateScript = (script: string) =>
    withApp(env.engine.options(SOURCE_HOST), templateAppId, async (doc) => {
      await setScript(doc, script);
      await save(doc);
    });
  if (!options.defaultTemplate) await setTemplateScript(TEMPLATE_SCRIPT);

  const spaces = new Map<string, { shared: string; managed: string }>();
  for (const alias of aliases) {
    const list = unwrap(
      await env.tenant(`${alias}.eu.qlikcloud.com`).spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } }),
    );
    const byName = (name: string) => list.data!.find((space) => space.name === name)!.id;
    spaces.set(alias, { shared: byName(`${alias} dev`), managed: byName(`${alias} prod`) });
  }

  return Object.assign(harness, {
    sim,
    env,
    requests,
    writes: (host?: string) =>
      requests.filter(
        (r) => r.method !== 'GET' && r.path !== '/oauth/token' && (host === undefined || r.host === host),
      ),
    writesSince: (host: string, from: number) =>
      harness
        .writes(host)
        .slice(from)
        .map((r) => `${r.method} ${r.path}`),
    async stoppedRun(alias: string, journal: JournalStore, at: (request: RecordedRequest) => boolean) {
      const controller = new AbortController();
      harness.onResponse = (request) => {
        if (at(request)) controller.abort(new Error('operator stop'));
      };
      try {
        return await hydrateFromTemplate(env, harness.inputFor(alias), { journal, signal: controller.signal }).then(
          () => undefined,
          (e: unknown) => e,
        );
      } finally {
        harness.onResponse = undefined;
      }
    },
    templateAppId,
    spaces,
    inputFor: (alias: string, extra: Partial<HydrateFromTemplateInput> = {}): HydrateFromTemplateInput => ({
      customerId: alias,
      tenantHost: `${alias}.eu.qlikcloud.com`,
      sharedSpaceId: spaces.get(alias)!.shared,
      managedSpaceId: spaces.get(alias)!.managed,
      template: { appId: templateAppId, appName: 'Sales Analytics' },
      dataConnection: {
        name: `${alias}-sales`,
        datasourceId: 'postgres',
        connectionString: `host=${alias}-db.partner.example;database=sales`,
        username: 'reader',
        password: 's3cr3t-pw',
      },
      scriptConnection: { from: 'Customer Data' },
      ...extra,
    }),
    setTemplateScript,
    close: () => sim.close(),
  });
}
