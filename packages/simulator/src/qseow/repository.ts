// The QRS repository of one site: the route modules assembled, matched case-insensitively, with writes counted.
import type { SimClock } from '../clock.js';
import { appExportRoutes } from './app-export-routes.js';
import { appRoutes } from './app-routes.js';
import { entityRoutes } from './entity-routes.js';
import { inventoryRoutes } from './inventory-routes.js';
import { QrsRequestError } from './qrs-entities.js';
import type { QrsCall, QrsResult, QrsRoute, RepositoryContext, RepositoryHooks } from './qrs-routes.js';
import { matchRoute } from './router.js';
import { scriptLogRoutes } from './script-log-routes.js';
import { securityAuditRoutes } from './security-audit.js';
import type { QseowState } from './state.js';
import { tableRoutes } from './table-routes.js';
import { taskRoutes } from './task-routes.js';

export type { QrsCall, QrsResult, RepositoryHooks } from './qrs-routes.js';
export { downloadExport } from './app-export-routes.js';

/** The QRS endpoints the simulator serves, over the site's state. Paths are matched case-insensitively, as QRS does. */
export function createRepository(
  state: QseowState,
  clock: SimClock,
  hooks: RepositoryHooks,
): {
  handle(call: QrsCall): QrsResult;
  /** The spec path template the call matched (for validation), or undefined. */
  templateOf(method: string, path: string): string | undefined;
  startTask(taskId: string): string;
} {
  const ctx: RepositoryContext = { state, clock, hooks, iso: () => new Date(clock.now()).toISOString() };
  const tasks = taskRoutes(ctx);
  // Literal templates before `{id}` ones that would also match (`/app/table` before `/app/{id}`).
  const routes: QrsRoute[] = [
    ...tableRoutes(ctx),
    ...securityAuditRoutes(ctx),
    ...inventoryRoutes(ctx),
    ...scriptLogRoutes(ctx),
    ...entityRoutes(ctx),
    ...appRoutes(ctx),
    ...appExportRoutes(ctx),
    ...tasks.routes,
  ];

  return {
    startTask: tasks.startTask,
    templateOf: (method, path) => matchRoute(routes, method, path)?.route.template,
    handle(call) {
      const matched = matchRoute(routes, call.method, call.path);
      if (call.method !== 'GET' && !matched?.route.read) state.writes += 1;
      if (!matched)
        return {
          status: 404,
          body: `No QRS endpoint ${call.method} /qrs${call.path} in the simulator`,
          headers: { 'content-type': 'text/plain' },
        };
      try {
        return matched.route.handler(call, matched.params);
      } catch (error) {
        if (error instanceof QrsRequestError)
          return { status: error.status, body: error.message, headers: { 'content-type': 'text/plain' } };
        throw error;
      }
    },
  };
}
