// Tenant quotas (quotas.json): reading one with its usage, and QuotaExceededError for work that would pass it.
import { QlikError, isQlikHttpError } from '@qlik-oem/core';
import type { QlikCloud } from './facade.js';
import { unwrap } from './unwrap.js';

/**
 * The id under which the daily app-import allowance is read. Qlik documents the allowance (300
 * Starter/Standard, 2,000 Premium, 10,000 Enterprise imports per tenant per day) but not the quota's id;
 * this one is unverified. A tenant that has no quota of this id is treated as unlimited.
 */
export const APP_IMPORTS_QUOTA_ID = 'app_imports_per_day';

export interface TenantQuota {
  id: string;
  /** The limit; `Infinity` when Qlik reports none (-1). */
  quota: number;
  unit: string;
  /** Current usage, when Qlik reports it. */
  usage: number | undefined;
}

/** The quota `id` of the tenant with its usage (`GET /api/v1/quotas/{id}?reportUsage=true`); undefined when none. */
export async function readQuota(qc: QlikCloud, id: string, signal?: AbortSignal): Promise<TenantQuota | undefined> {
  const result = await qc.quotas.GET('/api/v1/quotas/{id}', {
    params: { path: { id }, query: { reportUsage: true } },
    ...(signal ? { signal } : {}),
  });
  if (result.response.status === 404) return undefined;
  const item = unwrap(result).data.find((q) => q.id === id);
  if (!item) return undefined;
  const { quota, unit, usage } = item.attributes;
  return { id, quota: quota < 0 ? Number.POSITIVE_INFINITY : quota, unit, usage };
}

/** When a daily quota is full again: the next UTC midnight (Qlik does not document the day's start). */
export function nextUtcMidnight(now: number): Date {
  const day = 86_400_000;
  return new Date((Math.floor(now / day) + 1) * day);
}

/**
 * Work for `tenantHost` would pass the tenant's quota `quotaId`: nothing was written for it. Wait
 * until `resetsAt`, or ask Qlik for a higher allowance. Not retried.
 */
export class QuotaExceededError extends QlikError {
  override name = 'QuotaExceededError';
  readonly tenantHost: string;
  readonly quotaId: string;
  readonly quota: number;
  readonly usage: number | undefined;
  readonly resetsAt: Date;

  constructor(init: {
    tenantHost: string;
    quotaId: string;
    quota: number;
    usage?: number;
    resetsAt: Date;
    cause?: unknown;
  }) {
    super(
      `The tenant ${init.tenantHost} has used its quota ${init.quotaId} (${init.usage ?? init.quota} of ${init.quota}); it resets at ${init.resetsAt.toISOString()}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.tenantHost = init.tenantHost;
    this.quotaId = init.quotaId;
    this.quota = init.quota;
    this.usage = init.usage;
    this.resetsAt = init.resetsAt;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      tenantHost: this.tenantHost,
      quotaId: this.quotaId,
      quota: this.quota,
      usage: this.usage,
      resetsAt: this.resetsAt.toISOString(),
    };
  }
}

export function isQuotaExceededError(error: unknown): error is QuotaExceededError {
  return error instanceof QuotaExceededError || (error instanceof Error && error.name === 'QuotaExceededError');
}

/**
 * Throws QuotaExceededError when `needed` more imports would pass the tenant's daily import allowance.
 * `now` is the caller's clock (epoch ms), for the reset time.
 */
export async function assertImportQuota(
  qc: QlikCloud,
  options: { needed?: number; now: number; signal?: AbortSignal },
): Promise<void> {
  const quota = await readQuota(qc, APP_IMPORTS_QUOTA_ID, options.signal);
  if (!quota || quota.usage === undefined) return;
  if (quota.usage + (options.needed ?? 1) <= quota.quota) return;
  throw new QuotaExceededError({
    tenantHost: qc.host,
    quotaId: quota.id,
    quota: quota.quota,
    usage: quota.usage,
    resetsAt: nextUtcMidnight(options.now),
  });
}

/**
 * Runs `importOnce` (one app import) within the tenant's daily import allowance: checks the quota first,
 * and when Qlik refuses the import anyway (403 or 429: another client used the last one; Qlik's answer is
 * not documented) and the quota is now used up, throws QuotaExceededError with that refusal as its cause.
 */
export async function importWithinQuota<T>(
  qc: QlikCloud,
  options: { now: () => number; signal?: AbortSignal },
  importOnce: () => Promise<T>,
): Promise<T> {
  const signal = options.signal ? { signal: options.signal } : {};
  await assertImportQuota(qc, { now: options.now(), ...signal });
  try {
    return await importOnce();
  } catch (error) {
    if (!isQlikHttpError(error) || (error.status !== 403 && error.status !== 429)) throw error;
    const quota = await readQuota(qc, APP_IMPORTS_QUOTA_ID, options.signal).catch(() => undefined);
    if (!quota || quota.usage === undefined || quota.usage < quota.quota) throw error;
    throw new QuotaExceededError({
      tenantHost: qc.host,
      quotaId: quota.id,
      quota: quota.quota,
      usage: quota.usage,
      resetsAt: nextUtcMidnight(options.now()),
      cause: error,
    });
  }
}
