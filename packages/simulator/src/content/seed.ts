/**
 * Fills a tenant's content from the state file's tenant description (`spaces`, `apps`,
 * `connections`), so a simulator can start with a template app in place:
 *
 *   spaces:      [{ name, type?: 'shared'|'managed'|'data', description? }]
 *   apps:        [{ name, space?, script?, id?, description?, sheets?: [{ id, title }] }]
 *   connections: [{ name, space?, type?, connectStatement? }]
 *
 * Seeding never throws: entries it cannot use are skipped (the state file is validated by sim-core).
 */
import { guid, objectId } from './ids.js';
import { newAppRecord } from './apps.js';
import type { ConnectionRecord, ContentState, SpaceRecord, SpaceType } from './state.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

export function seedContent(state: ContentState, seed: Record<string, unknown>, ownerId: string, now: number): void {
  const spaceIdByName = new Map<string, string>();
  for (const s of list(seed.spaces)) {
    const name = str(s.name);
    if (!name || spaceIdByName.has(name.toLowerCase())) continue;
    const type: SpaceType = s.type === 'managed' || s.type === 'data' ? s.type : 'shared';
    const space: SpaceRecord = {
      id: objectId(),
      name,
      type,
      description: str(s.description) ?? '',
      ownerId,
      createdBy: ownerId,
      createdAt: now,
      updatedAt: now,
    };
    state.spaces.set(space.id, space);
    spaceIdByName.set(name.toLowerCase(), space.id);
  }
  const spaceOf = (entry: Record<string, unknown>): string | undefined => {
    const name = str(entry.space);
    return name ? spaceIdByName.get(name.toLowerCase()) : undefined;
  };
  for (const a of list(seed.apps)) {
    const name = str(a.name);
    if (!name) continue;
    const app = newAppRecord(
      {
        id: str(a.id) ?? guid(),
        name,
        description: str(a.description) ?? '',
        spaceId: spaceOf(a),
        ownerId,
        script: typeof a.script === 'string' ? a.script : '',
        // A seeded sheet is an empty sheet object with that title, as the hub would create it.
        objects: list(a.sheets).flatMap((s) => {
          const id = str(s.id);
          const title = str(s.title);
          if (!id || !title) return [];
          const properties = { qInfo: { qId: id, qType: 'sheet' }, qMetaDef: { title, description: '' }, cells: [] };
          return [{ id, type: 'sheet', properties, kind: 'base' as const }];
        }),
      },
      now,
    );
    if (!state.apps.has(app.id)) state.apps.set(app.id, app);
  }
  for (const c of list(seed.connections)) {
    const name = str(c.name);
    if (!name) continue;
    const type = str(c.type) ?? 'folder';
    const connection: ConnectionRecord = {
      id: guid(),
      name,
      type,
      connectStatement: str(c.connectStatement) ?? '',
      datasourceID: type,
      spaceId: spaceOf(c),
      ownerId,
      logOn: 0,
      architecture: 0,
      engineObjectID: guid(),
      separateCredentials: false,
      credentialsId: undefined,
      username: undefined,
      password: undefined,
      connectionSecret: undefined,
      connectionProperties: undefined,
      tags: [],
      created: now,
      updated: now,
    };
    state.connections.set(connection.id, connection);
  }
}
