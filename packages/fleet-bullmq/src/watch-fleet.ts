// watchFleet: the progress events of a fleet's jobs, from BullMQ's queue events, and the summary once every customer is settled.
import { waitUntil } from '@qlik-oem/core';
import { RecipeEvents, type ProvisionFleetResult, type RecipeEvent } from '@qlik-oem/recipes';
import { QueueEvents, type Queue } from 'bullmq';
import type { EnqueuedFleet } from './enqueue-fleet.js';
import type { FleetJobProgress, FleetJobResult } from './start-fleet-worker.js';

export interface WatchFleetOptions {
  /** Receives every recipe event the workers' runs emit for these jobs. */
  onEvent?: (event: RecipeEvent) => void;
  /** Or a typed emitter, as `provisionFleet`'s `events`. */
  events?: RecipeEvents;
  signal?: AbortSignal;
  /**
   * How often the queue's finished-job counts are compared with the jobs the events settled (events can be missed
   * across reconnects); the job states are read again only when an event was missed. Default 2 s.
   */
  pollMs?: number;
}

/** Like `provisionFleet`'s result: one flat entry per customer, in enqueue order, and counts. */
export interface FleetSummary {
  customers: FleetJobResult[];
  counts: ProvisionFleetResult['counts'];
}

/**
 * Streams the typed progress events of the fleet's jobs (the workers send each as job progress) and
 * resolves once every job completed or failed for good, with the same per-customer table
 * `provisionFleet` returns. Jobs finished before the watch began count at once.
 */
export async function watchFleet(
  queue: Queue,
  fleet: EnqueuedFleet,
  options: WatchFleetOptions = {},
): Promise<FleetSummary> {
  const byJob = new Map(fleet.jobs.map((job) => [job.jobId, job.customerId]));
  const settled = new Map<string, FleetJobResult>();
  const queueEvents = new QueueEvents(queue.name, { connection: queue.opts.connection, prefix: queue.opts.prefix });
  // Resolved when the events have settled every job.
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const check = async (jobId: string) => {
    const customerId = byJob.get(jobId);
    if (customerId === undefined || settled.has(jobId)) return;
    // State first, then the job: read the other way round, a job completing in between has no return value yet.
    const state = await queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed') return;
    const job = await queue.getJob(jobId);
    if (!job) return;
    if (state === 'completed' && job.returnvalue) settled.set(jobId, job.returnvalue as FleetJobResult);
    else if (state === 'failed') {
      settled.set(jobId, {
        customerId,
        status: 'failed',
        steps: [],
        error: { name: 'Error', message: job.failedReason },
      });
    }
    if (settled.size === byJob.size) done();
  };
  queueEvents.on('progress', ({ jobId, data }) => {
    if (!byJob.has(jobId)) return;
    // A worker sends a job's events in batches (FleetJobProgress); a worker before batching sent one event each.
    const batch = (data as Partial<FleetJobProgress> | null)?.events;
    for (const event of Array.isArray(batch) ? batch : [data as unknown as RecipeEvent]) {
      options.onEvent?.(event);
      if (options.events) {
        const { type, ...payload } = event;
        options.events.emit(type, payload);
      }
    }
  });
  queueEvents.on('completed', ({ jobId }) => void check(jobId));
  queueEvents.on('failed', ({ jobId }) => void check(jobId));

  const allSettled = () => settled.size === byJob.size || undefined;
  // How many jobs of the queue had finished, and how many of this fleet's were settled, at the last full read.
  // A job finished by the previous poll has had a whole poll interval for its event to settle it: when the
  // jobs finished by then are more than the events settled since the full read, an event was missed (or
  // another fleet's job finished) and only then are the states read again, one request per job. So a watch
  // whose events arrive costs one request per poll, not one per unsettled job.
  const finishedCount = async () => {
    const counts = await queue.getJobCounts('completed', 'failed');
    return (counts.completed ?? 0) + (counts.failed ?? 0);
  };
  let base = { finished: 0, settled: 0 };
  let previous = 0;
  const readAll = async () => {
    const finishedBefore = await finishedCount();
    await Promise.all([...byJob.keys()].map(check));
    // Jobs this read settled that finished after the count make a later count look short: one more read.
    base = { finished: finishedBefore, settled: settled.size };
    previous = finishedBefore;
  };
  const readIfMissed = async () => {
    const now = await finishedCount();
    const unexplained = previous - base.finished - (settled.size - base.settled);
    previous = now;
    if (unexplained > 0) await readAll();
  };
  try {
    await queueEvents.waitUntilReady();
    let first = true;
    // Job states are read again (every pollMs, when the counts say an event was missed: see above) besides
    // the events, which can be missed across reconnects; a settling event ends the pause in progress. Only
    // the first read's errors are thrown.
    await waitUntil(
      async () => {
        if (first) await readAll();
        else await readIfMissed().catch(() => undefined);
        first = false;
        return allSettled();
      },
      {
        timeoutMs: Infinity,
        pollIntervalMs: options.pollMs ?? 2_000,
        wake: finished,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  } finally {
    await queueEvents.close();
  }
  const customers = fleet.jobs.map((job) => settled.get(job.jobId)!);
  const counts = { provisioned: 0, unchanged: 0, failed: 0, aborted: 0 };
  for (const customer of customers) counts[customer.status]++;
  return { customers, counts };
}
