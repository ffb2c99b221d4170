import type { Route, SimContext, SimRequest, SimResponse } from '../http/types.js';
import { json, listPage, objectBody, tenantOf } from './util.js';
import { wireText } from '../http/wire-text.js';

/** licenses.json has its own error shape (`errorResponse`: errors + deprecated error/message). */
function licenseError(status: number, code: string, title: string): SimResponse {
  return { status, body: { error: 'util.Error', message: title, errors: [{ code, title }] } };
}

function overview(_req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const l = tenant.license;
  const used = (name: string): number => l.assignments.filter((a) => a.type === name).length;
  return json(200, {
    licenseKey: l.licenseKey,
    licenseNumber: l.licenseNumber,
    secondaryNumber: '0',
    product: l.product,
    status: 'Ok',
    origin: 'Internal',
    trial: false,
    valid: `${tenant.created.slice(0, 10)}/./.`,
    updated: tenant.created,
    parameters: [],
    allotments: l.allotments.map((a) => ({
      name: a.name,
      units: a.units,
      unitsUsed: used(a.name),
      overage: a.overage,
      usageClass: a.name === 'analyzer_time' ? 'time' : 'assigned',
    })),
  });
}

function putSettings(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const body = req.body === undefined ? {} : objectBody(req);
  const s = tenant.license.settings;
  if (typeof body.autoAssignProfessional === 'boolean') s.autoAssignProfessional = body.autoAssignProfessional;
  if (typeof body.autoAssignAnalyzer === 'boolean') s.autoAssignAnalyzer = body.autoAssignAnalyzer;
  return json(200, { ...s });
}

function addAssignments(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const body = objectBody(req);
  if (!Array.isArray(body.add)) return licenseError(400, 'LICENSES-001', 'Body is invalid or missing.');
  const l = tenant.license;
  const data = body.add.map((entry: unknown) => {
    const e = entry as { subject?: unknown; type?: unknown; userId?: unknown; name?: unknown };
    const subject = wireText(e.subject);
    const type = wireText(e.type);
    const allotment = l.allotments.find((a) => a.name === type);
    if (!allotment)
      return { subject, type, status: 400, code: 'LICENSES-009', title: `Unknown allotment type "${type}".` };
    if (l.assignments.some((a) => a.subject === subject))
      return { subject, type, status: 409, code: 'LICENSES-010', title: 'The subject already has an assignment.' };
    if (l.assignments.filter((a) => a.type === type).length >= allotment.units) {
      return {
        subject,
        type,
        status: 403,
        code: 'LICENSES-011',
        title: 'No available allotment error, No available allotment.',
      };
    }
    l.assignments.push({
      subject,
      type,
      created: ctx.sim.nowIso(),
      ...(typeof e.userId === 'string' ? { userId: e.userId } : {}),
      ...(typeof e.name === 'string' ? { name: e.name } : {}),
    });
    return { subject, type, status: 201 };
  });
  return json(207, { data });
}

function listAssignments(req: SimRequest, ctx: SimContext): SimResponse {
  const { tenant } = tenantOf(ctx);
  const l = tenant.license;
  const page = listPage(req, l.assignments, { cursorStyle: 'page' });
  const excess = (type: string, index: number): boolean =>
    index >= (l.allotments.find((a) => a.name === type)?.units ?? 0);
  const data = page.data.map((a) => ({
    subject: a.subject,
    type: a.type,
    created: a.created,
    excess: excess(a.type, l.assignments.filter((b) => b.type === a.type).indexOf(a)),
  }));
  const { self: _self, ...links } = page.links;
  return json(200, { data, links });
}

export const licenseRoutes: Route[] = [
  { api: 'licenses', method: 'GET', path: '/api/v1/licenses/assignments', handler: listAssignments },
  { api: 'licenses', method: 'GET', path: '/api/v1/licenses/overview', handler: overview },
  {
    api: 'licenses',
    method: 'GET',
    path: '/api/v1/licenses/settings',
    handler: (_req, ctx) => json(200, { ...tenantOf(ctx).tenant.license.settings }),
  },
  { api: 'licenses', method: 'PUT', path: '/api/v1/licenses/settings', handler: putSettings },
  { api: 'licenses', method: 'POST', path: '/api/v1/licenses/assignments/actions/add', handler: addAssignments },
];
