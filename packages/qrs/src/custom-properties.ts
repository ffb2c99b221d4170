import { QlikValidationError, isQlikConflictError } from '@qlik-oem/core';
import type { QrsClient } from './client.js';
import { updateWithConflictRetry, type ConflictRetryOptions } from './conflict-retry.js';
import { dataOrThrow, filterLiteral } from './errors.js';
import type { QrsApp, QrsCustomPropertyDefinition } from './types.js';

export interface CustomPropertyDefinitionInput {
  /** Alphanumeric (QRS rejects other names). */
  name: string;
  /** Values that must be allowed; existing ones are kept. */
  choiceValues?: string[];
  /** Resource types the property applies to; existing ones are kept. Default `['App']`. */
  objectTypes?: string[];
  valueType?: string;
  description?: string;
}

function validateName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_]{1,100}$/.test(name)) {
    throw new QlikValidationError('Invalid custom property name', [
      { path: ['name'], message: 'must be 1 to 100 letters, digits or underscores' },
    ]);
  }
}

export async function findCustomPropertyDefinition(
  qrs: QrsClient,
  name: string,
): Promise<QrsCustomPropertyDefinition | undefined> {
  const found = dataOrThrow(
    await qrs.api.GET('/custompropertydefinition/full', {
      params: { query: { filter: `name eq ${filterLiteral(name)}` } },
    }),
    'GET',
  );
  return found.find((d) => d.name === name) ?? found[0];
}

const union = (current: string[] | undefined, wanted: string[]): string[] | undefined => {
  const have = current ?? [];
  const missing = wanted.filter((v) => !have.includes(v));
  return missing.length ? [...have, ...missing] : undefined;
};

/**
 * Makes sure a custom property definition exists and allows `choiceValues` on `objectTypes`. Creates it when missing;
 * otherwise adds what is missing with a PUT carrying the current `modifiedDate`, re-reading and retrying on 409.
 */
export async function ensureCustomPropertyDefinition(
  qrs: QrsClient,
  input: CustomPropertyDefinitionInput,
  options: ConflictRetryOptions = {},
): Promise<QrsCustomPropertyDefinition> {
  validateName(input.name);
  const choiceValues = input.choiceValues ?? [];
  const objectTypes = input.objectTypes ?? ['App'];
  const existing = await findCustomPropertyDefinition(qrs, input.name);
  if (!existing) {
    try {
      return dataOrThrow(
        await qrs.api.POST('/custompropertydefinition', {
          body: {
            name: input.name,
            valueType: input.valueType ?? 'Text',
            choiceValues,
            objectTypes,
            ...(input.description !== undefined ? { description: input.description } : {}),
          },
        }),
        'POST',
      );
    } catch (error) {
      // Someone else created it between our read and our POST: fall through to the update path.
      if (!isQlikConflictError(error)) throw error;
    }
  }
  return updateWithConflictRetry(
    {
      entity: `${qrs.baseUrl}/custompropertydefinition/${input.name}`,
      read: async () => {
        const found = await findCustomPropertyDefinition(qrs, input.name);
        if (!found?.id) throw new QlikValidationError(`Custom property ${input.name} disappeared while being updated`);
        return dataOrThrow(
          await qrs.api.GET('/custompropertydefinition/{id}', { params: { path: { id: found.id } } }),
          'GET',
        );
      },
      change: (current) => {
        const nextChoices = union(current.choiceValues, choiceValues);
        const nextTypes = union(current.objectTypes, objectTypes);
        if (!nextChoices && !nextTypes) return undefined;
        return {
          ...current,
          choiceValues: nextChoices ?? current.choiceValues ?? [],
          objectTypes: nextTypes ?? current.objectTypes ?? [],
        };
      },
      write: async (next) =>
        dataOrThrow(
          await qrs.api.PUT('/custompropertydefinition/{id}', { params: { path: { id: next.id! } }, body: next }),
          'PUT',
        ),
    },
    options,
  );
}

export interface SetAppCustomPropertyInput {
  /** Name of an existing definition (see `ensureCustomPropertyDefinition`). */
  name: string;
  values: string[];
  /** `add` keeps other values of this property; `replace` (default) leaves exactly `values`. */
  mode?: 'add' | 'replace';
}

/**
 * Sets a custom property's values on an app: GET the app, change its `customProperties`, PUT the whole app with the
 * `modifiedDate` it was read with; on 409, re-read and retry. No PUT when the app already has exactly these values.
 */
export async function setAppCustomProperty(
  qrs: QrsClient,
  appId: string,
  input: SetAppCustomPropertyInput,
  options: ConflictRetryOptions = {},
): Promise<QrsApp> {
  validateName(input.name);
  if (typeof appId !== 'string' || !/^[0-9a-f-]{36}$/i.test(appId))
    throw new QlikValidationError('Invalid appId', [{ path: ['appId'], message: 'must be a GUID' }]);
  if (!Array.isArray(input.values) || input.values.some((v) => typeof v !== 'string' || v === '')) {
    throw new QlikValidationError('Invalid custom property values', [
      { path: ['values'], message: 'must be non-empty strings' },
    ]);
  }
  const definition = await findCustomPropertyDefinition(qrs, input.name);
  if (!definition?.id)
    throw new QlikValidationError(`Custom property ${input.name} does not exist`, [
      { path: ['name'], message: 'create it with ensureCustomPropertyDefinition first' },
    ]);
  const notAllowed = definition.choiceValues?.length
    ? input.values.filter((v) => !definition.choiceValues!.includes(v))
    : [];
  if (notAllowed.length) {
    throw new QlikValidationError(
      `Not choice values of custom property ${input.name}`,
      notAllowed.map((v) => ({ path: ['values'], message: `"${v}" is not allowed` })),
    );
  }
  const definitionRef = {
    id: definition.id,
    name: definition.name,
    valueType: definition.valueType,
    ...(definition.choiceValues ? { choiceValues: definition.choiceValues } : {}),
  };
  return updateWithConflictRetry(
    {
      entity: `${qrs.baseUrl}/app/${appId}`,
      read: async () => dataOrThrow(await qrs.api.GET('/app/{id}', { params: { path: { id: appId } } }), 'GET'),
      change: (app) => {
        const current = app.customProperties ?? [];
        const mine = current.filter((c) => c.definition?.id === definition.id).map((c) => c.value);
        const others = current.filter((c) => c.definition?.id !== definition.id);
        const wanted =
          input.mode === 'add'
            ? [...mine, ...input.values.filter((v) => !mine.includes(v))]
            : [...new Set(input.values)];
        const same = wanted.length === mine.length && wanted.every((v) => mine.includes(v));
        if (same) return undefined;
        const kept = current.filter((c) => c.definition?.id === definition.id && wanted.includes(c.value));
        const added = wanted
          .filter((v) => !kept.some((c) => c.value === v))
          .map((value) => ({ value, definition: definitionRef }));
        return { ...app, customProperties: [...others, ...kept, ...added] };
      },
      write: async (next) =>
        dataOrThrow(await qrs.api.PUT('/app/{id}', { params: { path: { id: next.id! } }, body: next }), 'PUT'),
    },
    options,
  );
}
