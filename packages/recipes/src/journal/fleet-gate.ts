// The fleet-wide readers-writer gate of tenant creates: many creates hold it shared, a reconciliation of a lost
// create holds it exclusively; one process-local layer in front of a store's backend (PostgreSQL advisory locks,
// Redis leases, or nothing for a store that lives in one process).
import { waitUntil } from '@qlik-oem/core';

/** Gives a hold of the gate back; calling it twice gives it back once. */
export type FleetGateRelease = () => Promise<void>;

/**
 * A readers-writer gate shared by every process of a fleet. `shared` holds it for one tenant create (from before
 * the POST until its answer is claimed where every process sees it); `exclusive` waits until no create is in flight
 * in any process, and keeps new ones out until it is given back. A waiting `exclusive` already keeps new creates out.
 */
export interface FleetGate {
  shared(signal?: AbortSignal): Promise<FleetGateRelease>;
  exclusive(signal?: AbortSignal): Promise<FleetGateRelease>;
}

/**
 * What a store provides for a fleet gate: one hold per process (the gate counts the process's own creates). Calls
 * never overlap (the gate makes them one at a time), and none of them waits: the gate polls.
 */
export interface FleetGateBackend {
  /**
   * Takes this process's shared hold, or confirms it may still admit another create when it has it (`holding`):
   * `false` while a reconciliation holds the gate or waits for it anywhere.
   */
  tryShared(holding: boolean): Promise<boolean>;
  /** Gives up this process's shared hold (its last create settled). */
  releaseShared(): Promise<void>;
  /**
   * Tries to take the exclusive hold; `false` while creates are in flight elsewhere. A backend may keep what it
   * took on the way (an announcement that keeps new shared holds out) until `releaseExclusive`.
   */
  tryExclusive(): Promise<boolean>;
  /** Gives up the exclusive hold, or what a `tryExclusive` that never succeeded took on the way. */
  releaseExclusive(): Promise<void>;
  /** For lease-based backends: extends every hold of this process; called every third of `leaseMs` while it holds any. */
  renew?(): Promise<void>;
  /** How long a hold lasts without renewal (lease-based backends). */
  readonly leaseMs?: number;
}

/** Looks again after 10 ms, backing off to every 250 ms: a reconciliation takes a few Organization API calls. */
const POLL_MS = 10;
const MAX_POLL_MS = 250;

/** The gate over `backend`: creates of this process are counted here, the backend holds the gate for all of them. */
export function createFleetGate(backend: FleetGateBackend): FleetGate {
  let readers = 0;
  // Local writers waiting or holding: while any is, no new local create is admitted (a reconciliation is not starved).
  let writers = 0;
  let writerChain: Promise<void> = Promise.resolve();
  // Every backend call and the state it decides on, one at a time.
  let serial: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = serial.then(work, work);
    serial = next.catch(() => undefined);
    return next;
  };
  // A refusal is believed for one poll interval, so creates waiting on a reconciliation do not each ask the store.
  let refusedUntil = 0;

  let renewTimer: NodeJS.Timeout | undefined;
  let holds = 0;
  const held = (delta: number) => {
    holds += delta;
    if (!backend.renew || !backend.leaseMs) return;
    if (holds > 0 && !renewTimer) {
      renewTimer = setInterval(
        () => void oneAtATime(() => backend.renew!()).catch(() => undefined),
        Math.max(Math.floor(backend.leaseMs / 3), 10),
      );
      renewTimer.unref();
    } else if (holds === 0 && renewTimer) {
      clearInterval(renewTimer);
      renewTimer = undefined;
    }
  };
  const once = (release: () => Promise<void>): FleetGateRelease => {
    let done: Promise<void> | undefined;
    return () => (done ??= release());
  };
  const poll = { timeoutMs: Infinity, pollIntervalMs: POLL_MS, backoff: 2, maxPollIntervalMs: MAX_POLL_MS };

  // The next admission of creates, not started yet: every create that asks before it starts is admitted (or
  // refused) by its one backend call, so 250 creates starting together cost a few store round trips, not 250 in a
  // row. A create asking while one runs waits for the next, whose call is made after it asked.
  let nextAdmission: { waiting: number; admitted: Promise<true | undefined> } | undefined;
  const admit = (): Promise<true | undefined> => {
    if (!nextAdmission) {
      const admission = { waiting: 0, admitted: Promise.resolve<true | undefined>(undefined) };
      admission.admitted = oneAtATime(async () => {
        if (nextAdmission === admission) nextAdmission = undefined;
        if (writers > 0 || Date.now() < refusedUntil) return undefined;
        if (!(await backend.tryShared(readers > 0))) {
          refusedUntil = Date.now() + POLL_MS;
          return undefined;
        }
        if (readers === 0) held(1);
        readers += admission.waiting;
        return true;
      });
      nextAdmission = admission;
    }
    nextAdmission.waiting++;
    return nextAdmission.admitted;
  };

  return {
    async shared(signal) {
      // A poll that was admitted returns (waitUntil looks at the signal only between polls), so every create
      // counted in `readers` gets its release.
      await waitUntil(admit, { ...poll, ...(signal ? { signal } : {}) });
      return once(() =>
        oneAtATime(async () => {
          if (--readers > 0) return;
          held(-1);
          await backend.releaseShared();
        }),
      );
    },
    async exclusive(signal) {
      writers++;
      const previous = writerChain;
      let next!: () => void;
      writerChain = new Promise((resolve) => (next = resolve));
      let announced = false;
      try {
        await previous;
        await waitUntil(
          () =>
            oneAtATime(async () => {
              if (readers > 0) return undefined;
              if (!announced) held(1);
              announced = true;
              return (await backend.tryExclusive()) ? true : undefined;
            }),
          { ...poll, ...(signal ? { signal } : {}) },
        );
      } catch (error) {
        if (announced) await oneAtATime(() => backend.releaseExclusive()).catch(() => undefined);
        if (announced) held(-1);
        writers--;
        next();
        throw error;
      }
      return once(async () => {
        try {
          await oneAtATime(() => backend.releaseExclusive());
        } finally {
          held(-1);
          writers--;
          next();
        }
      });
    },
  };
}

/** A gate for one process (a store no other process shares): the local layer is the whole gate. */
export function createInProcessGate(): FleetGate {
  return createFleetGate({
    tryShared: async () => true,
    releaseShared: async () => undefined,
    tryExclusive: async () => true,
    releaseExclusive: async () => undefined,
  });
}
