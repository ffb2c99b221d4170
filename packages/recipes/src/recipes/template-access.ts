import { isQlikConflictError } from '@qlik-oem/core';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';

/**
 * Space roles that may export an app from a shared space: Owner, Can manage (facilitator), Can edit data
 * in apps (codeveloper) and Can edit (producer) (help.qlik.com "Shared space permissions"). A tenant
 * admin without one of them sees the app but cannot export it.
 */
const EXPORT_ROLES = new Set(['facilitator', 'codeveloper', 'producer']);

/**
 * Gives the caller (the source tenant's bot) Can edit in the shared space of the template app, unless it
 * owns the space or already holds a role that may export, as Qlik's platform-operations deploy example
 * does before its export. An app in a personal space or in a managed space is left alone: the export
 * then succeeds or fails with Qlik's own 403. Idempotent: a second call writes nothing.
 */
export async function grantTemplateExport(source: QlikCloud, appId: string, signal?: AbortSignal): Promise<void> {
  const init = signal ? { signal } : {};
  const app = unwrap(await source.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } }, ...init }));
  // Qlik sends the space id in the attributes, though NxAttributes does not declare it (the deploy
  // example reads `.attributes.spaceId`).
  const spaceId = (app.attributes as { spaceId?: string } | undefined)?.spaceId;
  if (!spaceId) return;
  const space = unwrap(await source.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId } }, ...init }));
  if (space.type !== 'shared') return;
  const me = unwrap(await source.users.GET('/api/v1/users/me', init));
  if (space.ownerId === me.id) return;
  const assigned = unwrap(
    await source.spaces.GET('/api/v1/spaces/{spaceId}/assignments', {
      params: { path: { spaceId }, query: { assigneeId: me.id, limit: 100 } },
      ...init,
    }),
  ).data?.find((assignment) => assignment.assigneeId === me.id);
  if (assigned?.roles?.some((role) => EXPORT_ROLES.has(role))) return;
  type Role = 'producer';
  if (assigned) {
    const roles = [...new Set([...(assigned.roles ?? []), 'producer'])] as Role[];
    unwrap(
      await source.spaces.PUT('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
        params: { path: { spaceId, assignmentId: assigned.id } },
        body: { roles },
        ...init,
      }),
    );
    return;
  }
  const created = await source.spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
    params: { path: { spaceId } },
    body: { type: 'user', assigneeId: me.id, roles: ['producer'] },
    ...init,
  });
  try {
    unwrap(created);
  } catch (error) {
    // Another process granted it meanwhile (AssignmentConflict): the role is there.
    if (!isQlikConflictError(error)) throw error;
  }
}
