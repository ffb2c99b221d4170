/**
 * The per-tenant content state: spaces, apps, connections, reloads, and the tenant's embedding and
 * branding resources. One `ContentState` lives in each tenant's extension slot (see `contentOf`).
 */
import type { LoadedData } from '../engine/table.js';
import type { QvfObject } from './qvf.js';
import type { SealedSecret } from './secret.js';
import { seedContent } from './seed.js';

export type SpaceType = 'shared' | 'managed' | 'data';
export type SpaceRole =
  | 'consumer'
  | 'contributor'
  | 'dataconsumer'
  | 'datapreview'
  | 'facilitator'
  | 'operator'
  | 'producer'
  | 'publisher'
  | 'basicconsumer'
  | 'codeveloper';

/** The roles that can be assigned in each space type (spaces.json `RoleType`). */
export const ASSIGNABLE_ROLES: Readonly<Record<SpaceType, readonly SpaceRole[]>> = {
  shared: ['codeveloper', 'consumer', 'dataconsumer', 'facilitator', 'producer'],
  managed: ['consumer', 'contributor', 'dataconsumer', 'facilitator', 'publisher', 'basicconsumer'],
  data: ['consumer', 'dataconsumer', 'datapreview', 'facilitator', 'operator', 'producer', 'publisher'],
};

