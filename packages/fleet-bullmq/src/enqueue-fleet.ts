// enqueueFleet: one BullMQ job per customer, with a deterministic id and the retry policy for transient failures.
import { QlikValidationError, type ValidationIssue } from '@qlik-oem/core';
import type { ProvisionFleetInput } from '@qlik-oem/recipes';
import type { Queue } from 'bullmq';
import { fleetJobId } from './job-id.js';

export type FleetCustomer = ProvisionFleetInput['customers'][number];

/** The job a worker receives. */
export interface FleetJobData {
  customer: FleetCustomer;
}

export const FLEET_JOB_NAME = 'provisionCustomer';

export interface EnqueueFleetOptions {
  /**
   * Part of every job id's hash: change it when the fleet's settings (partner, template, customize)
   * change, so customers whose own input did not change are worked again too.
   */
  configVersion?: string;
  /** Attempts per customer for transient failures (BullMQ's `attempts`). Default 8. */
  attempts?: number;
  /** First retry delay in ms, doubled each attempt (BullMQ's exponential backoff). Default 2000. */
  backoffMs?: number;
}

/** What was enqueued, in customer order: what `watchFleet` waits for. */
export interface EnqueuedFleet {
  jobs: Array<{ customerId: string; jobId: string }>;
}

/**
 * Adds one job per customer. The id is the customer id plus a hash of its input, so adding the same
 * customer again while its job is kept is a no-op, and a changed input is new work. Customer ids are
 * checked (present, unique) before anything is sent; the full validation is the worker's, against
 * the fleet's settings, before its first request.
 */
export async function enqueueFleet(
  queue: Queue,
  customers: readonly FleetCustomer[],
  options: EnqueueFleetOptions = {},
): Promise<EnqueuedFleet> {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  customers.forEach((customer, index) => {
    const id = (customer as { customerId?: unknown } | undefined)?.customerId;
    if (typeof id !== 'string' || id === '') {
      issues.push({ path: ['customers', index, 'customerId'], message: 'must be a non-empty string' });
      return;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({ path: ['customers', index, 'customerId'], message: `is the same as customers[${first}]` });
    } else seen.set(id, index);
  });
  if (issues.length > 0) throw new QlikValidationError('Invalid customers for enqueueFleet', issues);

  const jobs = customers.map((customer) => ({
    customerId: customer.customerId,
    jobId: fleetJobId(customer.customerId, customer, options.configVersion),
  }));
  await queue.addBulk(
    customers.map((customer, index) => ({
      name: FLEET_JOB_NAME,
      data: { customer } satisfies FleetJobData,
      opts: {
        jobId: jobs[index]!.jobId,
        attempts: options.attempts ?? 8,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 2_000 },
      },
    })),
  );
  return { jobs };
}
