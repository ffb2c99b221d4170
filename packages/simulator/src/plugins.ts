import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SimClock } from './clock.js';
import type { Route, SimContext, SimRequest, SimResponse } from './http/types.js';
import type { SimState } from './state/sim-state.js';
import type { StateFile } from './state/state-file.js';

export interface UpgradeContext {
  sim: SimState;
  clock: SimClock;
  /** The host the client asked for (from the Host header, without port). */
  host: string;
  url: URL;
}

/** Returns true when it took over the socket; the server answers 404 when no handler does. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, ctx: UpgradeContext) => boolean;

/** Serves whole hosts outside the Qlik Cloud route table (e.g. a QSEoW server). */
export interface HostHandler {
  matches(host: string): boolean;
  handle(req: SimRequest, ctx: SimContext): SimResponse | Promise<SimResponse>;
}

/** What a plugin can hook into when the simulator starts. */
export interface SimPluginHost {
  sim: SimState;
  clock: SimClock;
  strict: boolean;
  /** The validated state file (plugins read their own sections, e.g. `qseow`). */
  stateFile: StateFile;
  addRoutes(routes: Route[]): void;
  registerUpgradeHandler(handler: UpgradeHandler): void;
  registerHostHandler(handler: HostHandler): void;
}

export interface SimPlugin {
  name: string;
  setup(host: SimPluginHost): void | Promise<void>;
  close?(): void | Promise<void>;
}
