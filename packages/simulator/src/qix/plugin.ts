import { databasesOf } from '../engine/script/plugin.js';
import type { SimPlugin } from '../plugins.js';
import type { QseowHost } from '../qseow/host.js';
import { ContentQixBackend } from './backend.js';
import { createQixEngine, type QixEngine, type QixEngineOptions } from './engine.js';
import { QseowQixBackend } from './qseow-backend.js';

/** Simulated duration of an engine reload (DoReload/DoReloadEx), in simulated ms. */
export const ENGINE_RELOAD_SIM_MS = 300;

export interface QixPluginOptions extends Pick<QixEngineOptions, 'maxParallelSessionsPerUser' | 'reloadDurationMs'> {
  /** The simulated QSEoW sites (e.g. `() => qseow.hosts` of a `createQseowPlugin()`); their hosts get an engine too. */
  qseowHosts?: () => readonly QseowHost[];
}

/**
 * A plugin that serves the QIX engine: on every Qlik Cloud tenant host
 * (`wss://<tenant>/app/<appId|engineData>`, authenticated like the REST API, over the tenant's content),
 * and on the QSEoW sites given by `qseowHosts`. Create one per simulator: `close()` ends its sessions.
 */
export function createQixPlugin(options: QixPluginOptions = {}): SimPlugin {
  const engines: QixEngine[] = [];
  return {
    name: 'qix',
    setup(host) {
      const engineOptions = {
        reloadDurationMs: options.reloadDurationMs ?? ENGINE_RELOAD_SIM_MS,
        sleep: (ms: number, signal: AbortSignal) => host.clock.sleep(ms, signal),
        ...(options.maxParallelSessionsPerUser !== undefined
          ? { maxParallelSessionsPerUser: options.maxParallelSessionsPerUser }
          : {}),
      };
      const cloudBackend = new ContentQixBackend(host.sim, host.clock);
      const cloud = createQixEngine({ backend: cloudBackend, ...engineOptions });
      engines.push(cloud);
      const sites = new Map<QseowHost, QixEngine>();
      const siteEngine = (hostname: string): QixEngine | undefined => {
        const site = options.qseowHosts?.().find((candidate) => candidate.hostname.toLowerCase() === hostname);
        if (!site) return undefined;
        let engine = sites.get(site);
        if (!engine) {
          engine = createQixEngine({
            backend: new QseowQixBackend(site, host.clock, databasesOf(host.sim)),
            ...engineOptions,
          });
          sites.set(site, engine);
          engines.push(engine);
        }
        return engine;
      };
      host.registerUpgradeHandler((request, socket, head, context) => {
        if (cloudBackend.servesHost(context.host)) return cloud.handleUpgrade(request, socket, head);
        return siteEngine(context.host)?.handleUpgrade(request, socket, head) ?? false;
      });
    },
    close() {
      for (const engine of engines.splice(0)) engine.close();
    },
  };
}
