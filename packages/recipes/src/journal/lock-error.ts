import { QlikError } from '@qlik-oem/core';

/** Who holds a customer's lock. `pid` and `host` are for people reading the message; nothing judges by them. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO timestamp of when the lock was taken. */
  since: string;
  /** The lease holder's id (random per lock), when the store keeps leases. */
  id?: string;
  /** ISO timestamp at which the lease runs out unless its holder renews it. */
  expiresAt?: string;
}

/**
 * Another run is provisioning this customer right now. Running both at once could create a resource
 * twice (both inspect "missing", both create), so the second run stops before reading anything.
 */
export class CustomerLockedError extends QlikError {
  override name = 'CustomerLockedError';
  readonly customerId: string;
  readonly holder: LockHolder | undefined;

  constructor(customerId: string, holder: LockHolder | undefined, lockPath?: string) {
    const who = holder ? ` by process ${holder.pid} on ${holder.host} since ${holder.since}` : '';
    const until = holder?.expiresAt ? ` Its lease runs out at ${holder.expiresAt} unless it is renewed.` : '';
    const hint = lockPath && !holder?.expiresAt ? ` If that process is gone, delete ${lockPath}.` : '';
    super(`Customer "${customerId}" is being provisioned by another run${who}.${until}${hint}`);
    this.customerId = customerId;
    this.holder = holder;
  }
}

/**
 * This run's lease on a customer ran out (it could not renew it in time, e.g. the process was paused or
 * the store unreachable), so another run may now hold it. The run stops writing at once.
 */
export class LeaseLostError extends QlikError {
  override name = 'LeaseLostError';
  readonly customerId: string;

  constructor(customerId: string, reason: string) {
    super(`Lost the lease on customer "${customerId}": ${reason}. Another run may be provisioning it now.`);
    this.customerId = customerId;
  }
}
