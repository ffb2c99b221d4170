// Lease-based customer locks: a holder id and an expiry, renewed while the run works, taken over only after expiry.
import { waitUntil } from '@qlik-oem/core';
import { CustomerLockedError, LeaseLostError, type LockHolder } from './lock-error.js';
import { nodeOs } from './node-builtins.js';

/** A lease holder as a store keeps it. */
export interface LeaseHolder extends LockHolder {
  id: string;
  expiresAt: string;
}

/**
 * The one primitive a store provides for leases. Each operation must be atomic in the store (a
 * conditional write), because the decision "free or expired, so mine" is only safe as one step.
 */
export interface LeaseBackend {
  /** Takes the lease for `holder` if nobody holds it or its lease has run out; otherwise returns the current holder. */
  tryAcquire(customerId: string, holder: LeaseHolder, leaseMs: number): Promise<LockHolder | undefined>;
  /** Extends `holder`'s lease by `leaseMs` from now; `false` when it is no longer this holder's (taken over or gone). */
  renew(customerId: string, holder: LeaseHolder, leaseMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` still has it. */
  release(customerId: string, holder: LeaseHolder): Promise<void>;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal. Renewed every third of it while held. Default 30 s. */
  leaseMs?: number;
  /**
   * How long `lock` waits for a held lease to be released or run out before throwing
   * `CustomerLockedError`. Default 0: fail at once. A job restarted after a kill can wait for its own
   * old leases with a value just above `leaseMs`.
   */
  waitMs?: number;
}

/** A held lease: release it when the run ends; `signal` aborts (with a `LeaseLostError`) if it is lost. */
export interface Lease {
  readonly holder: LeaseHolder;
  /** Aborted when the lease could not be renewed before it ran out, or was taken over. */
  readonly signal: AbortSignal;
  /** Epoch ms until which this process may act on the lease; later, another run may hold it. */
  heldUntil(): number;
}

/** What `JournalStore.lock` returns: the release function, with the lease when the store keeps leases. */
export type JournalLock = (() => Promise<void>) & { readonly lease?: Lease };

export const DEFAULT_LEASE_MS = 30_000;
const WAIT_STEP_MS = 50;

/** Takes a customer's lease through `backend` and keeps renewing it until the returned function releases it. */
export async function acquireLease(
  customerId: string,
  backend: LeaseBackend,
  options: LeaseOptions = {},
): Promise<JournalLock> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(leaseMs >= 30)) throw new RangeError(`leaseMs must be at least 30, got ${leaseMs}`);
  const waitMs = Math.max(0, options.waitMs ?? 0);
  const id = crypto.randomUUID();
  const since = new Date().toISOString();
  const host = (await nodeOs()).hostname();
  const holderAt = (start: number): LeaseHolder => ({
    id,
    pid: process.pid,
    host,
    since,
    expiresAt: new Date(start + leaseMs).toISOString(),
  });

  let start = 0;
  let holder!: LeaseHolder;
  let current: LockHolder | undefined;
  // Looks again every 50 ms, or as soon as the current holder's lease runs out if that is sooner.
  const tryOnce = async (): Promise<true | undefined> => {
    start = Date.now();
    holder = holderAt(start);
    current = await backend.tryAcquire(customerId, holder, leaseMs);
    return current === undefined ? true : undefined;
  };
  const locked = () => new CustomerLockedError(customerId, current);
  if (waitMs > 0) {
    await waitUntil(tryOnce, {
      timeoutMs: waitMs,
      pollIntervalMs: WAIT_STEP_MS,
      nextPauseMs: (scheduled) =>
        current?.expiresAt ? Math.min(Math.max(Date.parse(current.expiresAt) - Date.now(), 1), scheduled) : scheduled,
      onTimeout: locked,
    });
  } else if (!(await tryOnce())) throw locked();

  // The deadline counts from before the write that set the store's expiry, so it never outlasts it.
  let deadline = start + leaseMs;
  const controller = new AbortController();
  let released = false;
  let renewTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  // A renewal in flight: a release waits for it, or the renewal's write could land after the release's.
  let renewing: Promise<void> | undefined;
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    clearTimeout(renewTimer);
    clearTimeout(expiryTimer);
    controller.abort(new LeaseLostError(customerId, reason));
  };
  const armExpiry = () => {
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(() => lose('it was not renewed in time'), Math.max(deadline - Date.now(), 0));
    expiryTimer.unref();
  };
  const scheduleRenewal = () => {
    renewTimer = setTimeout(
      () => {
        renewing = renew().finally(() => (renewing = undefined));
      },
      Math.max(Math.floor(leaseMs / 3), 10),
    );
    renewTimer.unref();
  };
  const renew = async () => {
    if (released || controller.signal.aborted) return;
    const attemptStart = Date.now();
    if (attemptStart >= deadline) return lose('it was not renewed in time');
    try {
      const renewed = await backend.renew(
        customerId,
        { ...holder, expiresAt: new Date(attemptStart + leaseMs).toISOString() },
        leaseMs,
      );
      if (released) return;
      if (!renewed) return lose('another run took it over');
      deadline = attemptStart + leaseMs;
      armExpiry();
    } catch {
      // The store is unreachable for now: try again; the expiry timer ends the lease if that lasts.
    }
    scheduleRenewal();
  };
  armExpiry();
  scheduleRenewal();

  const lease: Lease = {
    holder,
    signal: controller.signal,
    heldUntil: () => (controller.signal.aborted ? 0 : deadline),
  };
  const release = async () => {
    if (released) return;
    released = true;
    clearTimeout(renewTimer);
    clearTimeout(expiryTimer);
    await renewing;
    if (!controller.signal.aborted) await backend.release(customerId, holder);
  };
  return Object.assign(release, { lease });
}
