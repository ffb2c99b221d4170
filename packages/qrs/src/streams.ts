import { QlikValidationError } from '@qlik-oem/core';
import type { QrsClient } from './client.js';
import { DEFAULT_QRS_USER } from './auth.js';
import { dataOrThrow, filterLiteral } from './errors.js';
import type { QrsStream } from './types.js';

export async function findStreamByName(qrs: QrsClient, name: string): Promise<QrsStream | undefined> {
  const found = dataOrThrow(
    await qrs.api.GET('/stream/full', { params: { query: { filter: `name eq ${filterLiteral(name)}` } } }),
    'GET',
  );
  // QRS compares strings case-insensitively; prefer an exact match when several differ only by case.
  return found.find((s) => s.name === name) ?? found[0];
}

/**
 * Returns the stream with this name, creating it when missing. `owner` defaults to INTERNAL\sa_repository
 * (the QRS schema requires one).
 */
export async function ensureStream(
  qrs: QrsClient,
  name: string,
  options: { owner?: { userDirectory: string; userId: string } } = {},
): Promise<{ stream: QrsStream; created: boolean }> {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    throw new QlikValidationError('Invalid stream name', [{ path: ['name'], message: 'must be 1 to 200 characters' }]);
  }
  const existing = await findStreamByName(qrs, name);
  if (existing) return { stream: existing, created: false };
  const owner = options.owner ?? DEFAULT_QRS_USER;
  const created = dataOrThrow(
    await qrs.api.POST('/stream', {
      body: { name, owner: { userDirectory: owner.userDirectory, userId: owner.userId } },
    }),
    'POST',
  );
  return { stream: created, created: true };
}
