import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Dispatcher as UndiciDispatcher } from 'undici';
import type { ClientOptions, WebSocket } from 'ws';
import { createSimFetch, type SimTarget } from './client/sim-fetch.js';
import { createSimDispatcher } from './client/sim-dispatcher.js';
import { createSimSocket } from './client/sim-socket.js';
import { createRealClock, type SimClock } from './clock.js';
import { Dispatcher } from './http/dispatcher.js';
import { createCertificateAuthority } from './http/tls.js';
import type { Route } from './http/types.js';
import { FaultInjector, type FaultKind, type FaultOptions } from './limits/faults.js';
import { LatencyModel, type LatencyOptions } from './limits/latency.js';
import { RateLimiter, type BucketCounter } from './limits/rate-limiter.js';
import type { SimPlugin } from './plugins.js';
import { builtInPlugins, builtInRoutes } from './routes.js';
import { SpecCatalog } from './spec/catalog.js';
import { resolveSpecsDir } from './spec/spec-dir.js';
import { SpecValidator, type SpecViolation } from './spec/validator.js';
import {
  TOKEN_REQUEST_BUCKETS,
  type AuthorizationMode,
  type ImportQuotaAnswer,
  type ReloadTasksApiMode,
  type TokenRequestBucket,
} from './state/behaviour.js';
import { seedState } from './state/seed.js';
import { SimState } from './state/sim-state.js';
import { defaultStateFile, validateStateFile, type StateFile } from './state/state-file.js';

export interface SimulatorOptions {
  /** Port to listen on (default 0: a free port). The server binds to 127.0.0.1 unless `listenHost` says otherwise. */
  port?: number;
  listenHost?: string;
  /** Seed for ids and fault injection (default 1, or the state file's `seed`). */
  seed?: number;
  /** The initial state: an object, or a path to a JSON file (default: the built-in state). */
  state?: StateFile | string;
  /**
   * Answer traffic that breaks the official specs (and is no entry of the registry of behaviour beyond
   * the specs, `BEYOND_SPEC`) with 500 SIM-SPEC-VIOLATION and record it in `violations`. On by default.
   */
  lenient?: boolean;
  /** @deprecated Strict is the default; `lenient: true` turns it off. `strict: false` does the same. */
  strict?: boolean;
  /** Serve HTTPS with generated certificates (a CA + a leaf per host name, via SNI). */
  https?: boolean;
  /** Simulated time speed: 60 = one simulated minute per real second (default 1). Ignored with `clock`. */
  timeScale?: number;
  clock?: SimClock;
  /** Latency model; `false` for none (default: realistic-ish per operation). */
  latency?: LatencyOptions | false;
  /** Seeded fault injection (default off). */
  faults?: FaultOptions;
  /** Enforce Qlik's rate limits (default true). */
  rateLimits?: boolean;
  /**
   * Which bucket a token request (`POST /oauth/token`) counts in (default `client`; see `TokenRequestBucket`).
   * Qlik does not say, so a fleet's pacing is tested under each.
   */
  tokenRequestBucket?: TokenRequestBucket;
  /**
   * Directory of the Qlik Cloud spec files (default: the copies shipped in this package's specs/qlik-cloud/).
   * Every file listed in the shipped SHA256SUMS must be there with the same sha256 (else a `SpecsDirError`).
   */
  specsDir?: string;
  /** Extra plugins (e.g. the QIX engine) after the built-in ones. */
  plugins?: SimPlugin[];
  /** Extra routes (must be operations of the specs). */
  routes?: Route[];
  /** How the Reload Tasks API answers (default `removed`; see `ReloadTasksApiMode`). */
  reloadTasksApi?: ReloadTasksApiMode;
  /** App imports per tenant per UTC day (default 10,000, Enterprise); per-host values override it. */
  appImportsPerDay?: number | { default?: number; byHost?: Record<string, number> };
  /** The status of an import past the allowance (default 403; 429 is the other plausible answer). */
  importQuotaAnswer?: ImportQuotaAnswer;
  /**
   * TEST-ONLY, UNSAFE: `off` switches authorization off (scopes, tenant roles, space roles: every decision
   * of the authorization module allows), so any token of a tenant may do anything there. It exists only
   * so that a test can prove that a case expecting a 403 fails without authorization. Never use it to
   * make an SDK test pass. Default `enforced`.
   */
  authorization?: AuthorizationMode;
}

