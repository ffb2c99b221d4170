import { QlikValidationError, isQlikNotFoundError, sleep as realSleep } from '@qlik-oem/core';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
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
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

/**
 * Polls `GET /api/v1/apps/{appId}` on the tenant until the distributed app (same id as on QSEoW) is there, and
 * returns it. A 404 means "not yet"; any other error is thrown as is.
 */
export async function waitForAppInTenant(qc: QlikCloud, appId: string, options: WaitForAppInTenantOptions = {}) {
  if (typeof appId !== 'string' || !/^[0-9a-f-]{36}$/i.test(appId))
    throw new QlikValidationError('Invalid appId', [{ path: ['appId'], message: 'must be the QSEoW app GUID' }]);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  if (!(timeoutMs > 0) || !(pollIntervalMs > 0))
    throw new QlikValidationError('Invalid wait options', [
      { path: ['timeoutMs'], message: 'timeoutMs and pollIntervalMs must be positive' },
    ]);
  const clock = options.clock ?? { now: () => Date.now(), sleep: realSleep };
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return unwrap(
        await qc.apps.GET('/api/v1/apps/{appId}', {
          params: { path: { appId } },
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    } catch (error) {
      if (!isQlikNotFoundError(error)) throw error;
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new AppDistributionTimeoutError(appId, qc.host, options.deploymentName, timeoutMs);
    await clock.sleep(Math.min(pollIntervalMs, remaining), options.signal);
  }
}
