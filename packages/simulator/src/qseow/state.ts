import type { SampleSiteOptions } from './sample-site.js';
import type { QseowSiteSeed } from './site-seed.js';
import { randomBytes, randomUUID } from 'node:crypto';

/** How a virtual proxy authenticates: JWTs verified against the configured public key (RS256/ES256 PEM). */
export interface QseowVirtualProxyConfig {
  /** URL prefix without slashes, e.g. `jwt`. */
  prefix: string;
  /** SPKI PEM public key the JWTs are verified with. */
  jwtPublicKeyPem: string;
  /** Claims that carry the user (QSEoW's virtual proxy settings). Defaults: `userid`, `userdirectory`. */
  userIdClaim?: string;
  userDirectoryClaim?: string;
}

export interface QseowHostConfig {
  /** Hostname the simulator answers for, e.g. `qseow.partner.local`. */
  hostname: string;
  virtualProxies?: QseowVirtualProxyConfig[];
  /**
   * "Port 4242" (repository, trusted zone). Requests to `/qrs/...` without a proxy prefix are accepted with an
   * `X-Qlik-User` header when the TLS client certificate's SHA-256 fingerprint is listed here, or, because the
   * simulator usually runs over plain HTTP where no client certificate exists, when `trustRepositoryClients` is true.
   */
  trustedClientCertificateFingerprints?: string[];
  trustRepositoryClients?: boolean;
  /** Simulated ms between a trigger (publish, app update, reload) and the app landing in the tenant. Default 5000. */
  distributionDelayMs?: number;
  /** Simulated ms a started task runs before it finishes. Default 2000. */
  taskDurationMs?: number;
  /** The site's content: streams, apps, tasks, connections, extensions, users, rules (see `site-seed.ts`). */
  site?: QseowSiteSeed;
  /** A generated sample site (deterministic for a seed), e.g. `{ "appsPerCustomer": 60 }`; after `site`. */
  sampleSite?: SampleSiteOptions;
}

export interface QrsUserRef {
  id: string;
  userId: string;
  userDirectory: string;
  name: string;
}

export interface QrsCustomPropertyValue {
  id: string;
  value: string;
  definition: { id: string; name: string; valueType: string; choiceValues: string[] };
}

export interface SimQrsApp {
  id: string;
  createdDate: string;
  modifiedDate: string;
  modifiedByUserName: string;
  name: string;
  appId: string;
  description: string;
  owner: QrsUserRef;
  published: boolean;
  publishTime: string;
  stream?: { id: string; name: string };
  customProperties: QrsCustomPropertyValue[];
  tags: Array<{ id: string; name: string }>;
  fileSize: number;
  lastReloadTime: string;
  lastDataDistribution?: string;
  sourceAppId: string;
  targetAppId: string;
  schemaPath: 'App';
}

export interface SimQrsRecord {
  id: string;
  createdDate: string;
  modifiedDate: string;
  modifiedByUserName: string;
  [k: string]: unknown;
}

export interface SimDeployment {
  id: string;
  name: string;
  audience: string;
  serviceUrl: string;
  localBearerToken: boolean;
  /** The text of `elastictokenconfig`: what the tenant's multi-cloud IdP must hold. */
  token: string;
  createdDate: string;
}

export interface SimExecution {
  sessionId: string;
  resultId: string;
  taskId: string;
  appId: string | undefined;
  status: number;
  startTime: string;
  stopTime: string;
  /** The reload log text (the executed script statements), when the run wrote one. */
  scriptLog?: string;
}

/** The repository of one simulated QSEoW site. */
export interface QseowState {
  readonly config: Required<Pick<QseowHostConfig, 'hostname' | 'distributionDelayMs' | 'taskDurationMs'>> &
    QseowHostConfig;
  apps: Map<string, SimQrsApp>;
  /** App content (the QVF bytes) and a version bumped by every reload or replace: distribution sends data when it changed. */
  appContent: Map<string, { bytes: Buffer; version: number }>;
  streams: Map<string, SimQrsRecord>;
  customPropertyDefinitions: Map<string, SimQrsRecord>;
  systemRules: Map<string, SimQrsRecord>;
  tasks: Map<string, SimQrsRecord>;
  executions: Map<string, SimExecution>;
  exports: Map<string, { appId: string; fileName: string; bytes: Buffer; downloaded: boolean }>;
  deployments: Map<string, SimDeployment>;
  /** Outcome forced for the next run of a task (tests use it to simulate a failing reload). */
  taskOutcomes: Map<string, 'success' | 'fail'>;
  dataConnections: Map<string, SimQrsRecord>;
  /** Installed extensions and themes (`Extension` entities) and their `.qext` content by name (`/extension/schema`). */
  extensions: Map<string, SimQrsRecord>;
  extensionSchemas: Map<string, Record<string, unknown>>;
  /** Sheets, stories, master items (`AppObject` entities) of every app. */
  appObjects: Map<string, SimQrsRecord>;
  users: Map<string, SimQrsRecord>;
  /** Reload task schedules (`SchemaEvent` entities). */
  schemaEvents: Map<string, SimQrsRecord>;
  /** License allocations with the user's last use (`/license/professionalaccesstype`, `/license/analyzeraccesstype`). */
  professionalAccess: Map<string, SimQrsRecord>;
  analyzerAccess: Map<string, SimQrsRecord>;
  /** Script log download tickets (`/reloadtask/{id}/scriptlogfile`, then `/download/reloadtask/{ticket}/{file}`). */
  scriptLogTickets: Map<string, { fileName: string; text: string }>;
  /** Requests that asked the site to change something (anything but GETs and query POSTs), even when refused. */
  writes: number;
}

export const SERVICE_USER: QrsUserRef = {
  id: '00000000-0000-0000-0000-00000000a001',
  userId: 'sa_repository',
  userDirectory: 'INTERNAL',
  name: 'sa_repository',
};

export function createQseowState(config: QseowHostConfig): QseowState {
  if (!config.hostname || /[/:]/.test(config.hostname))
    throw new TypeError(`QSEoW hostname must be a bare hostname, got "${config.hostname}"`);
  for (const vp of config.virtualProxies ?? []) {
    if (!/^[A-Za-z0-9_-]+$/.test(vp.prefix))
      throw new TypeError(`virtual proxy prefix must be a single path segment, got "${vp.prefix}"`);
  }
  return {
    config: { distributionDelayMs: 5_000, taskDurationMs: 2_000, ...config, hostname: config.hostname.toLowerCase() },
    apps: new Map(),
    appContent: new Map(),
    streams: new Map(),
    customPropertyDefinitions: new Map(),
    systemRules: new Map(),
    tasks: new Map(),
    executions: new Map(),
    exports: new Map(),
    deployments: new Map(),
    taskOutcomes: new Map(),
    dataConnections: new Map(),
    extensions: new Map(),
    extensionSchemas: new Map(),
    appObjects: new Map(),
    users: new Map(),
    schemaEvents: new Map(),
    professionalAccess: new Map(),
    analyzerAccess: new Map(),
    scriptLogTickets: new Map(),
    writes: 0,
  };
}

/** A deployment's local bearer token: opaque base64 text, unique per deployment, as QSEoW's "Qlik Cloud format". */
export function newDeploymentToken(hostname: string, deploymentId: string): string {
  return Buffer.from(
    JSON.stringify({ issuer: hostname, deployment: deploymentId, key: randomBytes(24).toString('base64url') }),
  ).toString('base64');
}

export const newId = (): string => randomUUID();