export interface Simulator {
  /** The server's own address, e.g. http://127.0.0.1:54321. */
  url: string;
  port: number;
  protocol: 'http' | 'https';
  /**
   * A convenience fetch that routes every *.qlikcloud.com (and declared extra) hostname to the simulator,
   * over node:http (its own redirects and error codes). Tests of SDK behaviour use `nodeFetch` instead.
   */
  fetch: typeof fetch;
  /**
   * Node's global fetch (undici) with `dispatcher`: the HTTP stack a broker runs on in production, routed to
   * the simulator. What tests of SDK behaviour and the examples' simulated mode send through.
   */
  nodeFetch: typeof fetch;
  /**
   * An undici dispatcher with the same routing: `fetch(url, { dispatcher })` or undici's
   * `setGlobalDispatcher(sim.dispatcher)` send Qlik hostnames to the simulator.
   */
  dispatcher: UndiciDispatcher;
  /** A `ws` WebSocket to the simulator for a wss://<tenant>/... URL (enigma.js createSocket). */
  createSocket: (url: string, options?: ClientOptions) => WebSocket;
  state: SimState;
  clock: SimClock;
  /** Rate-limit counters per bucket (host, tier, user); a fresh snapshot on every read. */
  readonly counters: BucketCounter[];
  /**
   * HTTP requests received so far: reads (GET, HEAD, OPTIONS, and the QRS queries sent as POST: `.../table`
   * and the security audit), token requests (`/oauth/token`) and writes (every other method); a fresh
   * snapshot on every read. "Writes nothing" means `writes` does not move.
   */
  readonly traffic: { reads: number; writes: number; tokens: number };
  /** How often each registry entry (`BEYOND_SPEC`, by id) let traffic through; a fresh snapshot on every read. */
  readonly beyondSpecHits: ReadonlyMap<string, number>;
  /** Spec violations seen in strict mode (tests assert it stays empty). */
  violations: SpecViolation[];
  /** Faults injected so far. */
  readonly faults: ReadonlyArray<{ seq: number; request: string; kind: FaultKind }>;
  /** The CA certificate (PEM) in HTTPS mode. */
  caPem: string | undefined;
  routes(): Route[];
  close(): Promise<void>;
}

