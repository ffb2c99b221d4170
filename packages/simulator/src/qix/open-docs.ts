import { DataModel } from '../engine/model/index.js';
import type { LoadedData } from '../engine/table.js';
import { liveObjects, type LiveObject } from './app-objects.js';
import type { QixBackend, QixPrincipal } from './types.js';

/**
 * An app loaded into the simulated engine. Like a real engine, it is shared by every session that has
 * it open: unsaved script edits are visible to them all, `DoSave` persists them, and the working copy
 * is dropped when the last session closes.
 */
export interface OpenDoc {
  readonly key: string;
  /** `undefined` for a session app. */
  readonly appId: string | undefined;
  readonly genericId: string;
  script: string;
  dirty: boolean;
  lastReloadTime: string | undefined;
  /** The tables of the app's last reload (saved or not); `model` is built from them when first needed. */
  data: LoadedData | undefined;
  model: DataModel | undefined;
  /** The app's stored generic objects (working copy; `DoSave` persists them). */
  readonly objects: Map<string, LiveObject>;
  /** Objects created in it are users' own (`kind: 'user'`). */
  readonly published: boolean;
  sessions: number;
}

export class OpenDocs {
  readonly #docs = new Map<string, OpenDoc>();

  constructor(private readonly backend: QixBackend) {}

  open(principal: QixPrincipal, appId: string): OpenDoc {
    const key = `${principal.tenant}\u0000${appId}`;
    let doc = this.#docs.get(key);
    if (!doc) {
      doc = {
        key,
        appId,
        genericId: appId,
        script: this.backend.getScript(principal, appId),
        dirty: false,
        lastReloadTime: undefined,
        data: this.backend.getData?.(principal, appId),
        model: undefined,
        objects: liveObjects(this.backend.getObjects(principal, appId), new Date().toISOString()),
        published: this.backend.getApp(principal, appId)?.published ?? false,
        sessions: 0,
      };
      this.#docs.set(key, doc);
    }
    doc.sessions += 1;
    return doc;
  }

  /** A session app lives only in the session that created it. */
  createSessionApp(sessionAppId: string): OpenDoc {
    return {
      key: sessionAppId,
      appId: undefined,
      genericId: sessionAppId,
      script: '',
      dirty: false,
      lastReloadTime: undefined,
      data: undefined,
      model: undefined,
      objects: new Map(),
      published: false,
      sessions: 1,
    };
  }

  release(doc: OpenDoc): void {
    doc.sessions -= 1;
    if (doc.sessions <= 0) this.#docs.delete(doc.key);
  }
}

/** No tables: the data of an app before its first reload, or opened without data. */
export const NO_DATA: LoadedData = { tables: [] };

/** The data model of an open app (empty before its first reload), built once per reload. */
export function modelOf(doc: OpenDoc): DataModel {
  return (doc.model ??= new DataModel(doc.data ?? NO_DATA));
}
