import type { QseowState, QrsCustomPropertyValue, SimQrsApp, SimQrsRecord } from './state.js';
import { newId } from './state.js';
import { wireText } from '../http/wire-text.js';

/** QRS's "not published" sentinel date (App-Upload docs). */
export const NEVER = '1753-01-01T00:00:00.000Z';

export class QrsRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new QrsRequestError(400, `${what}: the body must be a JSON object`);
  return body as Record<string, unknown>;
}

/** QRS optimistic concurrency: the PUT must carry the stored `modifiedDate`; an older or missing one is a 409. */
export function checkModifiedDate(stored: { modifiedDate: string }, body: Record<string, unknown>, what: string): void {
  const sent = body['modifiedDate'];
  if (
    typeof sent !== 'string' ||
    Date.parse(sent) < Date.parse(stored.modifiedDate) ||
    Number.isNaN(Date.parse(sent))
  ) {
    throw new QrsRequestError(
      409,
      `${what}: the entity was modified since ${wireText(sent, 'no modifiedDate')} (stored ${stored.modifiedDate})`,
    );
  }
}

/** A modifiedDate strictly after the previous one even when the simulated clock has not moved. */
export function nextModifiedDate(previous: string | undefined, now: number): string {
  const prev = previous ? Date.parse(previous) : 0;
  return new Date(Math.max(now, prev + 1)).toISOString();
}

export function resolveCustomProperties(state: QseowState, raw: unknown, objectType: string): QrsCustomPropertyValue[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new QrsRequestError(400, 'customProperties must be an array');
  return raw.map((item) => {
    const value = requireObject(item, 'customProperties[]');
    const defRef = requireObject(value['definition'], 'customProperties[].definition');
    const def = typeof defRef['id'] === 'string' ? state.customPropertyDefinitions.get(defRef['id']) : undefined;
    if (!def) throw new QrsRequestError(400, `custom property definition ${String(defRef['id'])} does not exist`);
    const choices = (def['choiceValues'] as string[] | undefined) ?? [];
    const objectTypes = (def['objectTypes'] as string[] | undefined) ?? [];
    if (typeof value['value'] !== 'string') throw new QrsRequestError(400, 'customProperties[].value must be a string');
    if (choices.length > 0 && !choices.includes(value['value'])) {
      throw new QrsRequestError(
        400,
        `"${value['value']}" is not a choice value of custom property ${String(def['name'])}`,
      );
    }
    if (!objectTypes.includes(objectType))
      throw new QrsRequestError(400, `custom property ${String(def['name'])} does not apply to ${objectType}`);
    return {
      id: typeof value['id'] === 'string' && value['id'] ? value['id'] : newId(),
      value: value['value'],
      definition: { id: def.id, name: String(def['name']), valueType: String(def['valueType']), choiceValues: choices },
    };
  });
}

/** An entity record created from a POST body; QRS honours a supplied id unless it is taken. */
export function createRecord(
  map: Map<string, SimQrsRecord>,
  body: Record<string, unknown>,
  now: number,
  schemaPath: string,
): SimQrsRecord {
  const requested = typeof body['id'] === 'string' && body['id'] ? body['id'] : undefined;
  const id = requested && !map.has(requested) ? requested : newId();
  const stamp = new Date(now).toISOString();
  const record: SimQrsRecord = {
    ...body,
    id,
    createdDate: stamp,
    modifiedDate: stamp,
    modifiedByUserName: 'INTERNAL\\sa_repository',
    schemaPath,
  };
  map.set(id, record);
  return record;
}

export function updateRecord(stored: SimQrsRecord, body: Record<string, unknown>, now: number): SimQrsRecord {
  checkModifiedDate(stored, body, `${String(stored['schemaPath'])} ${stored.id}`);
  if (body['id'] !== undefined && body['id'] !== stored.id)
    throw new QrsRequestError(400, 'the id in the body differs from the id in the URL');
  Object.assign(stored, body, {
    id: stored.id,
    createdDate: stored.createdDate,
    modifiedDate: nextModifiedDate(stored.modifiedDate, now),
  });
  return stored;
}

export function appView(app: SimQrsApp): SimQrsApp {
  return structuredClone(app);
}
