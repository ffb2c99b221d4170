import type { LoadedData } from '../engine/table.js';
import type { IncomingMessage } from 'node:http';

/** Who opened an engine socket, as the simulator's REST side would see the same request. */
export interface QixPrincipal {
  readonly tenant: string;
  readonly userId: string;
  /** `qseow` principals get QSEoW proxy behaviour (5 parallel sessions, proxy notifications). */
  readonly flavor?: 'cloud' | 'qseow';
  /** The user's subject (Qlik Cloud: the IdP subject) for section access USERID; default `userId`. */
  readonly subject?: string;
  /** The user's group names (the JWT `groups` claim) for section access GROUP. */
  readonly groups?: readonly string[];
}

export type QixAuthResult =
  | { readonly ok: true; readonly principal: QixPrincipal }
  | { readonly ok: false; readonly status: 401 | 403 | 404; readonly message: string };

/** A data connection as the backend stores it; the engine maps it to the QIX `Connection` shape. */
export interface QixConnectionRecord {
  readonly id: string;
  readonly name: string;
  readonly connectionString: string;
  readonly type: string;
  readonly modifiedDate: string;
  readonly logOn?: 'LOG_ON_SERVICE_USER' | 'LOG_ON_CURRENT_USER';
}

export interface QixConnectionInput {
  readonly name: string;
  readonly connectionString: string;
  readonly type: string;
  readonly userName?: string;
  readonly password?: string;
}

export interface QixReloadResult {
  readonly success: boolean;
  /** Script log lines, in order. */
  readonly log: readonly string[];
  /** Script errors (empty when `success`). */
  readonly errors: readonly { readonly message: string; readonly line?: number; readonly statement?: string }[];
  /** The tables a successful reload loaded (the load-script interpreter's result); absent without one. */
  readonly data?: LoadedData;
}

/**
 * A generic object the app stores (a sheet, a chart...): what `CreateObject`/`SetProperties` made and
 * `DoSave` persisted. `user` objects are end users' own (made on a published app), seen only by `ownerId`.
 */
export interface QixStoredObject {
  readonly id: string;
  /** `qInfo.qType`. */
  readonly type: string;
  properties: Record<string, unknown>;
  readonly parentId?: string;
  readonly ownerId?: string;
  readonly kind: 'base' | 'user';
}

/** Thrown by a backend to answer a call with a QIX error frame (the engine's one QIX error). */
export { QixBackendError } from './errors.js';

/**
 * The state the QIX engine works on. The simulator implements it over its content store (`backend.ts`),
 * so the engine and the REST API see the same apps, scripts and connections; tests can supply their own.
 * `appId` is `undefined` for session apps.
 */
export interface QixBackend {
  /** Authenticates the upgrade request (may be async, e.g. to verify a JWT). */
  authenticate(request: IncomingMessage): QixAuthResult | Promise<QixAuthResult>;
  /**
   * The app if it exists and `principal` may open it. Objects created on a `published` app are the
   * creating user's own (`kind: 'user'`).
   */
  getApp(
    principal: QixPrincipal,
    appId: string,
  ): { readonly id: string; readonly name: string; readonly published?: boolean } | undefined;
  /**
   * Whether `principal` may open the existing app (space roles); absent: always. A refusal closes the
   * socket with 4203 or answers OpenDoc with an access-denied error.
   */
  mayOpen?(principal: QixPrincipal, appId: string): boolean;
  getScript(principal: QixPrincipal, appId: string): string;
  /** Persists the script (the engine calls it on `DoSave`). */
  setScript(principal: QixPrincipal, appId: string, script: string): void;
  /** The app's stored generic objects. */
  getObjects(principal: QixPrincipal, appId: string): readonly QixStoredObject[];
  /** Replaces the app's stored generic objects (the engine calls it on `DoSave`). */
  setObjects(principal: QixPrincipal, appId: string, objects: readonly QixStoredObject[]): void;
  /** The app's data as its last saved reload left it (undefined: an app without data). */
  getData?(principal: QixPrincipal, appId: string): LoadedData | undefined;
  /** Persists the data of the engine's last reload with the app (the engine calls it on `DoSave`). */
  setData?(principal: QixPrincipal, appId: string, data: LoadedData): void;
  getProperties(principal: QixPrincipal, appId: string): Record<string, unknown>;
  setProperties(principal: QixPrincipal, appId: string, properties: Record<string, unknown>): void;
  listConnections(principal: QixPrincipal, appId: string | undefined): readonly QixConnectionRecord[];
  createConnection(principal: QixPrincipal, appId: string | undefined, input: QixConnectionInput): QixConnectionRecord;
  modifyConnection(principal: QixPrincipal, appId: string | undefined, id: string, input: QixConnectionInput): void;
  deleteConnection(principal: QixPrincipal, appId: string | undefined, id: string): void;
  /** Runs `script` for the app: succeeds only if every `LIB CONNECT TO` names a visible connection. */
  reload(
    principal: QixPrincipal,
    appId: string | undefined,
    script: string,
  ): Promise<QixReloadResult> | QixReloadResult;
}
