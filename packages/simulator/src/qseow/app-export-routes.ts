// The two-step app export (`POST /app/{id}/export/{token}`, then one download of `/tempcontent/...`).
import { QrsRequestError } from './qrs-entities.js';
import { recordOf, type QrsResult, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { SERVICE_USER, type QseowState } from './state.js';

export function appExportRoutes({ state }: RepositoryContext): QrsRoute[] {
  return [
    {
      method: 'POST',
      template: '/app/{id}/export/{token}',
      handler: (_c, p) => {
        const source = recordOf(state.apps, p['id']!, 'app');
        const token = p['token']!;
        if (!/^[0-9a-f-]{36}$/i.test(token)) throw new QrsRequestError(400, 'the export token must be a GUID');
        if (state.exports.has(token)) throw new QrsRequestError(409, `export ${token} already exists`);
        const fileName = `${source.name.replace(/[^\w. -]/g, '_')}.qvf`;
        const bytes = Buffer.from(state.appContent.get(source.id)?.bytes ?? Buffer.alloc(0));
        state.exports.set(token, { appId: source.id, fileName, bytes, downloaded: false });
        return {
          status: 201,
          body: {
            schemaPath: 'AppExportResponse',
            exportToken: token,
            appId: source.id,
            downloadPath: `/tempcontent/${token}/${encodeURIComponent(fileName)}?serverNodeId=${SERVICE_USER.id}`,
            cancelled: false,
          },
        };
      },
    },
    {
      method: 'DELETE',
      template: '/app/{id}/export/{token}',
      handler: (_c, p) => {
        if (!state.exports.delete(p['token']!)) throw new QrsRequestError(404, `export ${p['token']} not found`);
        return { status: 204 };
      },
    },
  ];
}

/** Downloads of exported apps (`GET <downloadPath>`); each export can be downloaded once, as in QSEoW. */
export function downloadExport(state: QseowState, token: string): QrsResult {
  const entry = state.exports.get(token);
  if (!entry || entry.downloaded)
    return { status: 404, body: 'export not found or already downloaded', headers: { 'content-type': 'text/plain' } };
  entry.downloaded = true;
  return {
    status: 200,
    body: entry.bytes,
    headers: {
      'content-type': 'application/vnd.qlik.sense.app',
      'content-disposition': `attachment; filename="${entry.fileName}"`,
    },
  };
}
