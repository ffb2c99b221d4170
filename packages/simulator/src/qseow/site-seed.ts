// The state file's description of a QSEoW site's content (streams, apps with sizes and reload history, tasks,
// connections, extensions, users and their last use, stream security rules), loaded into the repository.
import { encodeQvf } from '../content/qvf.js';
import { NEVER } from './qrs-entities.js';
import { SERVICE_USER, type QseowState, type QrsCustomPropertyValue, type SimQrsRecord } from './state.js';

export interface QseowSiteSeed {
  customProperties?: Array<{ name: string; choiceValues?: string[]; objectTypes?: string[] }>;
  streams?: Array<{ id: string; name: string; customProperties?: Record<string, string> }>;
  users?: Array<{ id: string; userId: string; userDirectory: string; groups?: string[]; lastUsed?: string }>;
  dataConnections?: Array<{
    id: string;
    name: string;
    type: string;
    connectionstring: string;
    customProperties?: Record<string, string>;
  }>;
  extensions?: Array<{ id: string; name: string; type: 'visualization' | 'theme' }>;
  /** Security rules (Read on streams), e.g. `resource.@Customer=user.group`. */
  rules?: Array<{ id: string; name: string; resourceFilter: string; rule: string; actions?: number }>;
  apps?: Array<{
    id: string;
    name: string;
    streamId?: string;
    fileSize: number;
    /** The load script of the app's content (what distribution sends). */
    script?: string;
    ownerUserId?: string;
    customProperties?: Record<string, string>;
    /** App objects; `engineObjectType` names the visualization (a bundled chart or an extension). */
    objects?: Array<{ id: string; objectType: string; engineObjectType: string }>;
    /**
     * The app's theme: the `theme` of its app properties object (`appprops`) in the app file, which the
     * engine serves. Absent: no app properties object (the site's default theme).
     */
    theme?: string;
    /** Runs of the app's reload task, oldest first; no task when absent. */
    reloads?: Array<{ id: string; status: 'success' | 'fail'; at: string; log?: string }>;
    lastDataDistribution?: string;
  }>;
}

const STAMP = '2026-01-01T00:00:00.000Z';
const base = (id: string, schemaPath: string) => ({
  id,
  createdDate: STAMP,
  modifiedDate: STAMP,
  modifiedByUserName: 'INTERNAL\\sa_repository',
  schemaPath,
});

/**
 * The app properties object a Qlik Sense client keeps per app (Sense Client Objects, `appProperties`: its
 * `theme` names the app's theme). Whether QRS lists it among the app objects is unverified, so it lives in
 * the app file only.
 */
function appPropsObject(appId: string, theme: string) {
  const id = `AppProps-${appId.slice(-12)}`;
  return {
    id,
    type: 'appprops',
    kind: 'base' as const,
    properties: { qInfo: { qId: id, qType: 'appprops' }, qMetaDef: {}, theme },
  };
}

