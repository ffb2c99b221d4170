import { getApp, updateWithConflictRetry, dataOrThrow, type QrsApp, type QrsClient } from '@qlik-oem/qrs';

/**
 * Forces QSEoW to re-evaluate distribution of an app: GET it and PUT it back unchanged (what Qlik's multi-cloud
 * example does; the app must be published). On a 409 someone changed it meanwhile: it is read again and re-sent.
 */
export async function forceAppDistribution(qrs: QrsClient, appId: string): Promise<QrsApp> {
  return updateWithConflictRetry({
    entity: `${qrs.baseUrl}/app/${appId}`,
    read: () => getApp(qrs, appId),
    change: (app) => app,
    write: async (app) =>
      dataOrThrow(await qrs.api.PUT('/app/{id}', { params: { path: { id: appId } }, body: app }), 'PUT'),
  });
}
