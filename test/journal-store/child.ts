// A child process for the journal store contract: opens a store through a factory module and holds or hammers one
// customer's lock, or holds the coordination's gate of tenant creates until killed.
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { JournalLock, JournalStore } from '@qlik-oem/recipes';
import { seededRandom } from '@qlik-oem/simulator';

interface ChildConfig {
  /** A module exporting `openStore(config, options)`: the store under test, shared with the parent. */
  factory: string;
  store: unknown;
  customerId: string;
  leaseMs: number;
  waitMs?: number;
  mode: 'hold' | 'hammer' | 'gate-shared' | 'gate-exclusive';
  /** hammer: how long to keep trying, where to log each holding, and the seed of the arrival pattern. */
  durationMs?: number;
  log?: string;
  seed?: number;
}

type OpenStore = (
  config: unknown,
  options: { leaseMs: number; waitMs?: number },
) => Promise<JournalStore> | JournalStore;

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const { openStore } = (await import(pathToFileURL(config.factory).href)) as { openStore: OpenStore };
const store = await openStore(config.store, { leaseMs: config.leaseMs, waitMs: config.waitMs ?? 0 });

if (config.mode === 'gate-shared' || config.mode === 'gate-exclusive') {
  const { gate } = store.coordination!;
  await (config.mode === 'gate-shared' ? gate.shared() : gate.exclusive());
  process.stdout.write(`gate held by pid ${process.pid}\n`);
  setInterval(() => undefined, 60_000); // until killed; a lease-based gate keeps renewing meanwhile
} else if (config.mode === 'hold') {
  await store.lock!(config.customerId);
  process.stdout.write(`held by pid ${process.pid}\n`);
  setInterval(() => undefined, 60_000); // until killed; the lease keeps renewing meanwhile
} else {
  const random = seededRandom(config.seed!);
  const end = Date.now() + config.durationMs!;
  while (Date.now() < end) {
    let lock: JournalLock;
    try {
      lock = await store.lock!(config.customerId);
    } catch (error) {
      if ((error as Error).name !== 'CustomerLockedError') throw error;
      await sleep(random() * 15);
      continue;
    }
    const start = Date.now();
    let last = start;
    let stalled = false;
    for (let tick = 0; tick < 1 + Math.floor(random() * 12); tick++) {
      // A forced expiry: the event loop is blocked past the lease (a GC pause, a frozen container).
      if (random() < 0.12) {
        stalled = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, config.leaseMs * 1.5);
      }
      const now = Date.now();
      if (now >= lock.lease!.heldUntil()) break; // no longer ours: never act on it
      last = now;
      await sleep(random() * 8);
    }
    appendFileSync(config.log!, `${JSON.stringify({ pid: process.pid, start, end: last, stalled })}\n`);
    await lock();
    await sleep(random() * 10);
  }
  await (store as { close?: () => Promise<void> }).close?.();
  process.exit(0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
