import type { SimPlugin } from '../plugins.js';
import { ContentQixBackend } from './backend.js';
import { createQixEngine, type QixEngine, type QixEngineOptions } from './engine.js';

/** Simulated duration of an engine reload (DoReload/DoReloadEx), in simulated ms. */
export const ENGINE_RELOAD_SIM_MS = 300;

/**
 * A plugin that serves the QIX engine on every Qlik Cloud tenant host:
 * `wss://<tenant>/app/<appId|engineData>` (with `/identity/<id>`), authenticated like the REST API,
 * over the tenant's content. Create one per simulator: `close()` ends the sessions of its engines.
 */
export function createQixPlugin(options: Pick<QixEngineOptions, 'maxParallelSessionsPerUser' | 'reloadDurationMs'> = {}): SimPlugin {
  const engines: QixEngine[] = [];
  return {
    name: 'qix',
    setup(host) {
      const backend = new ContentQixBackend(host.sim, host.clock);
      const engine = createQixEngine({
        backend,
        reloadDurationMs: options.reloadDurationMs ?? ENGINE_RELOAD_SIM_MS,
        sleep: (ms, signal) => host.clock.sleep(ms, signal),
        ...(options.maxParallelSessionsPerUser !== undefined ? { maxParallelSessionsPerUser: options.maxParallelSessionsPerUser } : {}),
      });
      engines.push(engine);
      host.registerUpgradeHandler((request, socket, head, context) => {
        if (!backend.servesHost(context.host)) return false;
        return engine.handleUpgrade(request, socket, head);
      });
    },
    close() {
      for (const engine of engines.splice(0)) engine.close();
    },
  };
}
