/** Spaces and space assignments (spaces.json). */
import type { Route, SimRequest } from '../http/types.js';
import { ContentError, badRequestError, conflictError, notFoundError } from './errors.js';
import {
  absolute,
  alsoAnswers,
  contentRoute,
  json,
  noContent,
  objectBody,
  optionalString,
  patchOperations,
  requiredString,
  type ContentCall,
  type ContentHandler,
} from './http.js';
import { iso, objectId } from './ids.js';
import { CURSOR_PAGING, paginate } from './pagination.js';
import {
  ASSIGNABLE_ROLES,
  type AssignmentRecord,
  type ContentState,
  type SpaceRecord,
  type SpaceRole,
  type SpaceType,
} from './state.js';

const SPACE_TYPES: readonly SpaceType[] = ['shared', 'managed', 'data'];
const ASSIGNEE_TYPES = ['user', 'group', 'bot'] as const;
/** Characters Qlik refuses in space names (spaces.json `SpaceCreate.name` pattern). */
const INVALID_NAME = /["*?<>/|\\:]/;

// ---- logic -------------------------------------------------------------------------------------

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

function validateName(name: string): string {
  if (name.trim() === '' || name.length > 256 || INVALID_NAME.test(name)) {
    throw badRequestError('a space name is 1-256 characters and cannot contain " * ? < > / | \\ :');
  }
  return name;
}

function assertNameFree(state: ContentState, name: string, exceptId?: string): void {
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

function parseRoles(raw: unknown, space: SpaceRecord): SpaceRole[] {
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

function getAssignment(state: ContentState, spaceId: string, assignmentId: string): AssignmentRecord {
  const assignment = state.assignments.get(assignmentId);
  if (!assignment || assignment.spaceId !== spaceId) throw notFoundError(`assignment ${assignmentId}`);
  return assignment;
}

// ---- rendering ---------------------------------------------------------------------------------

function renderSpace(req: SimRequest, state: ContentState, space: SpaceRecord): Record<string, unknown> {
  const self = absolute(req, `/api/v1/spaces/${space.id}`);
  return {
    id: space.id,
    name: space.name,
    type: space.type,
    description: space.description,
    ownerId: space.ownerId,
    tenantId: state.tenantId,
    createdAt: iso(space.createdAt),
    createdBy: space.createdBy,
    updatedAt: iso(space.updatedAt),
    meta: {
      roles: [],
      actions: ['change_owner', 'create', 'read', 'update', 'delete', ...(space.type === 'managed' ? ['publish'] : [])],
      assignableRoles: [...ASSIGNABLE_ROLES[space.type]],
    },
    links: { self: { href: self }, assignments: { href: `${self}/assignments` } },
  };
}

function renderAssignment(req: SimRequest, state: ContentState, a: AssignmentRecord): Record<string, unknown> {
  const space = absolute(req, `/api/v1/spaces/${a.spaceId}`);
  return {
    id: a.id,
    type: a.type,
    assigneeId: a.assigneeId,
    roles: a.roles,
    spaceId: a.spaceId,
    tenantId: state.tenantId,
    createdAt: iso(a.createdAt),
    createdBy: a.createdBy,
    updatedAt: iso(a.updatedAt),
    updatedBy: a.updatedBy,
    links: { self: { href: `${space}/assignments/${a.id}` }, space: { href: space } },
  };
}

// ---- routes ------------------------------------------------------------------------------------

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('spaces', 'errors-string-status', method, path, handler);

function listSpaces({ req, state }: ContentCall) {
  const q = req.query;
  const name = q.get('name')?.toLowerCase();
  const types = q
    .get('type')
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (types?.some((t) => !(SPACE_TYPES as readonly string[]).includes(t)))
    throw badRequestError('type must be shared, managed or data');
  const ownerId = q.get('ownerId');
  const sort = q.get('sort') ?? '+name';
  const spaces = [...state.spaces.values()]
    .filter((s) => !name || s.name.toLowerCase().includes(name))
    .filter((s) => !types?.length || types.includes(s.type))
    .filter((s) => !ownerId || s.ownerId === ownerId);
  const descending = sort.startsWith('-');
  const field = sort.replace(/^[+-]/, '');
  spaces.sort((a, b) => {
    const order =
      field === 'createdAt'
        ? a.createdAt - b.createdAt
        : field === 'updatedAt'
          ? a.updatedAt - b.updatedAt
          : a.name.localeCompare(b.name);
    return descending ? -order : order;
  });
  const page = paginate(spaces, req.url, CURSOR_PAGING(10));
  return json(200, {
    data: page.items.map((s) => renderSpace(req, state, s)),
    meta: { count: page.total },
    links: page.links,
  });
}

export const spaceRoutes: Route[] = [
  route('GET', '/api/v1/spaces/types', () => json(200, { data: [...SPACE_TYPES] })),
  route('GET', '/api/v1/spaces', listSpaces),
  route('POST', '/api/v1/spaces', ({ req, state, userId, now }) => {
    const body = objectBody(req);
    const name = requiredString(body, 'name');
    const type = requiredString(body, 'type');
    if (!(SPACE_TYPES as readonly string[]).includes(type))
      throw badRequestError('type must be shared, managed or data');
    const description = optionalString(body, 'description');
    const space = createSpace(
      state,
      { name, type: type as SpaceType, ...(description !== undefined ? { description } : {}) },
      userId,
      now,
    );
    return json(201, renderSpace(req, state, space));
  }),
  route('GET', '/api/v1/spaces/{spaceId}', ({ req, state }) =>
    json(200, renderSpace(req, state, getSpace(state, req.params.spaceId ?? ''))),
  ),
  route('PATCH', '/api/v1/spaces/{spaceId}', ({ req, state, now }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    const ops = patchOperations(req, ['replace']);
    const next = { ...space };
    for (const op of ops) {
      if (typeof op.value !== 'string') throw badRequestError(`${op.path} must be a string`);
      if (op.path === '/name') next.name = validateName(op.value);
      else if (op.path === '/description') next.description = op.value;
      else if (op.path === '/ownerId') next.ownerId = op.value;
      else throw badRequestError(`path ${op.path} cannot be patched`);
    }
    if (next.name !== space.name) assertNameFree(state, next.name, space.id);
    Object.assign(space, next, { updatedAt: now });
    return json(200, renderSpace(req, state, space));
  }),
  route('PUT', '/api/v1/spaces/{spaceId}', ({ req, state, now }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    const body = objectBody(req);
    const name = optionalString(body, 'name');
    const ownerId = optionalString(body, 'ownerId');
    const description = optionalString(body, 'description');
    if (name !== undefined) {
      validateName(name);
      assertNameFree(state, name, space.id);
      space.name = name;
    }
    if (ownerId !== undefined) space.ownerId = ownerId;
    if (description !== undefined) space.description = description;
    space.updatedAt = now;
    return json(200, renderSpace(req, state, space));
  }),
  route('DELETE', '/api/v1/spaces/{spaceId}', ({ req, state }) => {
    deleteSpace(state, req.params.spaceId ?? '');
    return noContent();
  }),
  route('GET', '/api/v1/spaces/{spaceId}/assignments', ({ req, state }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    const type = req.query.get('type');
    const assigneeId = req.query.get('assigneeId');
    const all = [...state.assignments.values()]
      .filter((a) => a.spaceId === space.id)
      .filter((a) => !type || a.type === type)
      .filter((a) => !assigneeId || a.assigneeId === assigneeId)
      .sort((a, b) => a.createdAt - b.createdAt);
    const page = paginate(all, req.url, CURSOR_PAGING(10));
    return json(200, {
      data: page.items.map((a) => renderAssignment(req, state, a)),
      meta: { count: page.total },
      links: page.links,
    });
  }),
  alsoAnswers(
    route('POST', '/api/v1/spaces/{spaceId}/assignments', ({ req, state, userId, now }) => {
      const space = getSpace(state, req.params.spaceId ?? '');
      const body = objectBody(req);
      const assignment = createAssignment(
        state,
        space,
        { type: body.type, assigneeId: body.assigneeId, roles: body.roles },
        userId,
        now,
      );
      return json(201, renderAssignment(req, state, assignment));
    }),
    400,
  ),
  route('GET', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', ({ req, state }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    return json(200, renderAssignment(req, state, getAssignment(state, space.id, req.params.assignmentId ?? '')));
  }),
  route('PUT', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', ({ req, state, userId, now }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    const assignment = getAssignment(state, space.id, req.params.assignmentId ?? '');
    const body = objectBody(req);
    if (body.roles !== undefined) assignment.roles = parseRoles(body.roles, space);
    assignment.updatedAt = now;
    assignment.updatedBy = userId;
    return json(200, renderAssignment(req, state, assignment));
  }),
  route('DELETE', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', ({ req, state }) => {
    const space = getSpace(state, req.params.spaceId ?? '');
    const assignment = getAssignment(state, space.id, req.params.assignmentId ?? '');
    state.assignments.delete(assignment.id);
    return noContent();
  }),
];
