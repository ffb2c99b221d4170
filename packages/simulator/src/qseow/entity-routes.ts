// QRS `about`, streams, custom property definitions and system rules.
import { QrsRequestError } from './qrs-entities.js';
import { crudRoutes, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { SERVICE_USER, type SimQrsRecord } from './state.js';

const uniqueName =
  (map: Map<string, SimQrsRecord>, what: string) =>
  (body: Record<string, unknown>): void => {
    const name = body['name'];
    if (typeof name !== 'string' || !name) throw new QrsRequestError(400, `${what}: name is required`);
    for (const other of map.values()) {
      if (String(other['name']).toLowerCase() === name.toLowerCase() && other.id !== body['id'])
        throw new QrsRequestError(409, `${what} "${name}" already exists`);
    }
  };

export function entityRoutes(ctx: RepositoryContext): QrsRoute[] {
  const { state } = ctx;
  return [
    {
      method: 'GET',
      template: '/about',
      handler: () => ({
        status: 200,
        body: {
          schemaPath: 'About',
          buildVersion: '38.22.0.0',
          buildDate: '11/14/2022 12:00:00 AM',
          databaseProvider: 'Devart.Data.PostgreSql',
          nodeType: 1,
          sharedPersistence: true,
          requiresBootstrap: false,
          singleNodeOnly: false,
        },
      }),
    },
    // Stream names are not unique in QRS (only custom property definition names are, per the spec).
    ...crudRoutes(ctx, '/stream', state.streams, 'Stream', (body) => {
      if (typeof body['name'] !== 'string' || !body['name']) throw new QrsRequestError(400, 'stream: name is required');
      if (body['owner'] === undefined) body['owner'] = { ...SERVICE_USER };
    }),
    ...crudRoutes(
      ctx,
      '/custompropertydefinition',
      state.customPropertyDefinitions,
      'CustomPropertyDefinition',
      (body) => {
        uniqueName(state.customPropertyDefinitions, 'custom property')(body);
        if (!/^[A-Za-z0-9_]+$/.test(String(body['name'])))
          throw new QrsRequestError(400, 'custom property names must be alphanumeric');
      },
    ),
    ...crudRoutes(ctx, '/systemrule', state.systemRules, 'SystemRule', (body) => {
      if (
        typeof body['name'] !== 'string' ||
        typeof body['resourceFilter'] !== 'string' ||
        typeof body['actions'] !== 'number'
      ) {
        throw new QrsRequestError(400, 'a system rule needs name, resourceFilter and actions');
      }
    }),
  ];
}
