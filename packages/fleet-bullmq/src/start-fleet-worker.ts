// startFleetWorker: a BullMQ worker that runs provisionFleet's per-customer recipe for each job, with retries, stalled-job recovery and a graceful SIGTERM.
import {
  createCustomerProvisioner,
  isRetryableStepError,
  serializeError,
  type FleetConfig,
  type JournalStore,
  type ProvisionedCustomer,
  type ProvisionFleetOptions,
  type ProvisioningEnvironment,
  type RecipeEvent,
} from '@qlik-oem/recipes';
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { FLEET_JOB_NAME, type FleetJobData } from './enqueue-fleet.js';

/** A customer's outcome as a job returns it: `ProvisionedCustomer` with its error as plain JSON. */
export type FleetJobResult = Omit<ProvisionedCustomer, 'error'> & { error?: ReturnType<typeof serializeError> };

export interface FleetWorkerOptions {
  /** The BullMQ connection (ioredis options or instance) and queue name `enqueueFleet` added to. */
  connection: ConnectionOptions;
  queueName: string;
  /** What every customer gets: `provisionFleet`'s input without `customers`. */
  fleet: FleetConfig;
  /** The journal every worker shares (PostgreSQL or Redis, `@qlik-oem/journal-stores`): its leases keep one run per customer. */
  journal: JournalStore;
  /** Customers this worker runs at the same time. Default 16. */
  concurrency?: number;
  /** `provisionFleet`'s options for every run: step retries, reload waits, resume mode. */
  provision?: Pick<ProvisionFleetOptions, 'retry' | 'reload' | 'resume'>;
  /** How long a job's BullMQ lock lasts without renewal; a dead worker's job is recovered after it. Default 30 s. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers. Default 15 s. */
  stalledIntervalMs?: number;
  /** How often a job may stall (its worker died) before it fails. Default 5. */
  maxStalledCount?: number;
  /** On SIGTERM/SIGINT: how long running customers may finish before they are stopped at their next step. Default 30 s. */
  shutdownGraceMs?: number;
  /** Stop gracefully on SIGTERM and SIGINT (then re-raise the signal). Default true. */
  handleSignals?: boolean;
  /** Every recipe event of this worker's runs (they also reach `watchFleet` as job progress). */
  onEvent?: (event: RecipeEvent) => void;
  /**
   * How long (real ms) a job's recipe events are collected before they go to Redis as one progress update
   * (`watchFleet` unpacks them, in order); a job's last events are sent before it completes. 0 sends each
   * event as it comes (one Redis script and stream entry per event, some 25 per customer). Default 1,000.
   */
  progressIntervalMs?: number;
}

/** A job's progress as the workers send it: its recipe events since the previous update, oldest first. */
export interface FleetJobProgress {
  events: RecipeEvent[];
}

export interface FleetWorker {
  readonly worker: Worker<FleetJobData, FleetJobResult>;
  /** Stops taking jobs, lets running customers finish (or stops them after the grace period) and closes. */
  close(): Promise<void>;
}

/**
 * Runs customers from the queue, `concurrency` at a time, each through the same composed recipe
 * `provisionFleet` runs (onboard, customize, hydrate, multi-cloud as the fleet asks), journaled in the
 * shared store. A transient failure (rate limit, 5xx, network, a customer another worker holds) fails
 * the attempt, and BullMQ retries it with backoff; invalid input or a permanent failure ends the job.
 * A worker that dies leaves its jobs stalled: another worker takes them over once their lock ran out,
 * and resumes each customer from the journal. A stopped run (shutdown) goes back to the queue without
 * using an attempt.
 */
export function startFleetWorker(env: ProvisioningEnvironment, options: FleetWorkerOptions): FleetWorker {
  const provisioner = createCustomerProvisioner(env, options.fleet, { ...options.provision, journal: options.journal });
  const running = new Set<AbortController>();

  const processor = async (job: Job<FleetJobData, FleetJobResult>, token?: string): Promise<FleetJobResult> => {
    const controller = new AbortController();
    running.add(controller);
    const progress = progressBatcher(job, options.progressIntervalMs ?? 1_000);
    try {
      const onEvent = (event: RecipeEvent) => {
        options.onEvent?.(event);
        progress.push(event);
      };
      let result: ProvisionedCustomer;
      try {
        result = await provisioner.provision(job.data.customer, { signal: controller.signal, onEvent });
      } catch (error) {
        // Invalid input (a QlikValidationError): no attempt can fix it.
        throw new UnrecoverableError(serializeError(error).message);
      }
      if (result.status === 'aborted') {
        // Shutting down: back to the queue now, without spending an attempt; the journal resumes it.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (result.status === 'failed') {
        const message = serializeError(result.error).message;
        throw isWorthRetrying(result.error) ? new Error(message) : new UnrecoverableError(message);
      }
      const { error: _error, ...rest } = result;
      return rest;
    } finally {
      // The job's last events reach the queue's event stream before its completion (or failure) does.
      await progress.flush();
      running.delete(controller);
    }
  };

  const worker = new Worker<FleetJobData, FleetJobResult>(options.queueName, processor, {
    connection: options.connection,
    concurrency: options.concurrency ?? 16,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    name: FLEET_JOB_NAME,
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const grace = setTimeout(() => {
        for (const controller of running) controller.abort(new Error('the fleet worker is shutting down'));
      }, options.shutdownGraceMs ?? 30_000);
      grace.unref();
      try {
        await worker.close();
      } finally {
        clearTimeout(grace);
        removeSignalHandlers();
      }
    })();
    return closing;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    void close().finally(() => process.kill(process.pid, signal));
  };
  const removeSignalHandlers = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  if (options.handleSignals !== false) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { worker, close };
}

/**
 * Collects a job's recipe events and sends them as one progress update per `intervalMs` (in order: each update
 * waits for the one before). Progress reaches watchFleet through the queue's events; a lost update only thins
 * the stream, so sending never rejects.
 */
function progressBatcher(job: Job<FleetJobData, FleetJobResult>, intervalMs: number) {
  let pending: RecipeEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent: Promise<void> = Promise.resolve();
  const send = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return sent;
    const update: FleetJobProgress = { events: pending };
    pending = [];
    sent = sent.then(() =>
      job.updateProgress(update as unknown as object).then(
        () => undefined,
        () => undefined,
      ),
    );
    return sent;
  };
  return {
    push(event: RecipeEvent) {
      pending.push(event);
      if (!(intervalMs > 0)) void send();
      else timer ??= setTimeout(() => void send(), intervalMs);
    },
    flush: send,
  };
}

/** Transient failures, and a customer that another run holds right now (it is free again soon). */
function isWorthRetrying(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'CustomerLockedError' || name === 'LeaseLostError' || isRetryableStepError(cause);
}
