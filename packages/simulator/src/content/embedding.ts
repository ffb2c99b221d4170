/** Web integrations (web-integrations.json) and CSP origins (csp-origins.json), used for embedding. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Route, SimRequest } from '../http/types.js';
import { bundledSpecsDir } from '../spec/spec-dir.js';
import { badRequestError, notFoundError } from './errors.js';
import {
  absolute,
  contentRoute,
  json,
  noContent,
  objectBody,
  optionalString,
  patchOperations,
  requiredString,
  type ContentHandler,
} from './http.js';
import { iso, objectId } from './ids.js';
import { CURSOR_PAGING, idCursorPage, paginate } from './pagination.js';
import type { ContentState, CspOriginRecord, WebIntegrationRecord } from './state.js';

// ---- web integrations -------------------------------------------------------------------------------

function validOrigins(value: unknown): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((o) => typeof o !== 'string'))
    throw badRequestError('validOrigins must be an array of origins');
  for (const origin of list as string[]) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw badRequestError(`"${origin}" is not an origin such as https://app.example.com`);
    }
    if (parsed.origin !== origin.replace(/\/$/, ''))
      throw badRequestError(`"${origin}" must be an origin, without a path`);
  }
  return [...new Set(list as string[])];
}

function renderWebIntegration(req: SimRequest, state: ContentState, w: WebIntegrationRecord): Record<string, unknown> {
  return {
    id: w.id,
    name: w.name,
    validOrigins: w.validOrigins,
    tenantId: state.tenantId,
    createdBy: w.createdBy,
    created: iso(w.created),
    lastUpdated: iso(w.lastUpdated),
    links: { self: { href: absolute(req, `/api/v1/web-integrations/${w.id}`) } },
  };
}

function getWebIntegration(state: ContentState, id: string): WebIntegrationRecord {
  const w = state.webIntegrations.get(id);
  if (!w) throw notFoundError(`web integration ${id}`);
  return w;
}

const wiRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('web-integrations', 'errors-string-status', method, path, handler);

// ---- CSP origins ------------------------------------------------------------------------------------

// The directives are what csp-origins.json's CSPEntryContent declares as boolean fields, read once from the
// specs this simulator ships (the same bytes as any specsDir it accepts), so no list is kept here.
let directives: readonly string[] | undefined;
function cspDirectives(): readonly string[] {
  if (!directives) {
    const doc = JSON.parse(readFileSync(join(bundledSpecsDir(), 'csp-origins.json'), 'utf8')) as {
      components: { schemas: { CSPEntryContent: { properties: Record<string, { type?: string }> } } };
    };
    const fields = Object.entries(doc.components.schemas.CSPEntryContent.properties);
    directives = fields.filter(([, schema]) => schema.type === 'boolean').map(([name]) => name);
  }
  return directives;
}

function directivesOf(body: Record<string, unknown>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const d of cspDirectives()) {
    const v = body[d];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw badRequestError(`${d} must be a boolean`);
    out[d] = v;
  }
  return out;
}

function cspOrigin(value: string): string {
  if (value.length > 256 || /\s/.test(value) || value === '')
    throw badRequestError('origin must be a host or origin of at most 256 characters');
  return value;
}

function renderCsp(c: CspOriginRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    origin: c.origin,
    ...c.directives,
    createdDate: iso(c.createdDate),
    modifiedDate: iso(c.modifiedDate),
  };
}

function getCsp(state: ContentState, id: string): CspOriginRecord {
  const c = state.cspOrigins.get(id);
  if (!c) throw notFoundError(`CSP origin ${id}`);
  return c;
}

const cspRoute = (method: string, path: string, handler: ContentHandler): Route =>
  contentRoute('csp-origins', 'errors-string-status', method, path, handler);

export const embeddingRoutes: Route[] = [
  wiRoute('GET', '/api/v1/web-integrations', ({ req, state }) => {
    const sort = req.query.get('sort') ?? '+name';
    const all = [...state.webIntegrations.values()].sort(
      (a, b) => (sort.startsWith('-') ? -1 : 1) * a.name.localeCompare(b.name),
    );
    const page = idCursorPage(all, req.url, { defaultLimit: 10, maxLimit: 100, minLimit: 0 });
    return json(200, { data: page.items.map((w) => renderWebIntegration(req, state, w)), links: page.links });
  }),
  wiRoute('POST', '/api/v1/web-integrations', ({ req, state, userId, now }) => {
    const body = objectBody(req);
    const w: WebIntegrationRecord = {
      id: objectId(),
      name: requiredString(body, 'name'),
      validOrigins: validOrigins(body.validOrigins),
      createdBy: userId,
      created: now,
      lastUpdated: now,
    };
    state.webIntegrations.set(w.id, w);
    return json(201, renderWebIntegration(req, state, w));
  }),
  wiRoute('GET', '/api/v1/web-integrations/{id}', ({ req, state }) =>
    json(200, renderWebIntegration(req, state, getWebIntegration(state, req.params.id ?? ''))),
  ),
  {
    ...wiRoute('PATCH', '/api/v1/web-integrations/{id}', ({ req, state, now }) => {
      const w = getWebIntegration(state, req.params.id ?? '');
      const next = { ...w };
      for (const op of patchOperations(req, ['replace'])) {
        if (op.path === '/name') {
          if (typeof op.value !== 'string' || op.value === '')
            throw badRequestError('/name must be a non-empty string');
          next.name = op.value;
        } else if (op.path === '/validOrigins') {
          // The spec types `value` as a string; an array is accepted too (beyond-spec web-integrations-origins-array).
          next.validOrigins = validOrigins(op.value);
        } else throw badRequestError(`path ${op.path} cannot be patched`);
      }
      Object.assign(w, next, { lastUpdated: now });
      return noContent();
    }),
  },
  wiRoute('DELETE', '/api/v1/web-integrations/{id}', ({ req, state }) => {
    state.webIntegrations.delete(getWebIntegration(state, req.params.id ?? '').id);
    return noContent();
  }),
  cspRoute('GET', '/api/v1/csp-origins/actions/generate-header', ({ state }) => {
    const byDirective = new Map<string, string[]>();
    const header: Record<string, string> = {};
    for (const c of state.cspOrigins.values()) {
      for (const [d, on] of Object.entries(c.directives)) {
        if (!on) continue;
        const kebab = d === 'connectSrcWSS' ? 'connect-src' : d.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
        const origin = d === 'connectSrcWSS' ? `wss://${c.origin.replace(/^https?:\/\//, '')}` : c.origin;
        byDirective.set(kebab, [...(byDirective.get(kebab) ?? []), origin]);
      }
    }
    header['Content-Security-Policy'] = [...byDirective]
      .map(([d, origins]) => `${d} 'self' ${origins.join(' ')}`)
      .join('; ');
    return json(200, header);
  }),
  cspRoute('GET', '/api/v1/csp-origins', ({ req, state }) => {
    const q = req.query;
    const name = q.get('name');
    const origin = q.get('origin');
    const all = [...state.cspOrigins.values()]
      .filter((c) => !name || c.name === name)
      .filter((c) => !origin || c.origin === origin)
      .filter((c) => cspDirectives().every((d) => !q.has(d) || (c.directives[d] ?? false) === (q.get(d) === 'true')))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, req.url, CURSOR_PAGING(10));
    return json(200, { data: page.items.map(renderCsp), links: page.links });
  }),
  cspRoute('POST', '/api/v1/csp-origins', ({ req, state, now }) => {
    const body = objectBody(req);
    const c: CspOriginRecord = {
      id: objectId(),
      name: optionalString(body, 'name') ?? '',
      origin: cspOrigin(requiredString(body, 'origin')),
      directives: directivesOf(body),
      createdDate: now,
      modifiedDate: now,
    };
    state.cspOrigins.set(c.id, c);
    return json(201, renderCsp(c));
  }),
  cspRoute('GET', '/api/v1/csp-origins/{id}', ({ req, state }) =>
    json(200, renderCsp(getCsp(state, req.params.id ?? ''))),
  ),
  cspRoute('PUT', '/api/v1/csp-origins/{id}', ({ req, state, now }) => {
    const c = getCsp(state, req.params.id ?? '');
    const body = objectBody(req);
    c.origin = cspOrigin(requiredString(body, 'origin'));
    c.name = optionalString(body, 'name') ?? '';
    c.directives = directivesOf(body);
    c.modifiedDate = now;
    return json(200, renderCsp(c));
  }),
  cspRoute('DELETE', '/api/v1/csp-origins/{id}', ({ req, state }) => {
    state.cspOrigins.delete(getCsp(state, req.params.id ?? '').id);
    return noContent();
  }),
];
