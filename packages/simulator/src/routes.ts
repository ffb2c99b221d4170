import { identityRoutes } from './apis/index.js';
import { contentRoutes } from './content/index.js';
import { createDatabasesPlugin } from './engine/script/plugin.js';
import type { Route } from './http/types.js';
import type { SimPlugin } from './plugins.js';
import { createQixPlugin } from './qix/plugin.js';
import { createQseowPlugin } from './qseow/index.js';

/** Every Qlik Cloud REST route the simulator serves. */
export function builtInRoutes(): Route[] {
  return [...identityRoutes, ...contentRoutes];
}

/**
 * Plugins that hook into the server: the QIX engine (WebSocket upgrades on tenant hosts), QSEoW hosts
 * from the state file, and the databases reloads read (the state file's `databases`; last, so it
 * closes after the engines). Fresh instances per simulator, so closing one never touches another.
 */
export function builtInPlugins(): SimPlugin[] {
  const qseow = createQseowPlugin();
  return [createQixPlugin({ qseowHosts: () => qseow.hosts }), qseow, createDatabasesPlugin()];
}
