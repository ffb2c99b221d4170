import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { TenantCustomization } from './customize-tenant-input.js';
import { CSP_DIRECTIVES } from './customize-tenant-values.js';
import { wireText } from '../wire-text.js';

// Web integration and CSP origins: found by name, created when missing, updated only when different.

const MAX_ITEMS = 10_000;

type WebIntegrationSpec = NonNullable<TenantCustomization['webIntegration']>;
export type CspOriginSpec = TenantCustomization['cspOrigins'][number];

export interface WebIntegrationState {
  id: string;
  validOrigins: string[];
}

export async function findWebIntegration(
  qc: QlikCloud,
  name: string,
  signal: AbortSignal,
): Promise<WebIntegrationState | undefined> {
  const all = await collectAll(
    paginate(qc.webIntegrations, '/api/v1/web-integrations', { params: { query: { limit: 100 } } }, { signal }),
    {
      limit: MAX_ITEMS,
    },
  );
  const found = all.find((w) => w.name === name);
  return found?.id ? { id: found.id, validOrigins: [...(found.validOrigins ?? [])] } : undefined;
}

export const sameOrigins = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((origin) => right.has(origin));
};

export async function createWebIntegration(
  qc: QlikCloud,
  spec: WebIntegrationSpec,
  signal: AbortSignal,
): Promise<string> {
  const created = unwrap(
    await qc.webIntegrations.POST('/api/v1/web-integrations', {
      body: { name: spec.name, validOrigins: spec.validOrigins },
      signal,
    }),
  );
  return created.id!;
}

/**
 * Replaces `validOrigins`. The spec types a patch `value` as a string; the list is sent as an array, the
 * form the origins have everywhere else in this API (unverified against a live tenant).
 */
export async function updateWebIntegrationOrigins(
  qc: QlikCloud,
  id: string,
  validOrigins: string[],
  signal: AbortSignal,
): Promise<void> {
  unwrap(
    await qc.webIntegrations.PATCH('/api/v1/web-integrations/{id}', {
      params: { path: { id } },
      body: [{ op: 'replace', path: '/validOrigins', value: validOrigins as unknown as string }],
      signal,
    }),
  );
}

// ---- CSP origins ----------------------------------------------------------------------------------

export interface CspOriginState {
  id: string;
  name: string;
  origin: string;
  description: string;
  directives: Record<string, boolean>;
}

export async function listCspOrigins(qc: QlikCloud, signal: AbortSignal): Promise<CspOriginState[]> {
  const all = await collectAll(
    paginate(qc.cspOrigins, '/api/v1/csp-origins', { params: { query: { limit: 100 } } }, { signal }),
    { limit: MAX_ITEMS },
  );
  return all.map((entry) => {
    const record = entry as unknown as Record<string, unknown>;
    return {
      id: wireText(record.id),
      name: wireText(record.name),
      origin: wireText(record.origin),
      description: typeof record.description === 'string' ? record.description : '',
      directives: Object.fromEntries(CSP_DIRECTIVES.map((d) => [d, record[d] === true])),
    };
  });
}

/** The full CSP entry body: every directive explicitly on or off, so a PUT leaves nothing behind. */
export function cspBody(spec: CspOriginSpec): Record<string, unknown> {
  const on = new Set<string>(spec.directives);
  return {
    name: spec.name,
    origin: spec.origin,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...Object.fromEntries(CSP_DIRECTIVES.map((d) => [d, on.has(d)])),
  };
}

export function cspMatches(existing: CspOriginState, spec: CspOriginSpec): boolean {
  const on = new Set<string>(spec.directives);
  return (
    existing.name === spec.name &&
    existing.origin === spec.origin &&
    (spec.description === undefined || existing.description === spec.description) &&
    CSP_DIRECTIVES.every((d) => existing.directives[d] === on.has(d))
  );
}

export type CspChange = { kind: 'create'; spec: CspOriginSpec } | { kind: 'update'; id: string; spec: CspOriginSpec };

/** What to write so every wanted entry exists as specified: found by name, else by origin. */
export function planCspOrigins(
  existing: readonly CspOriginState[],
  wanted: readonly CspOriginSpec[],
): { changes: CspChange[]; ids: Record<string, string> } {
  const changes: CspChange[] = [];
  const ids: Record<string, string> = {};
  const claimed = new Set<string>();
  for (const spec of wanted) {
    const found =
      existing.find((e) => e.name === spec.name && !claimed.has(e.id)) ??
      existing.find((e) => e.origin === spec.origin && !claimed.has(e.id));
    if (!found) {
      changes.push({ kind: 'create', spec });
      continue;
    }
    claimed.add(found.id);
    ids[spec.name] = found.id;
    if (!cspMatches(found, spec)) changes.push({ kind: 'update', id: found.id, spec });
  }
  return { changes, ids };
}

export async function writeCspOrigin(qc: QlikCloud, change: CspChange, signal: AbortSignal): Promise<string> {
  const body = cspBody(change.spec) as { origin: string };
  if (change.kind === 'create')
    return String(unwrap(await qc.cspOrigins.POST('/api/v1/csp-origins', { body, signal })).id);
  unwrap(await qc.cspOrigins.PUT('/api/v1/csp-origins/{id}', { params: { path: { id: change.id } }, body, signal }));
  return change.id;
}