function loadState(state: StateFile | string | undefined): StateFile {
  if (state === undefined) return defaultStateFile();
  if (typeof state !== 'string') return validateStateFile(state);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(state, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the state file ${state}: ${(err as Error).message}`, { cause: err });
  }
  return validateStateFile(parsed);
}

/** Starts a simulated Qlik Cloud in this process. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const stateFile = loadState(options.state);
  const seed = options.seed ?? stateFile.seed ?? 1;
  const clock = options.clock ?? createRealClock({ timeScale: options.timeScale ?? 1 });
  const sim = new SimState(seed, clock);
  if (options.reloadTasksApi) sim.behaviour.reloadTasksApi = options.reloadTasksApi;
  if (options.importQuotaAnswer) sim.behaviour.importQuotaAnswer = options.importQuotaAnswer;
  if (options.tokenRequestBucket !== undefined) {
    if (!TOKEN_REQUEST_BUCKETS.includes(options.tokenRequestBucket))
      throw new TypeError(
        `tokenRequestBucket must be one of ${TOKEN_REQUEST_BUCKETS.join(', ')} (got ${String(options.tokenRequestBucket)})`,
      );
    sim.behaviour.tokenRequestBucket = options.tokenRequestBucket;
  }
  if (options.authorization !== undefined) {
    if (options.authorization !== 'enforced' && options.authorization !== 'off')
      throw new TypeError(`authorization must be 'enforced' or 'off' (got ${String(options.authorization)})`);
    sim.authorization = options.authorization;
  }
  const imports = options.appImportsPerDay;
  if (typeof imports === 'number') sim.behaviour.appImportsPerDay = imports;
  else if (imports) {
    if (imports.default !== undefined) sim.behaviour.appImportsPerDay = imports.default;
    for (const [host, n] of Object.entries(imports.byHost ?? {}))
      sim.behaviour.appImportsPerDayByHost[host.toLowerCase()] = n;
  }
  const catalog = new SpecCatalog(resolveSpecsDir(options.specsDir));
  const strict = options.lenient !== true && options.strict !== false;
  const beyondSpecHits = new Map<string, number>();
  const violations: SpecViolation[] = [];
  const faults = options.faults ? new FaultInjector(options.faults, seed) : undefined;
  const limiter = options.rateLimits === false ? undefined : new RateLimiter(clock);
  const dispatcher = new Dispatcher({
    sim,
    clock,
    catalog,
    validator: new SpecValidator(catalog),
    strict,
    limiter,
    latency: new LatencyModel(options.latency ?? {}),
    faults,
    violations,
    beyondSpecHits,
  });
  dispatcher.addRoutes([...builtInRoutes(), ...(options.routes ?? [])]);

  const plugins = [...builtInPlugins(), ...(options.plugins ?? [])];
  for (const plugin of plugins) {
    await plugin.setup({
      sim,
      clock,
      strict,
      stateFile,
      addRoutes: (routes) => dispatcher.addRoutes(routes),
      registerUpgradeHandler: (h) => dispatcher.registerUpgradeHandler(h),
      registerHostHandler: (h) => dispatcher.registerHostHandler(h),
    });
  }
  seedState(sim, stateFile);

  const ca = options.https ? await createCertificateAuthority() : undefined;
  const traffic = { reads: 0, writes: 0, tokens: 0 };
  // QRS answers these POSTs with data and changes nothing (QRS API reference: "Get table", the audit matrix).
  const isQrsQuery = (url: string | undefined) =>
    /\/qrs\/(?:[a-z]+\/)*(?:table|security\/audit(?:\/[a-z]+)?)(?:\?|$)/i.test(url ?? '');
  const onRequest = (req: Parameters<Dispatcher['handle']>[0], res: Parameters<Dispatcher['handle']>[1]): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || isQrsQuery(req.url))
      traffic.reads += 1;
    else if (/^\/oauth\/token\b/.test(req.url ?? '')) traffic.tokens += 1;
    else traffic.writes += 1;
    void dispatcher.handle(req, res);
  };
  const defaultPems = ca ? await ca.defaultPems() : undefined;
  const server: Server = ca
    ? createHttpsServer(
        {
          ...defaultPems,
          SNICallback: (name, cb) => {
            ca.contextFor(name).then(
              (ctx) => cb(null, ctx),
              (err: Error) => cb(err),
            );
          },
        },
        onRequest,
      )
    : createHttpServer(onRequest);
  server.on('upgrade', (req, socket, head) => dispatcher.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.listenHost ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const protocol = ca ? 'https' : 'http';
  const target: SimTarget = { port, protocol, caPem: ca?.caPem, serves: (h) => sim.servesHost(h) };
  let closed = false;
  const undiciDispatcher = createSimDispatcher(target);

  return {
    url: `${protocol}://127.0.0.1:${port}`,
    port,
    protocol,
    fetch: createSimFetch(target),
    // Read at call time, so a test's own global fetch (a recorder) is honoured.
    nodeFetch: (input, init) =>
      globalThis.fetch(input, { ...init, dispatcher: undiciDispatcher } as unknown as RequestInit),
    dispatcher: undiciDispatcher,
    createSocket: (url, socketOptions) => createSimSocket(target, url, socketOptions),
    state: sim,
    clock,
    get counters() {
      return limiter?.counters() ?? [];
    },
    get traffic() {
      return { ...traffic };
    },
    violations,
    get beyondSpecHits() {
      return new Map(beyondSpecHits);
    },
    get faults() {
      return faults?.log ?? [];
    },
    caPem: ca?.caPem,
    routes: () => dispatcher.routes(),
    async close() {
      if (closed) return;
      closed = true;
      for (const plugin of plugins) await plugin.close?.();
      // Bun answers `undici` with its own built-in stand-in, whose Agent has no close().
      if (typeof undiciDispatcher.close === 'function') await undiciDispatcher.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
