// The group and space steps of onboardTenant: groups by name, the shared and managed spaces, their role assignments.
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import type { ProvisioningEnvironment } from '../context.js';
import { spaceNameFor, type OnboardInput } from '../customer.js';
import { findGroupByName, findSpaceByExactName } from '../finders.js';
import type { OnboardStepContext } from './context.js';

export type GroupIds = Record<string, string>;
interface AssignmentChange {
  spaceId: string;
  groupId: string;
  roles: string[];
  /** Set when an assignment exists (update or delete it); absent for a create. */
  assignmentId?: string;
}

// 8. The partner's groups, found by exact name.
export function groupsStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'groups',
    async inspect(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const found: GroupIds = {};
      const missing: string[] = [];
      for (const name of groupNamesOf(ctx.input)) {
        const group = await findGroupByName(qc, name, ctx.signal);
        if (group) found[name] = group.id;
        else missing.push(name);
      }
      if (missing.length === 0) return { action: 'none', reason: 'all groups exist', outputs: { groupIds: found } };
      return {
        action: 'create',
        reason: `missing ${missing.length} group(s)`,
        marker: missing.join('\n'),
        current: { found, missing },
      };
    },
    async apply(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>, inspection) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const { found, missing } = inspection.current!;
      const groupIds: GroupIds = { ...found };
      for (const name of missing) {
        const created = unwrap(
          await qc.groups.POST('/api/v1/groups', { body: { name, providerType: 'idp' }, signal: ctx.signal }),
        );
        groupIds[name] = created.id;
      }
      return { groupIds };
    },
  });
}

// 9. A shared (development) and a managed (production) space, found by exact name.
export function spacesStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'spaces',
    async inspect(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const names = spaceNamesOf(ctx.input);
      const shared = await findSpaceByExactName(qc, names.shared, ctx.signal);
      const managed = await findSpaceByExactName(qc, names.managed, ctx.signal);
      if (shared && managed)
        return {
          action: 'none',
          reason: 'both spaces exist',
          outputs: { sharedSpaceId: shared.id, managedSpaceId: managed.id },
        };
      const missing = [shared ? undefined : names.shared, managed ? undefined : names.managed].filter(
        (name) => name !== undefined,
      );
      return {
        action: 'create',
        reason: `missing space(s) ${missing.map((name) => JSON.stringify(name)).join(', ')}`,
        marker: missing.join('\n'),
        current: { sharedSpaceId: shared?.id, managedSpaceId: managed?.id },
      };
    },
    async apply(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>, inspection) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const names = spaceNamesOf(ctx.input);
      const create = async (name: string, type: 'shared' | 'managed') =>
        unwrap(await qc.spaces.POST('/api/v1/spaces', { body: { name, type }, signal: ctx.signal })).id;
      const sharedSpaceId = inspection.current?.sharedSpaceId ?? (await create(names.shared, 'shared'));
      const managedSpaceId = inspection.current?.managedSpaceId ?? (await create(names.managed, 'managed'));
      return { sharedSpaceId, managedSpaceId };
    },
  });
}

// 10. Group role assignments in the spaces: one per group and space, roles updated when they differ.
export function spaceRolesStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'spaceRoles',
    async inspect(
      ctx: OnboardStepContext<{
        tenantName: { tenantHost: string };
        groups: { groupIds: GroupIds };
        spaces: { managedSpaceId: string };
      }>,
    ) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const { groupIds } = ctx.outputs.groups;
      const { managedSpaceId } = ctx.outputs.spaces;
      const changes = await assignmentChanges(qc, managedSpaceId, wantedManagedRoles(ctx.input, groupIds), ctx.signal);
      if (changes.length === 0) return { action: 'none', reason: 'space roles match', outputs: {} };
      const creates = changes.filter((change) => change.assignmentId === undefined);
      const reason = `${creates.length} assignment(s) to create, ${changes.length - creates.length} to change`;
      return creates.length === changes.length
        ? {
            action: 'create',
            reason,
            marker: creates.map((change) => `${change.spaceId}/${change.groupId}`).join('\n'),
            current: changes,
          }
        : { action: 'update', reason, current: changes };
    },
    async apply(
      ctx: OnboardStepContext<{
        tenantName: { tenantHost: string };
        groups: { groupIds: GroupIds };
        spaces: { managedSpaceId: string };
      }>,
      inspection,
    ) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      for (const change of inspection.current ?? []) await applyAssignmentChange(qc, change, ctx.signal);
      return {};
    },
  });
}

function groupNamesOf(input: OnboardInput): string[] {
  const { consumers, contributors, additional } = input.partner.groups;
  return [...new Set([consumers, contributors, ...additional])];
}

function spaceNamesOf(input: OnboardInput): { shared: string; managed: string } {
  return {
    shared: spaceNameFor(input.partner.spaces.shared, input.customer),
    managed: spaceNameFor(input.partner.spaces.managed, input.customer),
  };
}

/** Group id → roles wanted in the managed space; `[]` means "no assignment". */
function wantedManagedRoles(input: OnboardInput, groupIds: GroupIds): Map<string, string[]> {
  const { consumers, contributors } = input.partner.groups;
  const wanted = new Map<string, string[]>();
  const consumersId = groupIds[consumers];
  const contributorsId = groupIds[contributors];
  if (consumersId) wanted.set(consumersId, ['consumer']);
  if (contributorsId && contributorsId !== consumersId)
    wanted.set(contributorsId, input.customer.allowContributors ? ['contributor'] : []);
  return wanted;
}

async function assignmentChanges(
  qc: QlikCloud,
  spaceId: string,
  wanted: Map<string, string[]>,
  signal: AbortSignal,
): Promise<AssignmentChange[]> {
  const existing = await collectAll(
    paginate(
      qc.spaces,
      '/api/v1/spaces/{spaceId}/assignments',
      { params: { path: { spaceId }, query: { type: 'group', limit: 100 } } },
      { signal },
    ),
    { limit: 10_000 },
  );
  const changes: AssignmentChange[] = [];
  for (const [groupId, roles] of wanted) {
    const current = existing.find((assignment) => assignment.assigneeId === groupId);
    if (!current) {
      if (roles.length > 0) changes.push({ spaceId, groupId, roles });
    } else if (!sameRoles(current.roles ?? [], roles)) {
      changes.push({ spaceId, groupId, roles, assignmentId: current.id });
    }
  }
  return changes;
}

async function applyAssignmentChange(qc: QlikCloud, change: AssignmentChange, signal: AbortSignal): Promise<void> {
  const { spaceId, groupId, roles, assignmentId } = change;
  type Role = 'consumer';
  if (assignmentId === undefined) {
    unwrap(
      await qc.spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId } },
        body: { type: 'group', assigneeId: groupId, roles: roles as Role[] },
        signal,
      }),
    );
  } else if (roles.length === 0) {
    unwrap(
      await qc.spaces.DELETE('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
        params: { path: { spaceId, assignmentId } },
        signal,
      }),
    );
  } else {
    unwrap(
      await qc.spaces.PUT('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
        params: { path: { spaceId, assignmentId } },
        body: { roles: roles as Role[] },
        signal,
      }),
    );
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}
