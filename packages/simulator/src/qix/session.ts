import { randomUUID } from 'node:crypto';
import { QixErrorCode, QixBackendError } from './errors.js';
import { AppObjects, storedObjects, type LiveObject } from './app-objects.js';
import { methodSpec, type HandleType } from './method-specs.js';
import { DataModel, reduceForUser, Selections } from '../engine/model/index.js';
import type { LoadedData } from '../engine/table.js';
import { dataEvaluators, docDataMethod, fieldMethod, objectDataMethod, type DataContext } from './data-methods.js';
import { docObjectMethod, genericObjectMethod, type ObjectContext } from './object-methods.js';
import { NO_DATA, modelOf, type OpenDoc, type OpenDocs } from './open-docs.js';
import { bindParams } from './params.js';
import { EMPTY_PROGRESS, ReloadProgress } from './reload-progress.js';
import {
  type QixBackend,
  type QixConnectionInput,
  type QixConnectionRecord,
  type QixPrincipal,
  type QixReloadResult,
} from './types.js';

export interface QixSessionOptions {
  readonly backend: QixBackend;
  readonly docs: OpenDocs;
  readonly principal: QixPrincipal;
  /** The app named in the socket URL; `undefined` for `/app/engineData`. */
  readonly urlAppId: string | undefined;
  readonly reloadDurationMs: number;
  /** Waits simulated time; rejects when the signal aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly engineVersion: string;
  readonly send: (frame: Record<string, unknown>) => void;
}

interface HandlerResult {
  readonly result: Record<string, unknown>;
  readonly change?: number[];
  readonly close?: number[];
}

interface DocHandle {
  readonly handle: number;
  readonly doc: OpenDoc;
}

/** One engine session (one socket): a handle table and the JSON-RPC methods on Global and Doc. */
export class QixSession {
  readonly #options: QixSessionOptions;
  #nextHandle = 1;
  #activeDoc: DocHandle | undefined;
  readonly #reloads = new Map<number, ReloadProgress>();
  #runningReload: { readonly controller: AbortController; readonly progress: ReloadProgress } | undefined;
  #closed = false;
  /** Generic object handles: object id → handle, and back. */
  readonly #objectHandles = new Map<string, number>();
  readonly #handleObjects = new Map<number, LiveObject>();
  #objects: ObjectContext | undefined;
  /** Field handles: field name → handle, and back. */
  readonly #fieldHandles = new Map<string, number>();
  readonly #handleFields = new Map<number, string>();
  /** This session's selections, over the model of the open app's current data. */
  #selections: Selections | undefined;
  /**
   * The app was opened without its data (`OpenDoc` `qNoData`; @qlik/api's `openAppSession({ withoutData })`):
   * "the objects in the app are present but contain no data. The script can be edited and reloaded"
   * (help.qlik.com, Qlik Engine .NET SDK `IHub.OpenApp` noData). A reload in this session loads data
   * (registry: engine-open-without-data).
   */
  #withoutData = false;
  #empty: DataModel | undefined;
  /** The model reduced by section access for this session's user, for the data it was reduced from. */
  #reduced: { readonly source: LoadedData; readonly model: DataModel } | undefined;
  readonly #data: DataContext = {
    selections: () => {
      const doc = this.#activeDoc?.doc;
      if (!doc) throw new QixBackendError(QixErrorCode.APP_NOT_OPEN, 'App not open');
      const model = this.#modelOf(doc);
      if (this.#selections?.model !== model) this.#selections = new Selections(model);
      return this.#selections;
    },
    invalidated: () => [
      ...(this.#activeDoc ? [this.#activeDoc.handle] : []),
      ...this.#handleObjects.keys(),
      ...this.#handleFields.keys(),
    ],
    fieldHandle: (name) => {
      let handle = this.#fieldHandles.get(name);
      if (handle === undefined) {
        handle = this.#nextHandle++;
        this.#fieldHandles.set(name, handle);
        this.#handleFields.set(handle, name);
      }
      return handle;
    },
  };

  constructor(options: QixSessionOptions) {
    this.#options = options;
  }

  /**
   * The model this session's user sees: the app's, or with section access the app's reduced for the
   * user at open (USERID = subject, GROUP = groups). A user section access refuses gets Access denied.
   */
  #modelOf(doc: OpenDoc): DataModel {
    if (this.#withoutData) return (this.#empty ??= new DataModel(NO_DATA));
    const data = doc.data;
    if (!data?.sectionAccess?.length) return modelOf(doc);
    if (this.#reduced?.source !== data) {
      const { principal } = this.#options;
      const access = reduceForUser(data, {
        subject: principal.subject ?? principal.userId,
        groups: principal.groups ?? [],
      });
      if (!access.ok) throw new QixBackendError(QixErrorCode.ACCESS_DENIED, 'Access denied', doc.genericId);
      this.#reduced = { source: data, model: new DataModel(access.data) };
    }
    return this.#reduced.model;
  }

  /** Answers one client frame. Frames are served concurrently, so GetProgress works during DoReload. */
  async receive(raw: string): Promise<void> {
    let request: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      request = parsed as Record<string, unknown>;
    } catch {
      this.#reply({
        jsonrpc: '2.0',
        id: null,
        error: { code: QixErrorCode.JSON_RPC_PARSE_ERROR, parameter: '', message: 'Parse error' },
      });
      return;
    }
    const id = request.id;
    if (typeof id !== 'number' && typeof id !== 'string') return; // a notification: nothing to answer
    try {
      if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || typeof request.handle !== 'number') {
        throw new QixBackendError(QixErrorCode.JSON_RPC_INVALID_REQUEST, 'Invalid Request');
      }
      const { result, change, close } = await this.#dispatch(request.handle, request.method, request.params, id);
      this.#reply({
        jsonrpc: '2.0',
        id,
        result,
        ...(change && change.length > 0 ? { change } : {}),
        ...(close && close.length > 0 ? { close } : {}),
      });
    } catch (error) {
      this.#reply({ jsonrpc: '2.0', id, error: toErrorBody(error) });
    }
  }

  /** Ends the session: stops a running reload and releases the open app. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#runningReload?.controller.abort();
    if (this.#activeDoc) this.#options.docs.release(this.#activeDoc.doc);
    this.#activeDoc = undefined;
  }

  #reply(frame: Record<string, unknown>): void {
    if (!this.#closed) this.#options.send(frame);
  }

  async #dispatch(handle: number, method: string, params: unknown, requestId: number | string): Promise<HandlerResult> {
    const object = this.#handleObjects.get(handle);
    const field = this.#handleFields.get(handle);
    const type: HandleType | undefined =
      handle === -1
        ? 'Global'
        : handle === this.#activeDoc?.handle
          ? 'Doc'
          : object
            ? 'GenericObject'
            : field !== undefined
              ? 'Field'
              : undefined;
    if (!type)
      throw new QixBackendError(QixErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid handle: ${handle}`, String(handle));
    const spec = methodSpec(type, method);
    if (!spec) throw new QixBackendError(QixErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'Method not found', method);
    const args = bindParams(method, spec.params, params);
    if (type === 'Global') return this.#global(method, args);
    if (field !== undefined) {
      const answered = fieldMethod(this.#data, field, method, args);
      if (!answered) throw new QixBackendError(QixErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'Method not found', method);
      return answered;
    }
    if (object && this.#objects) {
      const answered =
        genericObjectMethod(this.#objects, object, method, args) ?? objectDataMethod(this.#data, object, method, args);
      if (!answered) throw new QixBackendError(QixErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'Method not found', method);
      return answered;
    }
    if (this.#objects) {
      const answered = docObjectMethod(this.#objects, method, args) ?? docDataMethod(this.#data, method, args);
      if (answered) return answered;
    }
    return this.#doc(
      this.#activeDoc as DocHandle,
      method,
      args,
      typeof requestId === 'number' ? requestId : Number(requestId),
    );
  }

  #global(method: string, args: Record<string, unknown>): HandlerResult {
    const { backend, principal } = this.#options;
    switch (method) {
      case 'EngineVersion':
        return { result: { qVersion: { qComponentVersion: this.#options.engineVersion } } };
      case 'OpenDoc': {
        const appId = args.qDocName as string;
        if (this.#activeDoc) throw new QixBackendError(QixErrorCode.APP_ALREADY_OPEN, 'App already open', appId);
        if (this.#options.urlAppId !== undefined && this.#options.urlAppId !== appId) {
          throw new QixBackendError(QixErrorCode.APP_NOT_FOUND, 'App not found', appId);
        }
        if (!appId || !backend.getApp(principal, appId))
          throw new QixBackendError(QixErrorCode.APP_NOT_FOUND, 'App not found', appId);
        if (backend.mayOpen?.(principal, appId) === false)
          throw new QixBackendError(QixErrorCode.ACCESS_DENIED, 'Access denied', appId);
        const doc = this.#options.docs.open(principal, appId);
        this.#withoutData = args.qNoData === true;
        try {
          this.#modelOf(doc);
        } catch (error) {
          this.#options.docs.release(doc);
          throw error;
        }
        return { result: { qReturn: this.#attach(doc) } };
      }
      case 'GetActiveDoc': {
        if (!this.#activeDoc) throw new QixBackendError(QixErrorCode.APP_NOT_OPEN, 'App not open');
        return { result: { qReturn: objectInterface(this.#activeDoc) } };
      }
      case 'CreateSessionApp': {
        if (this.#activeDoc) throw new QixBackendError(QixErrorCode.APP_ALREADY_OPEN, 'App already open');
        const doc = this.#options.docs.createSessionApp(`SessionApp_${randomUUID()}`);
        return { result: { qReturn: this.#attach(doc), qSessionAppId: doc.genericId } };
      }
      case 'GetProgress': {
        const requestId = args.qRequestId as number;
        const progress = requestId === 0 ? this.#runningReload?.progress : this.#reloads.get(requestId);
        return { result: { qProgressData: progress ? progress.toProgressData() : EMPTY_PROGRESS } };
      }
      case 'CancelReload':
        this.#runningReload?.controller.abort();
        return { result: {} };
      case 'GetAuthenticatedUser':
        return { result: { qReturn: authenticatedUser(principal.userId) } };
      default:
        throw new QixBackendError(QixErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'Method not found', method);
    }
  }

  /** Makes a new session app the active doc (for sockets opened on `/app/SessionApp_<id>`). */
  openSessionApp(sessionAppId: string): void {
    if (!this.#activeDoc) this.#attach(this.#options.docs.createSessionApp(sessionAppId));
  }

  #attach(doc: OpenDoc): Record<string, unknown> {
    this.#activeDoc = { handle: this.#nextHandle++, doc };
    const objects = new AppObjects(doc.objects, this.#options.principal.userId);
    this.#objects = {
      objects,
      kind: doc.published ? 'user' : 'base',
      layout: { objects, evaluators: dataEvaluators(this.#data) },
      handleOf: (object) => {
        let handle = this.#objectHandles.get(object.id);
        if (handle === undefined) {
          handle = this.#nextHandle++;
          this.#objectHandles.set(object.id, handle);
          this.#handleObjects.set(handle, object);
        }
        return handle;
      },
      closeHandles: (ids) =>
        ids.flatMap((id) => {
          const handle = this.#objectHandles.get(id);
          if (handle === undefined) return [];
          this.#objectHandles.delete(id);
          this.#handleObjects.delete(handle);
          return [handle];
        }),
      now: () => new Date().toISOString(),
    };
    return objectInterface(this.#activeDoc);
  }

  async #doc(
    target: DocHandle,
    method: string,
    args: Record<string, unknown>,
    requestId: number,
  ): Promise<HandlerResult> {
    const { backend, principal } = this.#options;
    const { doc, handle } = target;
    const changed = { change: [handle] };
    switch (method) {
      case 'GetScript':
        return { result: { qScript: doc.script } };
      case 'SetScript':
        doc.script = args.qScript as string;
        doc.dirty = true;
        return { result: {}, ...changed };
      case 'DoSave':
        if (doc.appId === undefined)
          throw new QixBackendError(QixErrorCode.APP_SAVE_FAILED, 'A session app cannot be saved');
        backend.setScript(principal, doc.appId, doc.script);
        backend.setObjects(principal, doc.appId, storedObjects(doc.objects));
        if (doc.data) backend.setData?.(principal, doc.appId, doc.data);
        if (doc.lastReloadTime) backend.setProperties(principal, doc.appId, { qLastReloadTime: doc.lastReloadTime });
        doc.dirty = false;
        return { result: {} };
      case 'DoReload': {
        const outcome = await this.#reload(doc, requestId);
        return { result: { qReturn: outcome.success }, ...changed };
      }
      case 'DoReloadEx': {
        const outcome = await this.#reload(doc, requestId);
        const reloadId = (args.qParams as { qReloadId?: unknown }).qReloadId;
        const logName = typeof reloadId === 'string' && reloadId !== '' ? reloadId : String(requestId);
        return {
          result: {
            qResult: {
              qSuccess: outcome.success,
              qScriptLogFile: `/qlik/log/script/${doc.genericId}.${logName}.log`,
              qEndedWithMemoryConstraint: false,
              ...(outcome.success
                ? {}
                : {
                    qFailureData: {
                      qErrors: outcome.errors.map((error) => ({
                        qError: error.message,
                        qDescription: error.message,
                        qLine: error.statement ?? '',
                        qLineNumber: error.line ?? 0,
                        qCode: 0,
                      })),
                    },
                  }),
            },
          },
          ...changed,
        };
      }
      case 'GetConnections':
        return {
          result: {
            qConnections: backend.listConnections(principal, doc.appId).map(toQixConnection),
          },
        };
      case 'GetConnection': {
        const id = args.qConnectionId as string;
        const found = backend.listConnections(principal, doc.appId).find((connection) => connection.id === id);
        if (!found) throw new QixBackendError(QixErrorCode.CONNECTION_NOT_FOUND, 'Connection not found', id);
        return { result: { qConnection: toQixConnection(found) } };
      }
      case 'CreateConnection': {
        const input = connectionInput(args.qConnection);
        const created = backend.createConnection(principal, doc.appId, input);
        return { result: { qConnectionId: created.id } };
      }
      case 'ModifyConnection': {
        const id = args.qConnectionId as string;
        const input = connectionInput(args.qConnection);
        backend.modifyConnection(principal, doc.appId, id, input);
        return { result: {} };
      }
      case 'DeleteConnection': {
        const id = args.qConnectionId as string;
        backend.deleteConnection(principal, doc.appId, id);
        return { result: {} };
      }
      case 'GetAppProperties': {
        const stored = doc.appId === undefined ? {} : backend.getProperties(principal, doc.appId);
        const qLastReloadTime = doc.lastReloadTime ?? (stored.qLastReloadTime as string | undefined) ?? '';
        return { result: { qProp: { qTitle: doc.genericId, ...stored, qLastReloadTime } } };
      }
      case 'SetAppProperties': {
        if (doc.appId !== undefined) backend.setProperties(principal, doc.appId, args.qProp as Record<string, unknown>);
        return { result: {}, ...changed };
      }
      case 'GetAppLayout': {
        const stored = doc.appId === undefined ? {} : backend.getProperties(principal, doc.appId);
        return { result: { qLayout: appLayout(doc, stored, this.#withoutData) } };
      }
      case 'GetAllInfos':
        return {
          result: {
            qInfos: [
              { qId: doc.genericId, qType: 'app' },
              ...(this.#objects?.objects.all() ?? [])
                .filter((object) => !object.session)
                .map((object) => ({ qId: object.id, qType: object.type })),
            ],
          },
        };
      default:
        throw new QixBackendError(QixErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'Method not found', method);
    }
  }

  /** Runs a reload in simulated time; `CancelReload` or the socket closing stops it. */
  async #reload(doc: OpenDoc, requestId: number): Promise<QixReloadResult> {
    if (this.#runningReload)
      throw new QixBackendError(QixErrorCode.ACCESS_DENIED, 'A reload is already running in this session');
    const progress = new ReloadProgress();
    const controller = new AbortController();
    this.#reloads.set(requestId, progress);
    this.#runningReload = { controller, progress };
    progress.log(`Started loading data`);
    try {
      await this.#options.sleep(this.#options.reloadDurationMs, controller.signal);
      const outcome = await this.#options.backend.reload(this.#options.principal, doc.appId, doc.script);
      if (controller.signal.aborted) return aborted(progress);
      progress.log(...outcome.log);
      progress.errors = outcome.errors;
      if (outcome.success) {
        doc.lastReloadTime = new Date().toISOString();
        // The reload loaded data into this session too.
        this.#withoutData = false;
        if (outcome.data) {
          // The new data replaces the model; every session's selections start over on it.
          doc.data = outcome.data;
          doc.model = undefined;
        }
      }
      progress.finished = true;
      return outcome;
    } catch (error) {
      if (controller.signal.aborted) return aborted(progress);
      throw error;
    } finally {
      this.#runningReload = undefined;
    }
  }
}

function aborted(progress: ReloadProgress): QixReloadResult {
  const message = 'Reload was aborted by the user (CancelReload)';
  progress.log(message);
  progress.errors = [{ message }];
  progress.finished = true;
  return { success: false, log: [message], errors: progress.errors };
}

/** QSEoW answers `UserDirectory=<dir>; UserId=<id>`; Qlik Cloud users have no directory (registry: engine-cloud-user-no-directory). */
function authenticatedUser(userId: string): string {
  const [directory, id] = userId.includes('\\') ? userId.split('\\', 2) : ['', userId];
  return `UserDirectory=${directory}; UserId=${id}`;
}

/** `NxAppLayout`: the app's properties plus what the engine knows about the open app. */
function appLayout(doc: OpenDoc, stored: Record<string, unknown>, withoutData: boolean): Record<string, unknown> {
  const { qTitle, qLastReloadTime, qThumbnail, ...custom } = stored;
  return {
    ...custom,
    qTitle: typeof qTitle === 'string' && qTitle !== '' ? qTitle : doc.genericId,
    qFileName: doc.genericId,
    qLastReloadTime: doc.lastReloadTime ?? (typeof qLastReloadTime === 'string' ? qLastReloadTime : ''),
    qModified: doc.dirty,
    qHasScript: doc.script.trim() !== '',
    qStateNames: [],
    qMeta: { privileges: ['read', 'update', 'delete', 'reload', 'export', 'exportdata', 'publish', 'duplicate'] },
    qLocaleInfo: LOCALE_INFO,
    qHasData: (doc.lastReloadTime ?? qLastReloadTime ?? '') !== '',
    qReadOnly: false,
    qIsOpenedWithoutData: withoutData,
    qIsSessionApp: doc.appId === undefined,
    qProhibitBinaryLoad: false,
    qThumbnail: qThumbnail ?? { qUrl: '' },
    qIsBDILiveMode: false,
    qUnsupportedFeatures: [],
    qUsage: 'ANALYTICS',
  };
}

/** The engine's defaults when a script sets no number or date formats (en-US). */
const LOCALE_INFO = {
  qDecimalSep: '.',
  qThousandSep: ',',
  qListSep: ',',
  qMoneyDecimalSep: '.',
  qMoneyThousandSep: ',',
  qCurrentYear: new Date().getUTCFullYear(),
  qMoneyFmt: '$#,##0.00;-$#,##0.00',
  qTimeFmt: 'h:mm:ss TT',
  qDateFmt: 'M/D/YYYY',
  qTimestampFmt: 'M/D/YYYY h:mm:ss[.fff] TT',
  qCalendarStrings: {
    qDayNames: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    qMonthNames: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    qLongDayNames: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    qLongMonthNames: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
  },
  qFirstWeekDay: 6,
  qBrokenWeeks: true,
  qReferenceDay: 0,
  qFirstMonthOfYear: 1,
  qCollation: 'en-US',
  qNumericalAbbreviation: '3:k;6:M;9:G;12:T;15:P;18:E;21:Z;24:Y;-3:m;-6:μ;-9:n;-12:p;-15:f;-18:a;-21:z;-24:y',
};

function objectInterface({ handle, doc }: DocHandle): Record<string, unknown> {
  return { qType: 'Doc', qHandle: handle, qGenericType: '', qGenericId: doc.genericId };
}

/** The QIX `Connection` shape; the engine never returns user names or passwords. */
function toQixConnection(connection: QixConnectionRecord): Record<string, unknown> {
  return {
    qId: connection.id,
    qName: connection.name,
    qConnectionString: connection.connectionString,
    qType: connection.type,
    qModifiedDate: connection.modifiedDate,
    qMeta: { qName: connection.name },
    qLogOn: connection.logOn ?? 'LOG_ON_SERVICE_USER',
  };
}

function connectionInput(value: unknown): QixConnectionInput {
  const connection = value as Record<string, unknown>;
  const name = connection.qName;
  const connectionString = connection.qConnectionString;
  if (typeof name !== 'string' || name === '' || /[<>:"/\\|?*]/.test(name) || name.length > 256) {
    throw new QixBackendError(
      QixErrorCode.CONNECTION_NAME_IS_INVALID,
      'Connection name is invalid',
      typeof name === 'string' ? name : '',
    );
  }
  if (typeof connectionString !== 'string' || connectionString === '') {
    throw new QixBackendError(
      QixErrorCode.JSON_RPC_INVALID_PARAMETERS,
      'qConnectionString is required',
      'qConnectionString',
    );
  }
  const type = typeof connection.qType === 'string' ? connection.qType : '';
  return {
    name,
    connectionString,
    type,
    ...(typeof connection.qUserName === 'string' && connection.qUserName !== ''
      ? { userName: connection.qUserName }
      : {}),
    ...(typeof connection.qPassword === 'string' && connection.qPassword !== ''
      ? { password: connection.qPassword }
      : {}),
  };
}

function toErrorBody(error: unknown): Record<string, unknown> {
  if (error instanceof QixBackendError) {
    return { code: error.code, parameter: error.parameter, message: error.message };
  }
  return { code: QixErrorCode.JSON_RPC_INTERNAL_ERROR, parameter: '', message: 'Internal error' };
}
