// Read-only QRS listings an assessment reads: data connections, extensions (and their .qext schemas), app objects,
// users, reload schedules (schema events) and license allocations with their last use.
import { readRoutes, type QrsRoute, type RepositoryContext } from './qrs-routes.js';

export function inventoryRoutes({ state }: RepositoryContext): QrsRoute[] {
  return [
    ...readRoutes('/dataconnection', state.dataConnections, 'data connection'),
    // The .qext content of every installed extension, by name (how clients learn an extension's type).
    {
      method: 'GET',
      template: '/extension/schema',
      handler: () => ({ status: 200, body: Object.fromEntries(structuredClone([...state.extensionSchemas])) }),
    },
    ...readRoutes('/extension', state.extensions, 'extension'),
    ...readRoutes('/app/object', state.appObjects, 'app object'),
    ...readRoutes('/user', state.users, 'user'),
    ...readRoutes('/schemaevent', state.schemaEvents, 'schema event'),
    ...readRoutes('/license/professionalaccesstype', state.professionalAccess, 'professional access'),
    ...readRoutes('/license/analyzeraccesstype', state.analyzerAccess, 'analyzer access'),
  ];
}
