import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SimClock } from '../clock.js';
import type { FaultInjector } from '../limits/faults.js';
import type { LatencyModel } from '../limits/latency.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { HostHandler, UpgradeHandler } from '../plugins.js';
import type { SpecCatalog, SpecOperation } from '../spec/catalog.js';
import { BeyondSpecChecker } from '../spec/beyond-spec-check.js';
import { isUndeclaredBody, type SpecValidator, type SpecViolation } from '../spec/validator.js';
import type { TokenRequestBucket } from '../state/behaviour.js';
import type { SimState } from '../state/sim-state.js';
import { AccessDenied, authorize } from '../auth/authorize.js';
import { authPrincipal } from '../auth/principal.js';
import { routeAccess } from '../auth/route-access.js';
import { requestAuthorization, resolveRequestAuth } from './auth.js';
import { parseBody, readBody } from './body.js';
import { errorVariants, isQlikErrorBody } from './error-dialects.js';
import { qlikError, SimHttpError } from './errors.js';
import { Router } from './router.js';
import type { Route, SimContext, SimRequest, SimResponse } from './types.js';

export interface DispatcherDeps {
  sim: SimState;
  clock: SimClock;
  catalog: SpecCatalog;
  /** Always present: it also picks each API's error-body dialect. */
  validator: SpecValidator;
  strict: boolean;
  limiter: RateLimiter | undefined;
  latency: LatencyModel;
  faults: FaultInjector | undefined;
  violations: SpecViolation[];
  /** How often each registry entry (beyond-spec.ts) let an answer or request through, by entry id. */
  beyondSpecHits: Map<string, number>;
}

const OAUTH_TOKEN_PATH = '/oauth/token';

/** Host without port, lowercase. */
export function hostOf(req: IncomingMessage): string {
  const raw = req.headers.host ?? '';
  return raw
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
}

/**
 * The request's URL. The request target is a path (origin form), so `//api/v1/users` is the path
 * `//api/v1/users` on `host`, not the host `api` (WHATWG URL parsing would read it as a scheme-relative
 * URL); an absolute target (a proxy's absolute form) is taken as it is. Registry: http-double-slash-path.
 */
export function requestUrl(target: string | undefined, host: string, scheme: 'http' | 'https'): URL {
  const raw = target ?? '/';
  return raw.startsWith('/') ? new URL(`${scheme}://${host || 'localhost'}${raw}`) : new URL(raw);
}

/**
 * Turns Node requests into route calls: faults, auth, rate limits, strict validation, latency, handler,
 * response validation; and WebSocket upgrades into plugin calls.
 */
export class Dispatcher {
  private readonly router = new Router();
  private readonly operations = new Map<Route, SpecOperation>();
  /** Routes whose operation takes bytes only (an app import): their body is never parsed, whatever its label. */
  private readonly takesBytes = new Set<Route>();
  private readonly upgradeHandlers: UpgradeHandler[] = [];
  private readonly hostHandlers: HostHandler[] = [];
  private readonly beyondSpec = new BeyondSpecChecker();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Adds routes; each must be an operation of its API's spec (checked now, so mistakes fail at start). */
  addRoutes(routes: Route[]): void {
    for (const route of routes) {
      const op = this.deps.catalog.operation(route.api, route.method, route.path);
      if (!op)
        throw new Error(
          `Route ${route.method} ${route.path} is not an operation of specs/qlik-cloud/${route.api}.json`,
        );
      routeAccess(route);
      this.router.add(route);
      this.operations.set(route, op);
      if (this.declaresBytesOnly(op)) this.takesBytes.add(route);
    }
  }

  routes(): Route[] {
    return this.router.all();
  }

