/**
 * Spaces and space assignments: the domain rules (unique names, what each space type may hold, one
 * assignment per assignee). The HTTP routes are in space-routes.ts.
 */
import { ContentError, badRequestError, conflictError, notFoundError } from './errors.js';
import { objectId } from './ids.js';
import {
  ASSIGNABLE_ROLES,
  type AssignmentRecord,
  type ContentState,
  type SpaceRecord,
  type SpaceRole,
  type SpaceType,
} from './state.js';

export const SPACE_TYPES: readonly SpaceType[] = ['shared', 'managed', 'data'];
const ASSIGNEE_TYPES = ['user', 'group', 'bot'] as const;
/** Characters Qlik refuses in space names (spaces.json `SpaceCreate.name` pattern). */
const INVALID_NAME = /["*?<>/|\\:]/;

export function getSpace(state: ContentState, spaceId: string): SpaceRecord {
  const space = state.spaces.get(spaceId);
  if (!space) throw notFoundError(`space ${spaceId}`);
  return space;
}

export function findSpaceByName(state: ContentState, name: string): SpaceRecord | undefined {
  const wanted = name.toLowerCase();
  for (const space of state.spaces.values()) if (space.name.toLowerCase() === wanted) return space;
  return undefined;
}

export function validateName(name: string): string {
  if (name.trim() === '' || name.length > 256 || INVALID_NAME.test(name)) {
    throw badRequestError('a space name is 1-256 characters and cannot contain " * ? < > / | \\ :');
  }
  return name;
}

export function assertNameFree(state: ContentState, name: string, exceptId?: string): void {
  const existing = findSpaceByName(state, name);
  if (existing && existing.id !== exceptId) {
    throw new ContentError(409, 'SpaceNameConflict', 'Space name conflict', `a space named "${name}" already exists`);
  }
}

export function createSpace(
  state: ContentState,
  input: { name: string; type: SpaceType; description?: string },
  userId: string,
  now: number,
): SpaceRecord {
  validateName(input.name);
  assertNameFree(state, input.name);
  const space: SpaceRecord = {
    id: objectId(),
    name: input.name,
    type: input.type,
    description: input.description ?? '',
    ownerId: userId,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  state.spaces.set(space.id, space);
  return space;
}

export function deleteSpace(state: ContentState, spaceId: string): void {
  getSpace(state, spaceId);
  for (const app of state.apps.values()) {
    if (app.spaceId === spaceId) {
      throw new ContentError(
        412,
        'HTTP-412',
        'Precondition failed',
        'the space still holds apps; move or delete them first',
      );
    }
  }
  for (const [id, assignment] of state.assignments) if (assignment.spaceId === spaceId) state.assignments.delete(id);
  for (const [id, connection] of state.connections) if (connection.spaceId === spaceId) state.connections.delete(id);
  state.spaces.delete(spaceId);
}

export function parseRoles(raw: unknown, space: SpaceRecord): SpaceRole[] {
  if (!Array.isArray(raw) || raw.some((r) => typeof r !== 'string'))
    throw badRequestError('roles must be an array of role names');
  const allowed = ASSIGNABLE_ROLES[space.type];
  for (const role of raw as string[]) {
    if (!allowed.includes(role as SpaceRole)) {
      throw badRequestError(
        `role "${role}" cannot be assigned in a ${space.type} space (allowed: ${allowed.join(', ')})`,
      );
    }
  }
  return [...new Set(raw as SpaceRole[])];
}

export function createAssignment(
  state: ContentState,
  space: SpaceRecord,
  input: { type: unknown; assigneeId: unknown; roles: unknown },
  userId: string,
  now: number,
): AssignmentRecord {
  if (typeof input.type !== 'string' || !(ASSIGNEE_TYPES as readonly string[]).includes(input.type)) {
    throw badRequestError('type must be user, group or bot');
  }
  if (typeof input.assigneeId !== 'string' || input.assigneeId === '') throw badRequestError('assigneeId is required');
  const roles = parseRoles(input.roles, space);
  for (const existing of state.assignments.values()) {
    if (existing.spaceId === space.id && existing.assigneeId === input.assigneeId) {
      throw conflictError(`${input.assigneeId} already has an assignment in this space`, 'AssignmentConflict');
    }
  }
  const assignment: AssignmentRecord = {
    id: objectId(),
    spaceId: space.id,
    type: input.type as AssignmentRecord['type'],
    assigneeId: input.assigneeId,
    roles,
    createdBy: userId,
    createdAt: now,
    updatedBy: userId,
    updatedAt: now,
  };
  state.assignments.set(assignment.id, assignment);
  return assignment;
}

export function getAssignment(state: ContentState, spaceId: string, assignmentId: string): AssignmentRecord {
  const assignment = state.assignments.get(assignmentId);
  if (!assignment || assignment.spaceId !== spaceId) throw notFoundError(`assignment ${assignmentId}`);
  return assignment;
}

/** Applies a change of name, description or owner, keeping names unique. */
export function updateSpace(
  state: ContentState,
  space: SpaceRecord,
  changes: { name?: string | undefined; description?: string | undefined; ownerId?: string | undefined },
  now: number,
): SpaceRecord {
  if (changes.name !== undefined) {
    validateName(changes.name);
    assertNameFree(state, changes.name, space.id);
    space.name = changes.name;
  }
  if (changes.description !== undefined) space.description = changes.description;
  if (changes.ownerId !== undefined) space.ownerId = changes.ownerId;
  space.updatedAt = now;
  return space;
}
