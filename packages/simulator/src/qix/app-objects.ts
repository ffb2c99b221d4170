import { randomBytes } from 'node:crypto';
import { QixErrorCode, QixBackendError } from './errors.js';
import type { QixStoredObject } from './types.js';

/** A generic object in the engine: stored ones belong to the app, session ones to one session. */
export interface LiveObject extends QixStoredObject {
  readonly session: boolean;
  createdDate: string;
  modifiedDate: string;
}

/**
 * The generic objects of an open app: the app's stored objects (shared by every session that has
 * the app open; `DoSave` persists them) plus one session's session objects. Users' own objects
 * (`kind: 'user'`) are visible only to their owner.
 */
export class AppObjects {
  readonly #sessionObjects = new Map<string, LiveObject>();

  constructor(
    /** The app's stored objects (the open doc's working copy). */
    private readonly stored: Map<string, LiveObject>,
    private readonly userId: string,
  ) {}

  get(id: string): LiveObject | undefined {
    const object = this.#sessionObjects.get(id) ?? this.stored.get(id);
    return object && this.#visible(object) ? object : undefined;
  }

  /** Every visible object (stored first, then session objects). */
  all(): LiveObject[] {
    return [...this.stored.values(), ...this.#sessionObjects.values()].filter((object) => this.#visible(object));
  }

  children(parentId: string): LiveObject[] {
    return this.all().filter((object) => object.parentId === parentId);
  }

  /**
   * Creates an object from `qProp`; an empty `qInfo.qId` gets a generated id. `kind: 'user'` marks an
   * end user's own object (created on a published app).
   */
  create(
    properties: Record<string, unknown>,
    options: { session: boolean; kind: 'base' | 'user'; parentId?: string; now: string },
  ): LiveObject {
    const info = (properties.qInfo ?? {}) as { qId?: unknown; qType?: unknown };
    const type = typeof info.qType === 'string' ? info.qType : '';
    if (type === '') throw new QixBackendError(QixErrorCode.INVALID_PARAMETERS, 'qInfo.qType is required', 'qInfo');
    const id = typeof info.qId === 'string' && info.qId !== '' ? info.qId : newObjectId();
    if (this.#sessionObjects.has(id) || this.stored.has(id))
      throw new QixBackendError(QixErrorCode.ALREADY_EXISTS, 'Object already exists', id);
    const object: LiveObject = {
      id,
      type,
      properties: { ...structuredClone(properties), qInfo: { qId: id, qType: type } },
      kind: options.kind,
      ...(options.parentId !== undefined ? { parentId: options.parentId } : {}),
      ...(options.kind === 'user' ? { ownerId: this.userId } : {}),
      session: options.session,
      createdDate: options.now,
      modifiedDate: options.now,
    };
    (options.session ? this.#sessionObjects : this.stored).set(id, object);
    return object;
  }

  /** Replaces the properties; `qInfo` keeps the object's id and type. */
  setProperties(object: LiveObject, properties: Record<string, unknown>, now: string): void {
    object.properties = { ...structuredClone(properties), qInfo: { qId: object.id, qType: object.type } };
    object.modifiedDate = now;
  }

  /** Destroys the object and its children; returns the ids destroyed (empty when it did not exist). */
  destroy(id: string, session: boolean): string[] {
    const object = this.get(id);
    if (!object || object.session !== session) return [];
    const destroyed = [id, ...this.children(id).flatMap((child) => this.destroy(child.id, child.session))];
    (session ? this.#sessionObjects : this.stored).delete(id);
    return destroyed;
  }

  #visible(object: LiveObject): boolean {
    return object.kind === 'base' || object.ownerId === this.userId;
  }
}

/** The app's stored objects as the engine keeps them while the app is open. */
export function liveObjects(stored: readonly QixStoredObject[], now: string): Map<string, LiveObject> {
  return new Map(
    stored.map((object) => [
      object.id,
      { ...structuredClone(object), session: false, createdDate: now, modifiedDate: now } satisfies LiveObject,
    ]),
  );
}

/** What `DoSave` writes back: the stored objects without the engine's bookkeeping. */
export function storedObjects(live: Map<string, LiveObject>): QixStoredObject[] {
  return [...live.values()].map(({ id, type, properties, parentId, ownerId, kind }) => ({
    id,
    type,
    properties: structuredClone(properties),
    kind,
    ...(parentId !== undefined ? { parentId } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
  }));
}

/** Object ids like the engine's: short random strings of letters and digits. */
function newObjectId(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(7)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