  private declaresBytesOnly(op: SpecOperation): boolean {
    const { catalog } = this.deps;
    const doc = catalog.doc(op.api);
    const body = op.operation.requestBody;
    if (typeof body !== 'object' || body === null) return false;
    const content = catalog.resolve(doc, body as Record<string, unknown>).content;
    if (typeof content !== 'object' || content === null) return false;
    const media = Object.entries(content as Record<string, { schema?: Record<string, unknown> }>);
    return (
      media.length > 0 &&
      media.every(([type, m]) => {
        const schema = m.schema ? catalog.resolve(doc, m.schema) : undefined;
        return type === 'application/octet-stream' || (schema?.type === 'string' && schema.format === 'binary');
      })
    );
  }

  registerUpgradeHandler(handler: UpgradeHandler): void {
    this.upgradeHandlers.push(handler);
  }

  registerHostHandler(handler: HostHandler): void {
    this.hostHandlers.push(handler);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const host = hostOf(req);
    const url = requestUrl(req.url, host, 'http');
    for (const handler of this.upgradeHandlers) {
      if (handler(req, socket, head, { sim: this.deps.sim, clock: this.deps.clock, host, url })) return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const result = await this.process(req, res);
      if (result) send(res, result);
    } catch (err) {
      if (!res.headersSent)
        send(
          res,
          err instanceof SimHttpError
            ? err.response
            : qlikError(500, 'HTTP-500', 'Internal simulator error', (err as Error).message),
        );
    }
  }

