// waitForAppInTenant: polls a tenant until a distributed QSEoW app has arrived there.
import { QlikValidationError, isQlikNotFoundError, waitUntil, type Clock } from '@qlik-oem/core';
import { unwrap, type AppsApi, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { AppDistributionTimeoutError } from './errors.js';

export interface WaitForAppInTenantOptions {
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Default 5 s. */
  pollIntervalMs?: number;
  /** Named in the timeout error, to point at the routing to check. */
  deploymentName?: string;
  signal?: AbortSignal;
  /** Time source (tests). */
  clock?: Clock;
}

/**
 * Polls `GET /api/v1/apps/{appId}` on the tenant until the distributed app (same id as on QSEoW) is there, and
 * returns it. A 404 means "not yet"; any other error is thrown as is.
 */
export async function waitForAppInTenant(
  qc: QlikCloud,
  appId: string,
  options: WaitForAppInTenantOptions = {},
): Promise<AppsApi.components['schemas']['NxApp']> {
  if (typeof appId !== 'string' || !/^[0-9a-f-]{36}$/i.test(appId))
    throw new QlikValidationError('Invalid appId', [{ path: ['appId'], message: 'must be the QSEoW app GUID' }]);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  return waitUntil(
    async () => {
      try {
        return unwrap(
          await qc.apps.GET('/api/v1/apps/{appId}', {
            params: { path: { appId } },
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
      } catch (error) {
        if (!isQlikNotFoundError(error)) throw error;
        return undefined;
      }
    },
    {
      timeoutMs,
      pollIntervalMs: options.pollIntervalMs ?? 5_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      onTimeout: () => new AppDistributionTimeoutError(appId, qc.host, options.deploymentName, timeoutMs),
    },
  );
}