export interface SpaceRecord {
  id: string;
  name: string;
  type: SpaceType;
  description: string;
  ownerId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface AssignmentRecord {
  id: string;
  spaceId: string;
  type: 'user' | 'group' | 'bot';
  assigneeId: string;
  roles: SpaceRole[];
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

export interface AppRecord {
  id: string;
  /** The id of the app's item in the items API. */
  itemId: string;
  name: string;
  description: string;
  /** Undefined: the owner's personal space (or, for distributed apps, no space yet: staged). */
  spaceId: string | undefined;
  ownerId: string;
  createdDate: number;
  modifiedDate: number;
  published: boolean;
  publishTime: number | undefined;
  /** For a published app: the id of the app it was published from. */
  originAppId: string | undefined;
  lastReloadTime: number | undefined;
  script: string;
  properties: Record<string, unknown>;
  /** Stored generic objects: sheets, charts, master items (what `DoSave` persisted). */
  objects: QvfObject[];
  hasData: boolean;
  /** The tables the last successful reload loaded (the data model is built from them); undefined without data. */
  data: LoadedData | undefined;
  /** Distributed from QSEoW (multi-cloud) rather than created in the tenant. */
  distributed: boolean;
  /** For a distributed app: the QSEoW data version it last received (a re-distribution without new data keeps it). */
  distributedDataVersion?: number;
}

export interface ConnectionRecord {
  id: string;
  name: string;
  type: string;
  connectStatement: string;
  datasourceID: string;
  /** Undefined: the owner's personal space. */
  spaceId: string | undefined;
  ownerId: string;
  logOn: 0 | 1;
  architecture: 0 | 1;
  engineObjectID: string;
  separateCredentials: boolean;
  credentialsId: string | undefined;
  /** Kept for the engine and reloads; never sent in a response. */
  username: string | undefined;
  /** Never sent in a response; hidden from logs and inspection. */
  password: SealedSecret | undefined;
  /** Never sent in a response; hidden from logs and inspection. */
  connectionSecret: SealedSecret | undefined;
  connectionProperties: Record<string, unknown> | undefined;
  tags: string[];
  created: number;
  updated: number;
}

export interface CredentialRecord {
  id: string;
  name: string;
  type: string;
  datasourceID: string;
  username: string;
  /** Never sent in a response; hidden from logs and inspection. */
  password: SealedSecret;
  created: number;
  updated: number;
}

export type ReloadStatus =
  'QUEUED' | 'RELOADING' | 'CANCELING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'EXCEEDED_LIMIT';

export interface ReloadRecord {
  id: string;
  appId: string;
  userId: string;
  partial: boolean;
  weight: number;
  variables: Record<string, string>;
  resourceType: 'api' | 'reload-tasks' | 'tasks' | 'automate' | undefined;
  resourceId: string | undefined;
  creationTime: number;
  /** When the reload leaves the queue (simulated epoch ms). */
  startAt: number;
  /** When it reaches its final status (simulated epoch ms). */
  endAt: number;
  /** Decided at start from the script and the connections then visible. */
  outcome:
    | { success: boolean; log: string; errorCode?: string; errorMessage?: string; data?: LoadedData | undefined }
    | undefined;
  /** Set by cancel. */
  canceledAt: number | undefined;
  status: ReloadStatus;
}

export interface ReloadTaskRecord {
  id: string;
  appId: string;
  userId: string;
  spaceId: string | undefined;
  partial: boolean;
  autoReload: boolean;
  autoReloadPartial: boolean;
  timeZone: string;
  recurrence: string[];
  startDateTime: string | undefined;
  endDateTime: string | undefined;
  state: 'Enabled' | 'Disabled' | 'Completed';
  created: number;
  /** The next time the schedule fires (simulated epoch ms); undefined when it never will. */
  nextAt: number | undefined;
  lastExecutionTime: number | undefined;
}

/** When a scheduling task fires: an RRULE or an ISO 8601 interval, in a time zone, between two dates. */
export interface TaskScheduleRecord {
  recurrence: string | undefined;
  intervalMs: number | undefined;
  timeZone: string;
  startDateTime: string | undefined;
  endDateTime: string | undefined;
}

/** A task of the Scheduling Tasks API that reloads one app (`app.reload` in its states). */
export interface SchedulingTaskRecord {
  id: string;
  /** The client's part of the task document (name, description, start, states, ...), as sent. */
  definition: Record<string, unknown>;
  enabled: boolean;
  appId: string;
  partial: boolean;
  usage: string;
  ownerId: string;
  createdBy: string;
  updatedBy: string;
  createdAt: number;
  updatedAt: number;
  schedule: TaskScheduleRecord | undefined;
  nextAt: number | undefined;
  triggerId: string;
  orchestrationId: string;
}

/** One run of a scheduling task: the reload it started decides its status, end and log. */
export interface TaskRunRecord {
  id: string;
  taskId: string;
  taskName: string;
  appId: string;
  actionId: string;
  reloadId: string;
  triggeredBy: string;
  executedAs: string;
  startedAt: number;
  /** The task's metadata when it ran. */
  taskMeta: Record<string, unknown>;
}

/** An automation (automations.json); its workspace is stored as sent, never executed. */
export interface AutomationRecord {
  id: string;
  name: string;
  description: string;
  workspace: Record<string, unknown>;
  schedules: Array<Record<string, unknown>>;
  maxConcurrentRuns: number;
  state: 'available' | 'disabled';
  ownerId: string;
  createdAt: number;
  updatedAt: number;
}

export interface AutomationRunRecord {
  id: string;
  automationId: string;
  title: string;
  ownerId: string;
  startTime: number;
  fails: boolean;
}

export interface TempContentRecord {
  id: string;
  name: string;
  bytes: Uint8Array;
  creatorId: string;
  createdAt: number;
  ttlSeconds: number;
}

export interface WebIntegrationRecord {
  id: string;
  name: string;
  validOrigins: string[];
  createdBy: string;
  created: number;
  lastUpdated: number;
}

export interface CspOriginRecord {
  id: string;
  name: string;
  origin: string;
  directives: Record<string, boolean>;
  createdDate: number;
  modifiedDate: number;
}

export interface StoredFile {
  bytes: Uint8Array;
  contentType: string;
  /** sha256 hex of the bytes. */
  sha256: string;
  size: number;
}

export interface BrandRecord {
  id: string;
  name: string;
  description: string;
  active: boolean;
  files: Map<'logo' | 'favIcon' | 'styles', StoredFile>;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

/** An extension or a theme: metadata from the `data` part, the zip from the `file` part. */
export interface BundleRecord {
  id: string;
  name: string;
  qextFilename: string;
  metadata: Record<string, unknown>;
  file: StoredFile | undefined;
  userId: string;
  createdAt: number;
  updatedAt: number;
}

export interface DataFileRecord {
  id: string;
  name: string;
  spaceId: string | undefined;
  ownerId: string;
  appId: string | undefined;
  file: StoredFile;
  createdDate: number;
  modifiedDate: number;
}

/** A saved version of an app's script (apps.json `/apps/{appId}/scripts`). */
export interface ScriptVersionRecord {
  id: string;
  appId: string;
  script: string;
  versionMessage: string;
  modifierId: string;
  modifiedTime: number;
}

export interface ContentState {
  readonly tenantId: string;
  readonly spaces: Map<string, SpaceRecord>;
  readonly assignments: Map<string, AssignmentRecord>;
  readonly apps: Map<string, AppRecord>;
  readonly connections: Map<string, ConnectionRecord>;
  readonly credentials: Map<string, CredentialRecord>;
  readonly reloads: Map<string, ReloadRecord>;
  readonly reloadTasks: Map<string, ReloadTaskRecord>;
  readonly schedulingTasks: Map<string, SchedulingTaskRecord>;
  readonly taskRuns: Map<string, TaskRunRecord>;
  /** App imports per UTC day (`YYYY-MM-DD`), for the daily import quota. */
  readonly importsByDay: Map<string, number>;
  readonly automations: Map<string, AutomationRecord>;
  readonly automationRuns: Map<string, AutomationRunRecord>;
  readonly tempContents: Map<string, TempContentRecord>;
  readonly webIntegrations: Map<string, WebIntegrationRecord>;
  readonly cspOrigins: Map<string, CspOriginRecord>;
  readonly brands: Map<string, BrandRecord>;
  readonly extensions: Map<string, BundleRecord>;
  readonly themes: Map<string, BundleRecord>;
  readonly dataFiles: Map<string, DataFileRecord>;
  readonly scriptVersions: Map<string, ScriptVersionRecord>;
}

export function createContentState(tenantId: string): ContentState {
  return {
    tenantId,
    spaces: new Map(),
    assignments: new Map(),
    apps: new Map(),
    connections: new Map(),
    credentials: new Map(),
    reloads: new Map(),
    reloadTasks: new Map(),
    schedulingTasks: new Map(),
    taskRuns: new Map(),
    importsByDay: new Map(),
    automations: new Map(),
    automationRuns: new Map(),
    tempContents: new Map(),
    webIntegrations: new Map(),
    cspOrigins: new Map(),
    brands: new Map(),
    extensions: new Map(),
    themes: new Map(),
    dataFiles: new Map(),
    scriptVersions: new Map(),
  };
}

/** The part of sim-core's `TenantState` the content APIs rely on. */
export interface TenantSlot {
  readonly id: string;
  ext<T>(key: string, init: () => T): T;
  /** The state file's description of the tenant (spaces, apps, connections to start with). */
  readonly seed?: Record<string, unknown> | undefined;
  readonly created?: string;
  readonly users?: ReadonlyMap<string, { id: string }>;
}

const CONTENT_KEY = 'content';

/** The content state of a tenant, created (and seeded from the state file) on first use. */
export function contentOf(tenant: TenantSlot): ContentState {
  return tenant.ext(CONTENT_KEY, () => {
    const state = createContentState(tenant.id);
    if (tenant.seed) {
      const owner = tenant.users?.values().next().value?.id ?? 'system';
      const created = tenant.created ? Date.parse(tenant.created) : Number.NaN;
      seedContent(state, tenant.seed, owner, Number.isNaN(created) ? Date.now() : created);
    }
    return state;
  });
}