  /** Returns the response to send, or undefined when the connection was deliberately dropped. */
  private async process(req: IncomingMessage, res: ServerResponse): Promise<SimResponse | undefined> {
    const { sim, clock } = this.deps;
    const host = hostOf(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = requestUrl(req.url, host, 'https');
    const rawBody = await readBody(req);
    const simReq: SimRequest = {
      method,
      path: url.pathname,
      url,
      params: {},
      query: url.searchParams,
      headers: req.headers,
      body: undefined,
      rawBody,
      host,
      raw: req,
    };

    const hostHandler = this.hostHandlers.find((h) => h.matches(host));
    if (hostHandler) {
      simReq.body = parseBody(rawBody, req.headers['content-type']);
      return hostHandler.handle(simReq, { sim, tenant: undefined, principal: undefined, clock, region: '' });
    }
    if (!sim.servesHost(host))
      return qlikError(404, 'HTTP-404', 'Not found', `The simulator does not serve the host "${host}".`);

    const match = this.router.match(method, url.pathname);
    if (match.kind === 'not-found')
      return qlikError(404, 'HTTP-404', 'Not found', `No route for ${method} ${url.pathname}.`);
    if (match.kind === 'method-not-allowed') {
      const r = qlikError(405, 'HTTP-405', 'Method not allowed', `${method} is not allowed on ${url.pathname}.`);
      return { ...r, headers: { allow: match.allowed.join(', ') } };
    }
    const route = match.route;
    const op = this.operations.get(route) as SpecOperation;
    simReq.params = match.params;

    const isOAuth = route.path === OAUTH_TOKEN_PATH;
    const fault = this.deps.faults?.next(`${method} ${host}${url.pathname}`, isOAuth);
    if (fault === 'reset') {
      req.socket.destroy();
      res.destroy();
      return undefined;
    }
    // Faults are answers like any other: strict mode checks them against the spec and the registry.
    if (fault === '429') return this.checked(op, simReq, rateLimited(Math.ceil(clock.toRealMs(30_000) / 1000)));
    if (fault === '500') return this.checked(op, simReq, injected500());
    if (fault === '503')
      return this.checked(op, simReq, {
        ...qlikError(503, 'HTTP-503', 'Service unavailable', 'Injected fault.'),
        headers: { 'retry-after': '1' },
      });

    if (!this.takesBytes.has(route)) simReq.body = parseBody(rawBody, req.headers['content-type']);
    const auth = resolveRequestAuth(sim, host, requestAuthorization(sim, req.headers, method), route.auth ?? 'tenant');
    // Auth answers come from the platform, not the service: any operation may give them.
    if (!auth.ok) return this.checked(op, simReq, auth.response);
    const caller =
      auth.tenant && auth.principal?.kind === 'user'
        ? authPrincipal(auth.tenant, auth.principal, sim.authorization)
        : undefined;
    const access = routeAccess(route);
    if (caller && (access === 'admin' || access === 'user')) {
      try {
        authorize(caller, access === 'admin' ? 'tenant.admin' : 'tenant.use');
      } catch (err) {
        if (err instanceof AccessDenied) return this.checked(op, simReq, err.response);
        throw err;
      }
    }
    const ctx: SimContext = { sim, tenant: auth.tenant, principal: auth.principal, clock, region: auth.region, caller };

    if (this.deps.limiter) {
      // Which bucket a token request counts in is unknown, so it is an option (registry:
      // http-rate-limit-token-request-bucket); `undefined`: in none.
      const user =
        auth.principal?.userId ??
        (isOAuth ? tokenRequestUser(sim.behaviour.tokenRequestBucket, simReq.body) : 'anonymous');
      const taken = user === undefined ? { ok: true as const } : this.deps.limiter.take(host, op.tier, user);
      if (!taken.ok)
        return this.checked(
          op,
          simReq,
          rateLimited(Math.max(1, Math.ceil(clock.toRealMs(taken.retryAfterSimMs) / 1000))),
        );
    }

    if (this.deps.strict) {
      const violations = this.requestViolations(op, simReq);
      if (violations.length > 0) return this.violation(violations);
    }

    const slowMs = this.deps.faults?.options.slowMs ?? 5000;
    const latency = this.deps.latency.latencyMs(method, route.path) + (fault === 'slow' ? slowMs : 0);
    if (latency > 0) await clock.sleep(latency);

    let response: SimResponse;
    try {
      response = await route.handler(simReq, ctx);
    } catch (err) {
      if (!(err instanceof SimHttpError)) throw err;
      response = err.response;
    }
    // Processed, then the answer was lost: the work above is done and stays done.
    if (fault === 'lost-reset') {
      req.socket.destroy();
      res.destroy();
      return undefined;
    }
    if (fault === 'lost-500') return this.checked(op, simReq, injected500());
    if (fault === 'lost-slow') await clock.sleep(slowMs);
    return this.checked(op, simReq, response);
  }

  /** The request's violations of its spec, less a body the registry of behaviour beyond the specs accepts. */
  private requestViolations(op: SpecOperation, req: SimRequest): SpecViolation[] {
    const violations = this.deps.validator.validateRequest(op, req);
    const aboutBody = (v: SpecViolation): boolean =>
      v.pointer.startsWith('/body') || v.pointer === '/headers/content-type';
    if (!violations.some(aboutBody)) return violations;
    const accepted = this.beyondSpec.acceptedRequest('qlik-cloud', op.method, op.path, {
      contentType: req.headers['content-type'],
      body: req.body ?? req.rawBody,
    });
    if (!accepted) return violations;
    this.hit(accepted.id);
    return violations.filter((v) => !aboutBody(v));
  }

  /**
   * Error bodies are rendered in the API's dialect; in strict mode, a response that breaks the spec is
   * replaced by a 500 naming the violation. A status the spec does not declare must be an entry of the
   * registry of behaviour beyond the specs, with that entry's body and headers.
   */
  private checked(op: SpecOperation, req: SimRequest, response: SimResponse): SimResponse {
    const contentType = contentTypeOf(response);
    const validate = (body: unknown): SpecViolation[] =>
      this.deps.validator.validateResponse(op, {
        status: response.status,
        contentType,
        body,
        headers: response.headers,
      });
    const violations = validate(response.body);
    if (violations.length > 0 && response.status >= 400 && isQlikErrorBody(response.body)) {
      // Items without a status (Qlik's documented 429) get one where the API's schema requires it.
      const withStatus = {
        ...response.body,
        errors: response.body.errors.map((e) =>
          e.status === undefined ? { ...e, status: String(response.status) } : e,
        ),
      };
      for (const variant of [...errorVariants(response.body), withStatus, ...errorVariants(withStatus)]) {
        if (validate(variant).length === 0) return { ...response, body: variant };
      }
    }
    if (!this.deps.strict || violations.length === 0) return response;
    // The registry answers for a status the spec leaves out, or for a body where it declares none.
    const undeclaredStatus = violations.some((v) => v.pointer === '/status');
    if (!undeclaredStatus && !violations.every(isUndeclaredBody)) return this.violation(violations);
    const beyond = this.beyondSpec.checkResponse('qlik-cloud', op.method, op.path, response.status, {
      contentType,
      body: response.body,
      headers: response.headers,
      hostWithoutTenant: !this.deps.sim.tenantByHost(req.host),
      declaredWithoutBody: !undeclaredStatus,
    });
    if (!beyond) return this.violation(violations);
    if (beyond.entry) {
      this.hit(beyond.entry.id);
      return response;
    }
    return this.violation(
      beyond.problems.map((message) => ({
        operation: op.label,
        direction: 'response',
        pointer: '/beyond-spec',
        message,
      })),
    );
  }

  private hit(id: string): void {
    this.deps.beyondSpecHits.set(id, (this.deps.beyondSpecHits.get(id) ?? 0) + 1);
  }

  private violation(violations: SpecViolation[]): SimResponse {
    this.deps.violations.push(...violations);
    const detail = violations.map((v) => `${v.operation} ${v.direction} ${v.pointer}: ${v.message}`).join('; ');
    const r = qlikError(
      500,
      'SIM-SPEC-VIOLATION',
      'Simulator strict mode: the traffic breaks the official spec',
      detail,
    );
    return { ...r, body: { ...(r.body as object), violations } };
  }
}

const injected500 = (): SimResponse => qlikError(500, 'HTTP-500', 'Internal server error', 'Injected fault.');

function oauthClientId(body: unknown): string | undefined {
  const id = (body as { client_id?: unknown } | undefined)?.client_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Where a token request counts: under the client's id, with what its token then sends (`client`); in the
 * host's one bucket of unauthenticated requests (`anonymous`); or in no bucket (`none`, `undefined`).
 */
function tokenRequestUser(bucket: TokenRequestBucket, body: unknown): string | undefined {
  if (bucket === 'none') return undefined;
  if (bucket === 'anonymous') return 'anonymous';
  return oauthClientId(body) ?? 'anonymous';
}

/** Qlik's 429: `retry-after` in (real) seconds and the documented body. */
export function rateLimited(retryAfterSeconds: number): SimResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      errors: [
        {
          code: 'HTTP-429',
          title: 'API rate limit reached.',
          detail: `You need to wait ${retryAfterSeconds} seconds until limit is lifted.`,
        },
      ],
    },
  };
}

/** The content type the response goes out with (see `send`). */
function contentTypeOf(response: SimResponse): string | undefined {
  const declared = headerValue(response.headers, 'content-type');
  if (declared || response.body === undefined) return declared;
  if (Buffer.isBuffer(response.body)) return 'application/octet-stream';
  return typeof response.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: Buffer | undefined;
  if (response.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (typeof response.body === 'string') payload = Buffer.from(response.body, 'utf8');
  else payload = Buffer.from(JSON.stringify(response.body), 'utf8');
  const contentType = contentTypeOf(response);
  if (contentType && !headerValue(headers, 'content-type')) headers['content-type'] = contentType;
  headers['content-length'] = String(payload?.length ?? 0);
  // Node writes the names as given here; the routes give them in lower case.
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) out[canonicalHeaderName(k)] = v.includes('\n') ? v.split('\n') : v;
  res.writeHead(response.status, out);
  res.end(payload);
}

/**
 * A header name as Qlik Cloud's services write it over HTTP/1.1: Go's canonical MIME form (each word
 * capitalised: `Location`, `Retry-After`, `Content-Type`). HTTP/2 lowers every name anyway. Registry:
 * http-header-name-case.
 */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}
