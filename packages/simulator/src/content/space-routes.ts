/** HTTP routes of spaces.json (spaces and assignments), each authorized by the caller's standing in the space. */
import type { Route, SimRequest } from '../http/types.js';
import { standingIn } from '../auth/authorize.js';
import { allow, allowSpaceCreation, allows, inSpace } from './access.js';
import { badRequestError } from './errors.js';
import {
  absolute,
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
import { iso } from './ids.js';
import { CURSOR_PAGING, paginate } from './pagination.js';
import {
  SPACE_TYPES,
  createAssignment,
  createSpace,
  deleteSpace,
  getAssignment,
  getSpace,
  parseRoles,
  updateSpace,
} from './spaces.js';
import {
  ASSIGNABLE_ROLES,
  type AssignmentRecord,
  type ContentState,
  type SpaceRecord,
  type SpaceType,
} from './state.js';

function renderSpace(call: ContentCall, space: SpaceRecord): Record<string, unknown> {
  const { req, state } = call;
  const self = absolute(req, `/api/v1/spaces/${space.id}`);
  const standing = call.caller ? [...standingIn(call.caller, space)] : [];
  const managing = allows(call, 'space.manage', inSpace(space));
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
      roles: standing.filter((s) => s !== 'owner'),
      actions: [
        'read',
        ...(managing ? ['change_owner', 'create', 'update', 'delete'] : []),
        ...(space.type === 'managed' && allows(call, 'app.publish-into', inSpace(space)) ? ['publish'] : []),
      ],
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

const route = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('spaces', 'errors-string-status', method, path, handler);

/** The space of the request, when the caller may do `action` in it. */
function spaceFor(call: ContentCall, action: 'space.read' | 'space.manage'): SpaceRecord {
  const space = getSpace(call.state, call.req.params.spaceId ?? '');
  allow(call, action, inSpace(space));
  return space;
}

function listSpaces(call: ContentCall) {
  const { req, state } = call;
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
    .filter((s) => allows(call, 'space.read', inSpace(s)))
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
    data: page.items.map((s) => renderSpace(call, s)),
    meta: { count: page.total },
    links: page.links,
  });
}

export const spaceRoutes: Route[] = [
  route('GET', '/api/v1/spaces/types', () => json(200, { data: [...SPACE_TYPES] })),
  route('GET', '/api/v1/spaces', listSpaces),
  route('POST', '/api/v1/spaces', (call) => {
    const { req, state, userId, now } = call;
    const body = objectBody(req);
    const name = requiredString(body, 'name');
    const type = requiredString(body, 'type');
    if (!(SPACE_TYPES as readonly string[]).includes(type))
      throw badRequestError('type must be shared, managed or data');
    allowSpaceCreation(call, type as SpaceType);
    const description = optionalString(body, 'description');
    const space = createSpace(
      state,
      { name, type: type as SpaceType, ...(description !== undefined ? { description } : {}) },
      userId,
      now,
    );
    return json(201, renderSpace(call, space));
  }),
  route('GET', '/api/v1/spaces/{spaceId}', (call) => json(200, renderSpace(call, spaceFor(call, 'space.read')))),
  route('PATCH', '/api/v1/spaces/{spaceId}', (call) => {
    const space = spaceFor(call, 'space.manage');
    const changes: { name?: string; description?: string; ownerId?: string } = {};
    for (const op of patchOperations(call.req, ['replace'])) {
      if (typeof op.value !== 'string') throw badRequestError(`${op.path} must be a string`);
      if (op.path === '/name') changes.name = op.value;
      else if (op.path === '/description') changes.description = op.value;
      else if (op.path === '/ownerId') changes.ownerId = op.value;
      else throw badRequestError(`path ${op.path} cannot be patched`);
    }
    return json(200, renderSpace(call, updateSpace(call.state, space, changes, call.now)));
  }),
  route('PUT', '/api/v1/spaces/{spaceId}', (call) => {
    const space = spaceFor(call, 'space.manage');
    const body = objectBody(call.req);
    const changes = {
      name: optionalString(body, 'name'),
      ownerId: optionalString(body, 'ownerId'),
      description: optionalString(body, 'description'),
    };
    return json(200, renderSpace(call, updateSpace(call.state, space, changes, call.now)));
  }),
  route('DELETE', '/api/v1/spaces/{spaceId}', (call) => {
    deleteSpace(call.state, spaceFor(call, 'space.manage').id);
    return noContent();
  }),
  route('GET', '/api/v1/spaces/{spaceId}/assignments', (call) => {
    const { req, state } = call;
    const space = spaceFor(call, 'space.read');
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
  route('POST', '/api/v1/spaces/{spaceId}/assignments', (call) => {
    const { req, state, userId, now } = call;
    const space = spaceFor(call, 'space.manage');
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
  route('GET', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', (call) => {
    const space = spaceFor(call, 'space.read');
    const assignment = getAssignment(call.state, space.id, call.req.params.assignmentId ?? '');
    return json(200, renderAssignment(call.req, call.state, assignment));
  }),
  route('PUT', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', (call) => {
    const { req, state, userId, now } = call;
    const space = spaceFor(call, 'space.manage');
    const assignment = getAssignment(state, space.id, req.params.assignmentId ?? '');
    const body = objectBody(req);
    if (body.roles !== undefined) assignment.roles = parseRoles(body.roles, space);
    assignment.updatedAt = now;
    assignment.updatedBy = userId;
    return json(200, renderAssignment(req, state, assignment));
  }),
  route('DELETE', '/api/v1/spaces/{spaceId}/assignments/{assignmentId}', (call) => {
    const space = spaceFor(call, 'space.manage');
    call.state.assignments.delete(getAssignment(call.state, space.id, call.req.params.assignmentId ?? '').id);
    return noContent();
  }),
];
