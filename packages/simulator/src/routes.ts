import { identityRoutes } from './apis/index.js';
import { contentRoutes } from './content/index.js';
import type { Route } from './http/types.js';
import type { SimPlugin } from './plugins.js';
import { qseowPlugin } from './qseow/index.js';

/** Every Qlik Cloud REST route the simulator serves. */
export function builtInRoutes(): Route[] {
  return [...identityRoutes, ...contentRoutes];
}

/**
 * Plugins that hook into the server (QSEoW hosts; the QIX engine's upgrade handler).
 * More can be passed with `startSimulator({ plugins })`.
 */
export function builtInPlugins(): SimPlugin[] {
  return [qseowPlugin];
}
