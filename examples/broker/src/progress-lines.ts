import type { RecipeEvent } from '@qlik-oem/recipes';
import { resultError, type ProvisionOutcome } from './provision.js';

/** One line of the `POST /customers` NDJSON stream: a recipe's step event. */
export type ProgressLine = Exclude<RecipeEvent, { type: 'customer:start' | 'customer:done' }> & { at: string };

/** The last line of the stream. */
export interface ResultLine {
  type: 'result';
  customerId: string;
  status: ProvisionOutcome['status'];
  tenantHost: string | null;
  publishedAppId: string | null;
  webIntegrationId: string | null;
  error?: { step: string | null; message: string; code: string };
}

/** Step events go to the stream as they are (their errors are already scrubbed); per-customer events add nothing for one customer. */
export function progressLine(event: RecipeEvent, at: Date): ProgressLine | undefined {
  if (event.type === 'customer:start' || event.type === 'customer:done') return undefined;
  return { ...event, at: at.toISOString() };
}

export function resultLine(customerId: string, outcome: ProvisionOutcome): ResultLine {
  const error =
    outcome.status === 'aborted'
      ? { step: outcome.failedStep ?? null, message: abortMessage(outcome.error), code: 'aborted' }
      : resultError(outcome);
  return {
    type: 'result',
    customerId,
    status: outcome.status,
    tenantHost: outcome.tenantHost ?? null,
    publishedAppId: outcome.publishedAppId ?? null,
    webIntegrationId: outcome.webIntegrationId ?? null,
    ...(outcome.status === 'failed' || outcome.status === 'aborted' ? (error ? { error } : {}) : {}),
  };
}

function abortMessage(reason: unknown): string {
  const detail = reason instanceof Error ? reason.message : undefined;
  return `The run was aborted${detail ? ` (${detail})` : ''}; POST the customer again to resume from the journal`;
}