export function loadSiteSeed(state: QseowState, seed: QseowSiteSeed): void {
  const definitions = new Map<string, SimQrsRecord>();
  for (const [i, cp] of (seed.customProperties ?? []).entries()) {
    const id = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const record: SimQrsRecord = {
      ...base(id, 'CustomPropertyDefinition'),
      name: cp.name,
      valueType: 'Text',
      choiceValues: cp.choiceValues ?? [],
      objectTypes: cp.objectTypes ?? ['App', 'Stream', 'DataConnection'],
    };
    state.customPropertyDefinitions.set(id, record);
    definitions.set(cp.name.toLowerCase(), record);
  }
  const values = (owner: string, props: Record<string, string> | undefined): QrsCustomPropertyValue[] =>
    Object.entries(props ?? {}).map(([name, value], i) => {
      const def = definitions.get(name.toLowerCase());
      if (!def)
        throw new TypeError(`state file qseow.site: custom property "${name}" is not declared in customProperties`);
      return {
        id: `${String(i).padStart(8, '0')}${owner.slice(8)}`,
        value,
        definition: {
          id: def.id,
          name: String(def['name']),
          valueType: 'Text',
          choiceValues: def['choiceValues'] as string[],
        },
      };
    });
  const userRef = (userId: string | undefined) => {
    const user = (seed.users ?? []).find((u) => u.userId === userId);
    return user
      ? { id: user.id, userId: user.userId, userDirectory: user.userDirectory, name: user.userId }
      : { ...SERVICE_USER };
  };
  for (const s of seed.streams ?? [])
    state.streams.set(s.id, {
      ...base(s.id, 'Stream'),
      name: s.name,
      owner: { ...SERVICE_USER },
      customProperties: values(s.id, s.customProperties),
      tags: [],
    });
  for (const u of seed.users ?? []) {
    state.users.set(u.id, {
      ...base(u.id, 'User'),
      userId: u.userId,
      userDirectory: u.userDirectory,
      name: u.userId,
      attributes: (u.groups ?? []).map((g) => ({ attributeType: 'group', attributeValue: g })),
      customProperties: [],
      roles: [],
      inactive: false,
      removedExternally: false,
      blacklisted: false,
    });
    if (u.lastUsed)
      state.analyzerAccess.set(u.id, {
        ...base(u.id, 'LicenseAnalyzerAccessType'),
        user: userRef(u.userId),
        lastUsed: u.lastUsed,
      });
  }
  for (const c of seed.dataConnections ?? [])
    state.dataConnections.set(c.id, {
      ...base(c.id, 'DataConnection'),
      name: c.name,
      type: c.type,
      connectionstring: c.connectionstring,
      owner: { ...SERVICE_USER },
      customProperties: values(c.id, c.customProperties),
      tags: [],
    });
  for (const e of seed.extensions ?? []) {
    state.extensions.set(e.id, {
      ...base(e.id, 'Extension'),
      name: e.name,
      owner: { ...SERVICE_USER },
      whiteList: { libraryType: 1 },
      tags: [],
      customProperties: [],
    });
    state.extensionSchemas.set(e.name, { name: e.name, type: e.type, version: '1.0.0' });
  }
  for (const r of seed.rules ?? [])
    state.systemRules.set(r.id, {
      ...base(r.id, 'SystemRule'),
      name: r.name,
      category: 'Security',
      type: 'Custom',
      resourceFilter: r.resourceFilter,
      rule: r.rule,
      actions: r.actions ?? 2,
      disabled: false,
    });
  for (const a of seed.apps ?? []) {
    const stream = a.streamId ? state.streams.get(a.streamId) : undefined;
    if (a.streamId && !stream)
      throw new TypeError(`state file qseow.site: app "${a.name}" names unknown stream ${a.streamId}`);
    const reloads = a.reloads ?? [];
    const lastGood = [...reloads].reverse().find((r) => r.status === 'success');
    state.apps.set(a.id, {
      ...base(a.id, 'App'),
      schemaPath: 'App',
      name: a.name,
      appId: '',
      description: '',
      owner: userRef(a.ownerUserId),
      published: !!stream,
      publishTime: stream ? STAMP : NEVER,
      ...(stream ? { stream: { id: stream.id, name: String(stream['name']) } } : {}),
      customProperties: values(a.id, a.customProperties),
      tags: [],
      fileSize: a.fileSize,
      lastReloadTime: lastGood?.at ?? NEVER,
      ...(a.lastDataDistribution ? { lastDataDistribution: a.lastDataDistribution } : {}),
      sourceAppId: '00000000-0000-0000-0000-000000000000',
      targetAppId: '00000000-0000-0000-0000-000000000000',
    });
    const bytes = encodeQvf({
      name: a.name,
      description: '',
      script: a.script ?? 'LOAD 1 AS x;',
      properties: {},
      objects: a.theme ? [appPropsObject(a.id, a.theme)] : [],
      hasData: true,
    });
    state.appContent.set(a.id, { bytes: Buffer.from(bytes), version: 1 });
    for (const o of a.objects ?? [])
      state.appObjects.set(o.id, {
        ...base(o.id, 'AppObject'),
        name: o.objectType,
        objectType: o.objectType,
        engineObjectType: o.engineObjectType,
        engineObjectId: o.id.slice(0, 8),
        owner: userRef(a.ownerUserId),
        app: { id: a.id, name: a.name },
        published: true,
        approved: true,
      });
    if (reloads.length === 0) continue;
    // One reload task per app with a history, its id derived from the app's (the last 12 hex digits swapped).
    const taskId = `${a.id.slice(0, 24)}${[...a.id.slice(24)].reverse().join('')}`.replace(/^./, 'f');
    state.tasks.set(taskId, {
      ...base(taskId, 'ReloadTask'),
      name: `Reload ${a.name}`,
      taskType: 0,
      enabled: true,
      taskSessionTimeout: 1440,
      maxRetries: 0,
      app: { id: a.id, name: a.name },
      isManuallyTriggered: false,
      tags: [],
      customProperties: [],
    });
    for (const r of reloads) {
      const stop = new Date(Date.parse(r.at) + 60_000).toISOString();
      state.executions.set(r.id, {
        sessionId: r.id,
        resultId: r.id,
        taskId,
        appId: a.id,
        status: r.status === 'success' ? 7 : 8,
        startTime: r.at,
        stopTime: stop,
        ...(r.log !== undefined ? { scriptLog: r.log } : {}),
      });
    }
  }
}
