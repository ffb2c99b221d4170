import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SimClock } from '../clock.js';
import type { SimState } from '../state/sim-state.js';
import type { TenantState } from '../state/tenant.js';
import type { Principal } from '../state/principal.js';
import type { AuthPrincipal } from '../auth/principal.js';
import type { RouteAccess } from '../auth/route-access.js';

/** A request as route handlers see it. The host is the one the client asked for (never the server's). */
export interface SimRequest {
  method: string;
  path: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body, else undefined. */
  body: unknown;
  rawBody: Buffer;
  host: string;
  /** The underlying Node request (TLS socket, client certificate, ...). */
  raw?: IncomingMessage;
}

export interface SimResponse {
  status: number;
  /** object → JSON; Buffer/string → sent as is. */
  body?: unknown;
  /** Several values of one header (e.g. set-cookie) are separated by "\n". */
  headers?: Record<string, string>;
}

export interface SimContext {
  sim: SimState;
  tenant: TenantState | undefined;
  principal: Principal | undefined;
  clock: SimClock;
  region: string;
  /** The caller as authorization sees it (tenant tokens only); pass it to `authorize`. */
  caller?: AuthPrincipal | undefined;
}

export type RouteHandler = (req: SimRequest, ctx: SimContext) => SimResponse | Promise<SimResponse>;

export interface Route {
  /** Spec file name without .json, e.g. 'spaces'. */
  api: string;
  method: string;
  /** OpenAPI path template exactly as in the spec. */
  path: string;
  /**
   * Default 'tenant': a token of the request's tenant is required. 'registration': a regional token on
   * register.<region>. 'organization': an organization token on console.qlikcloud.com. 'either': tenant or
   * registration, by host. 'none': no token.
   */
  auth?: 'tenant' | 'registration' | 'organization' | 'either' | 'none';
  /** Who may call it (see auth/route-access.ts); built-in routes are listed there instead. */
  access?: RouteAccess;
  /**
   * Anything it answers beyond its spec (an undeclared status, an undescribed body) must be an entry of
   * spec/beyond-spec.ts, or strict mode reports it.
   */
  handler: RouteHandler;
}
