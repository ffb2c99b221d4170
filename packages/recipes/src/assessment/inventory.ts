// Reads a QSEoW site for an assessment: read-only QRS calls, apps paged through `POST /app/table`.
import type { QrsClient } from '@qlik-oem/qrs';
import { errorFromResponse, isQlikNotFoundError } from '@qlik-oem/core';
import { loadQseowDeps } from '../recipes/qseow-deps.js';
import { wireText } from '../wire-text.js';

export interface InventoryApp {
  id: string;
  name: string;
  fileSize: number;
  owner?: string;
  published: boolean;
  stream?: { id: string; name: string };
  customProperties: Record<string, string[]>;
  lastReloadTime?: string;
  lastDataDistribution?: string;
  reloadTask?: { id: string; name: string; lastStatus?: number; lastRun?: string; scriptLog?: string };
  /** Visualization types of the app's objects (bundled charts or extension names). */
  objectTypes: string[];
}

export interface SiteInventory {
  apps: InventoryApp[];
  streams: Array<{ id: string; name: string; customProperties: Record<string, string[]> }>;
  dataConnections: Array<{
    id: string;
    name: string;
    type: string;
    connectionstring: string;
    customProperties: Record<string, string[]>;
  }>;
  extensions: Array<{ name: string; type: string }>;
  /** Users with read access per stream id (security audit matrix), with their last use when known. */
  streamAccess: Record<string, Array<{ userId: string; lastUsed?: string }>>;
  /** Names of system rules with the Distribute action (multi-cloud distribution policies). */
  distributionPolicies: string[];
  /**
   * The site's multi-cloud deployments (hds), or `undefined` when the site does not answer the deployments
   * list (its `GET` is unverified against Qlik's documentation: a 404 means "unknown", not "none").
   */
  deployments: Array<{ id: string; name?: string; tenantUrl?: string }> | undefined;
  /** How many QRS requests the inventory sent (all reads). */
  requests: number;
}

type Entity = Record<string, unknown>;
const NEVER_PREFIX = '1753-';
const props = (e: Entity): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const c of (e['customProperties'] as Array<{ value: string; definition?: { name?: string } }> | undefined) ?? [])
    (out[c.definition?.name ?? ''] ??= []).push(c.value);
  return out;
};
const date = (v: unknown) => (typeof v === 'string' && !v.startsWith(NEVER_PREFIX) ? v : undefined);

