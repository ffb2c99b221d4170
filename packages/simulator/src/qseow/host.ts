import { setMaxListeners } from 'node:events';
import type { SimClock } from '../clock.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import type { HostHandler } from '../plugins.js';
import { defaultBehaviour, type SimBehaviour } from '../state/behaviour.js';
import { createDistributionService, type CloudDistributionBackend, type DistributionRecord } from './distribution.js';
import { createHds } from './hds.js';
import { authenticateRepositoryClient, checkXrfkey, createJwtVerifier, type QseowAuthResult } from './proxy-auth.js';
import type { QrsSpecValidator } from './qrs-spec.js';
import { createRepository, downloadExport, type QrsResult } from './repository.js';
import { sampleQseowSite } from './sample-site.js';
import { loadSiteSeed } from './site-seed.js';
import { createQseowState, type QseowHostConfig, type QseowState } from './state.js';

export interface QseowHostDeps {
  clock: SimClock;
  /** The Qlik Cloud side that distributed apps land in. Without it, distributions are logged as `no-tenant`. */
  cloud?: CloudDistributionBackend;
  /** Strict mode: validate QRS request and response bodies against the QRS spec. */
  validator?: QrsSpecValidator;
  /** The simulator's switches for unverified behaviour (read on every request; default: the defaults). */
  behaviour?: SimBehaviour;
}

export interface QseowHost extends HostHandler {
  readonly hostname: string;
  readonly state: QseowState;
  /** Every distribution attempt, for tests and diagnostics. */
  readonly distributionLog: DistributionRecord[];
  /** Adds a reload task for an app (what the QMC would do) and returns its id. */
  addReloadTask(input: { name: string; appId: string }): string;
  /** Forces the outcome of the next run of a task. */
  setNextTaskOutcome(taskId: string, outcome: 'success' | 'fail'): void;
  close(): void;
}

const text = (status: number, message: string): SimResponse => ({
  status,
  body: message,
  headers: { 'content-type': 'text/plain' },
});

/**
 * One simulated QSEoW site: virtual proxies (`/<prefix>/qrs`, `/<prefix>/api/hds/v1`, `/<prefix>/tempcontent`),
 * the repository port (`/qrs` without a prefix, trusted client + `X-Qlik-User`), and the distribution service.
 */
export function createQseowHost(config: QseowHostConfig, deps: QseowHostDeps): QseowHost {
  const state = createQseowState(config);
  if (config.site) loadSiteSeed(state, config.site);
  if (config.sampleSite) loadSiteSeed(state, sampleQseowSite(config.sampleSite));
  const lifetime = new AbortController();
  // Every pending distribution sleeps on it: a site distributing many apps at once is not a leak.
  setMaxListeners(0, lifetime.signal);
  const distribution = createDistributionService(state, deps.clock, deps.cloud, lifetime.signal);
  const repository = createRepository(state, deps.clock, { onAppChanged: (id) => distribution.trigger(id) });
  const hds = createHds(state, deps.clock, deps.behaviour ?? defaultBehaviour());
  const proxies = new Map((config.virtualProxies ?? []).map((vp) => [vp.prefix.toLowerCase(), createJwtVerifier(vp)]));

  const toResponse = (result: QrsResult): SimResponse => ({
    status: result.status,
    body: result.body,
    ...(result.headers ? { headers: result.headers } : {}),
  });

  const serveQrs = (req: SimRequest, qrsPath: string): SimResponse => {
    const xrf = checkXrfkey(req);
    if (xrf) return text(400, xrf);
    const template = repository.templateOf(req.method, qrsPath);
    const isJson = /json/i.test(String(req.headers['content-type'] ?? ''));
    if (deps.validator && template && isJson && (req.method === 'POST' || req.method === 'PUT')) {
      const problem = deps.validator.checkRequest(req.method, template, req.body);
      if (problem) return text(400, problem);
    }
    const result = repository.handle({
      method: req.method,
      path: qrsPath,
      query: req.query,
      body: req.body,
      rawBody: req.rawBody,
    });
    // Beyond the spec: it types `Table.rows` cells as `object` (C#'s `object`, any value), but QRS returns the
    // plain property values, so `/<type>/table` answers skip response validation.
    if (
      deps.validator &&
      template &&
      !template.endsWith('/table') &&
      result.status < 300 &&
      result.body !== undefined &&
      !Buffer.isBuffer(result.body)
    ) {
      const problem = deps.validator.checkResponse(req.method, template, result.status, result.body);
      if (problem) return text(500, `simulator bug: ${problem}`);
    }
    return toResponse(result);
  };

  const route = (req: SimRequest, rest: string, auth: QseowAuthResult, proxyPrefix?: string): SimResponse => {
    if (!auth.ok) return text(auth.status, auth.message);
    const lower = rest.toLowerCase();
    if (lower === '/qrs' || lower.startsWith('/qrs/')) return serveQrs(req, rest.slice(4) || '/');
    const download = /^\/tempcontent\/([^/]+)\/[^/]+$/i.exec(rest);
    if (download && req.method === 'GET') return toResponse(downloadExport(state, decodeURIComponent(download[1]!)));
    if (proxyPrefix !== undefined && lower.startsWith('/api/hds/v1/')) {
      // Clients address a QSEoW site over https (the simulator may serve plain http behind its dispatcher).
      const baseUrl = `https://${state.config.hostname}/${proxyPrefix}/api/hds/v1`;
      return toResponse(hds.handle(req.method, rest.slice('/api/hds/v1'.length), req.body, req.query, baseUrl));
    }
    return text(404, `Nothing is served at ${req.method} ${req.path} on ${state.config.hostname}`);
  };

  return {
    hostname: state.config.hostname,
    state,
    distributionLog: distribution.log,
    matches: (host) => host.toLowerCase() === state.config.hostname,
    async handle(req) {
      const segments = req.path.split('/');
      const verifier = proxies.get((segments[1] ?? '').toLowerCase());
      if (verifier) return route(req, `/${segments.slice(2).join('/')}`, await verifier(req), segments[1]);
      return route(req, req.path, authenticateRepositoryClient(state, req));
    },
    addReloadTask({ name, appId }) {
      const app = state.apps.get(appId);
      if (!app) throw new Error(`app ${appId} does not exist on ${state.config.hostname}`);
      const result = repository.handle({
        method: 'POST',
        path: '/reloadtask',
        query: new URLSearchParams(),
        rawBody: Buffer.alloc(0),
        body: {
          name,
          taskType: 0,
          enabled: true,
          taskSessionTimeout: 1440,
          maxRetries: 0,
          app: { id: app.id, name: app.name },
          isManuallyTriggered: false,
        },
      });
      return (result.body as { id: string }).id;
    },
    setNextTaskOutcome(taskId, outcome) {
      state.taskOutcomes.set(taskId, outcome);
    },
    close() {
      lifetime.abort();
    },
  };
}
