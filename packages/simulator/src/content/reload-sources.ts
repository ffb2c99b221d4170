/**
 * What a reload of one app can read: files in DataFiles storage (`lib://DataFiles/...`, optionally
 * space-qualified) and the data connections visible to the app, opened for real (`LIB CONNECT TO`).
 */
import type { Databases } from '../engine/script/databases.js';
import { StatementError, type DataSources } from '../engine/script/index.js';
import { resolveConnectionForApp } from './connections.js';
import { isBuiltInConnection, splitQualified } from './script.js';
import { findSpaceByName } from './spaces.js';
import type { AppRecord, ContentState } from './state.js';

export function appDataSources(
  state: ContentState,
  app: Pick<AppRecord, 'spaceId' | 'ownerId'>,
  databases: Databases,
): DataSources {
  return {
    async readFile(path) {
      const match = /^lib:\/\/([^/]+)\/(.+)$/i.exec(path);
      if (!match)
        throw new StatementError(
          `Cannot open file: '${path}' (Qlik Cloud reads files through lib://)`,
          'FILE_NOT_FOUND',
        );
      const ref = splitQualified(match[1]!);
      const name = match[2]!;
      if (!isBuiltInConnection(ref.name)) {
        const { connection, spaceLabel } = resolveConnectionForApp(state, app, ref);
        if (!connection)
          throw new StatementError(
            `Connection '${match[1]}' not found in space '${spaceLabel}'`,
            'CONNECTION_NOT_FOUND',
          );
        throw new StatementError(
          `Cannot open file: '${path}' (the simulator reads files from DataFiles only)`,
          'FILE_NOT_FOUND',
        );
      }
      const space = ref.spaceName === undefined ? undefined : findSpaceByName(state, ref.spaceName);
      if (ref.spaceName !== undefined && !space)
        throw new StatementError(`Space '${ref.spaceName}' not found`, 'FILE_NOT_FOUND');
      const spaceId = space ? space.id : app.spaceId;
      const file = [...state.dataFiles.values()].find(
        (f) => f.name === name && f.spaceId === spaceId && (spaceId !== undefined || f.ownerId === app.ownerId),
      );
      if (!file) throw new StatementError(`Cannot open file: '${path}'`, 'FILE_NOT_FOUND');
      return file.file.bytes;
    },
    async connect(target) {
      const ref = splitQualified(target);
      if (ref.name === '') {
        throw new StatementError('LIB CONNECT TO names no connection; is a variable unset?', 'CONNECTION_NOT_FOUND');
      }
      const { connection, spaceLabel } = resolveConnectionForApp(state, app, ref);
      if (!connection)
        throw new StatementError(`Connection '${target}' not found in space '${spaceLabel}'`, 'CONNECTION_NOT_FOUND');
      const credential = connection.credentialsId ? state.credentials.get(connection.credentialsId) : undefined;
      return databases.connect({
        type: connection.type,
        connectStatement: connection.connectStatement,
        user: connection.username ?? credential?.username,
        password: connection.password?.reveal() ?? credential?.password?.reveal(),
        description: `'${connection.name}' in space '${spaceLabel}' (${connection.type})`,
      });
    },
  };
}