export async function readSiteInventory(
  qrs: QrsClient,
  options: { pageSize: number; signal?: AbortSignal },
): Promise<SiteInventory> {
  let requests = 0;
  const send = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> => {
    requests += 1;
    const url = `${qrs.baseUrl}${path}`;
    const response = await qrs.fetch(url, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok) throw await errorFromResponse(response, { method, url });
    return response;
  };
  const json = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
    (await (await send(method, path, body)).json()) as T;

  // Apps: ids page by page (the only paged QRS listing), then the full entities of each page by id.
  const apps: Entity[] = [];
  for (let skip = 0; ; skip += options.pageSize) {
    const page = await json<{ rows: unknown[][] }>(
      'POST',
      `/app/table?skip=${skip}&take=${options.pageSize}&sortcolumn=id`,
      {
        type: 'App',
        columns: [{ columnType: 1, name: 'id', definition: 'id' }],
      },
    );
    const ids = page.rows.map((r) => String(r[0]));
    for (let i = 0; i < ids.length; i += 50) {
      const filter = ids
        .slice(i, i + 50)
        .map((id) => `id eq ${id}`)
        .join(' or ');
      apps.push(...(await json<Entity[]>('GET', `/app/full?filter=${encodeURIComponent(filter)}`)));
    }
    if (ids.length < options.pageSize) break;
  }
  const streams = await json<Entity[]>('GET', '/stream/full');
  const tasks = await json<Entity[]>('GET', '/reloadtask/full');
  const connections = await json<Entity[]>('GET', '/dataconnection/full');
  const schemas = await json<Record<string, { type?: string }>>('GET', '/extension/schema');
  const objects = await json<Entity[]>('GET', '/app/object/full');
  const access = await json<Entity[]>('GET', '/license/analyzeraccesstype/full');
  const professional = await json<Entity[]>('GET', '/license/professionalaccesstype/full');
  const rules = await json<Entity[]>('GET', '/systemrule/full');
  const matrix = await json<{
    matrix: Array<{ subjectId: string; resourceId: string }>;
    subjects: Record<string, { subjectProperties?: Record<string, string> }>;
  }>('POST', '/systemrule/security/audit/matrix', {
    resourceType: 'Stream',
    actions: 2,
    subjectProperties: ['userId', 'userDirectory'],
    resourceProperties: ['name'],
  });

  let deployments: SiteInventory['deployments'];
  try {
    requests += 1;
    const { distribution } = await loadQseowDeps();
    deployments = (await distribution.listDeployments(qrs)).map((d) => ({
      id: d.id,
      ...(d.name ? { name: d.name } : {}),
      ...(d.serviceUrl ? { tenantUrl: d.serviceUrl } : {}),
    }));
  } catch (error) {
    if (!isQlikNotFoundError(error)) throw error;
    deployments = undefined;
  }

  const lastUsedBy = new Map<string, string>();
  for (const a of [...access, ...professional]) {
    const id = (a['user'] as { id?: string } | undefined)?.id;
    const used = date(a['lastUsed']);
    if (id && used && (!lastUsedBy.get(id) || used > lastUsedBy.get(id)!)) lastUsedBy.set(id, used);
  }
  const streamAccess: SiteInventory['streamAccess'] = {};
  for (const m of matrix.matrix) {
    const userId = matrix.subjects[m.subjectId]?.subjectProperties?.['userId'] ?? m.subjectId;
    const lastUsed = lastUsedBy.get(m.subjectId);
    (streamAccess[m.resourceId] ??= []).push({ userId, ...(lastUsed ? { lastUsed } : {}) });
  }

  const taskByApp = new Map<string, Entity>();
  for (const t of tasks) taskByApp.set(String((t['app'] as { id?: string } | undefined)?.id), t);
  const objectsByApp = new Map<string, string[]>();
  for (const o of objects) {
    const appId = String((o['app'] as { id?: string } | undefined)?.id);
    (objectsByApp.get(appId) ?? objectsByApp.set(appId, []).get(appId)!).push(
      String(o['engineObjectType'] ?? o['objectType']),
    );
  }

  const inventoryApps: InventoryApp[] = [];
  for (const a of apps) {
    const task = taskByApp.get(String(a['id']));
    const last = (
      task?.['operational'] as
        | { lastExecutionResult?: { id: string; status: number; stopTime?: string; scriptLogAvailable?: boolean } }
        | undefined
    )?.lastExecutionResult;
    let scriptLog: string | undefined;
    if (task && last?.scriptLogAvailable) {
      // A GUID in a JSON string; read as text so a bare GUID works too.
      const ticket = (
        await (await send('GET', `/reloadtask/${String(task['id'])}/scriptlogfile?executionresultid=${last.id}`)).text()
      ).replace(/^"|"$/g, '');
      scriptLog = await (await send('GET', `/download/reloadtask/${ticket}/scriptlog.txt`)).text();
    }
    const stream = a['stream'] as { id: string; name: string } | undefined;
    const owner = a['owner'] as { userDirectory?: string; userId?: string } | undefined;
    inventoryApps.push({
      id: String(a['id']),
      name: String(a['name']),
      fileSize: Number(a['fileSize'] ?? 0),
      ...(owner?.userId ? { owner: `${owner.userDirectory}\\${owner.userId}` } : {}),
      published: a['published'] === true,
      ...(stream ? { stream: { id: stream.id, name: stream.name } } : {}),
      customProperties: props(a),
      ...(date(a['lastReloadTime']) ? { lastReloadTime: date(a['lastReloadTime'])! } : {}),
      ...(date(a['lastDataDistribution']) ? { lastDataDistribution: date(a['lastDataDistribution'])! } : {}),
      ...(task
        ? {
            reloadTask: {
              id: String(task['id']),
              name: String(task['name']),
              ...(last
                ? { lastStatus: last.status, ...(date(last.stopTime) ? { lastRun: date(last.stopTime)! } : {}) }
                : {}),
              ...(scriptLog !== undefined ? { scriptLog } : {}),
            },
          }
        : {}),
      objectTypes: objectsByApp.get(String(a['id'])) ?? [],
    });
  }
  return {
    apps: inventoryApps,
    streams: streams.map((s) => ({ id: String(s['id']), name: String(s['name']), customProperties: props(s) })),
    dataConnections: connections.map((c) => ({
      id: String(c['id']),
      name: String(c['name']),
      type: wireText(c['type']),
      connectionstring: wireText(c['connectionstring']),
      customProperties: props(c),
    })),
    extensions: Object.entries(schemas).map(([name, s]) => ({ name, type: String(s.type ?? 'visualization') })),
    streamAccess,
    distributionPolicies: rules
      .filter((r) => typeof r['actions'] === 'number' && (r['actions'] & 1024) !== 0)
      .map((r) => String(r['name'])),
    deployments,
    requests,
  };
}
