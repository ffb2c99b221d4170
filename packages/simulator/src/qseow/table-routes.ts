// `POST /<type>/table`: QRS's only paged listing (skip, take, sortcolumn, orderascending), with the columns the
// request's table definition names. Property columns only; list columns (`columnType` 3) answer 400.
import { QrsRequestError, requireObject } from './qrs-entities.js';
import { filtered, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { wireText } from '../http/wire-text.js';

const PROPERTY = 1;

function valueAt(entity: unknown, path: string): unknown {
  let current: unknown = entity;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined ? null : current;
}

function columnsOf(body: unknown): Array<{ name: string; definition: string }> {
  const definition = requireObject(body, 'table definition');
  const columns = definition['columns'];
  if (!Array.isArray(columns) || columns.length === 0)
    throw new QrsRequestError(400, 'the table definition needs at least one column');
  return columns.map((raw, i) => {
    const column = requireObject(raw, `columns[${i}]`);
    const type = column['columnType'];
    if (type !== PROPERTY) throw new QrsRequestError(400, `columns[${i}]: the simulator serves Property columns only`);
    const name = typeof column['name'] === 'string' ? column['name'] : '';
    const path = typeof column['definition'] === 'string' && column['definition'] ? column['definition'] : name;
    if (!path) throw new QrsRequestError(400, `columns[${i}] needs a name or a definition`);
    return { name: name || path, definition: path };
  });
}

function nonNegative(query: URLSearchParams, name: string): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new QrsRequestError(400, `${name} must be a non-negative integer`);
  return n;
}

export function tableRoutes({ state }: RepositoryContext): QrsRoute[] {
  const sources: Record<string, () => unknown[]> = {
    '/app/table': () => [...state.apps.values()],
    '/stream/table': () => [...state.streams.values()],
    '/user/table': () => [...state.users.values()],
    '/dataconnection/table': () => [...state.dataConnections.values()],
    '/reloadtask/table': () => [...state.tasks.values()],
    '/app/object/table': () => [...state.appObjects.values()],
  };
  return Object.entries(sources).map(([template, source]) => ({
    method: 'POST',
    template,
    read: true,
    handler: (call) => {
      const columns = columnsOf(call.body);
      let rows = filtered(source(), call.query);
      const sortColumn = call.query.get('sortcolumn');
      if (sortColumn) {
        const column = columns.find((c) => c.name.toLowerCase() === sortColumn.toLowerCase());
        if (!column) throw new QrsRequestError(400, `sortcolumn "${sortColumn}" is not a column of the table`);
        const ascending = call.query.get('orderascending') !== 'false';
        rows = rows.sort((a, b) => {
          const x = wireText(valueAt(a, column.definition));
          const y = wireText(valueAt(b, column.definition));
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
      }
      const skip = nonNegative(call.query, 'skip');
      const take = nonNegative(call.query, 'take');
      // take=0 (the spec's default) returns every remaining row: unverified against a real QSEoW.
      const page = rows.slice(skip, take > 0 ? skip + take : undefined);
      return {
        status: 201,
        body: {
          schemaPath: 'Table',
          columnNames: columns.map((c) => c.name),
          rows: page.map((entity) => columns.map((c) => valueAt(entity, c.definition))),
        },
      };
    },
  }));
}
