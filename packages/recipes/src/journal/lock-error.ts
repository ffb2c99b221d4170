import { QlikError } from '@qlik-oem/core';

/** Who holds a customer's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO timestamp of when the lock was taken. */
  since: string;
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
    const hint = lockPath ? ` If that process is gone, delete ${lockPath}.` : '';
    super(`Customer "${customerId}" is being provisioned by another run${who}.${hint}`);
    this.customerId = customerId;
    this.holder = holder;
  }
}
