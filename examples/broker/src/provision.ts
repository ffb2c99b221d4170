import { isQlikValidationError } from '@qlik-oem/core';
import {
  CustomerLockedError,
  customizeTenant,
  provisionFleet,
  serializeError,
  type Customer,
  type RecipeEvent,
} from '@qlik-oem/recipes';
import type { BrokerConfig } from './options.js';

export type ProvisionStatus = 'provisioned' | 'unchanged' | 'failed' | 'aborted';

/** How one `POST /customers` ended. */
export interface ProvisionOutcome {
  status: ProvisionStatus;
  tenantHost?: string;
  publishedAppId?: string;
  webIntegrationId?: string | null;
  /** The step that failed (failed runs). */
  failedStep?: string;
  error?: unknown;
}

/**
 * Onboards and hydrates one customer (`provisionFleet` with a fleet of one: one journaled run, the license key
 * read and the template exported for it), then, when the broker has a customization, runs `customizeTenant` on
 * the tenant. Never throws: failures come back as the outcome. A `QlikValidationError` (the hydrate settings do
 * not fit this customer) comes back before any request is sent.
 */
export async function provisionCustomer(
  config: BrokerConfig,
  customer: Customer,
  options: { onEvent: (event: RecipeEvent) => void; signal: AbortSignal },
): Promise<ProvisionOutcome> {
  const { env, journal } = config;
  const common = {
    journal,
    onEvent: options.onEvent,
    signal: options.signal,
    ...(config.retry ? { retry: config.retry } : {}),
  };
  let fleet;
  try {
    fleet = await provisionFleet(
      env,
      { partner: config.partnerInput, customers: [customer], ...(config.hydrate ? { hydrate: config.hydrate } : {}) },
      { ...common, concurrency: 1, ...(config.reload ? { reload: config.reload } : {}) },
    );
  } catch (error) {
    return { status: 'failed', error };
  }
  const result = fleet.customers[0]!;
  const provisioned: ProvisionOutcome = {
    status: result.status,
    ...(result.tenantHost ? { tenantHost: result.tenantHost } : {}),
    ...(result.appId ? { publishedAppId: result.appId } : {}),
    ...(result.failedStep ? { failedStep: result.failedStep } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
  if (result.status === 'failed' || result.status === 'aborted' || !config.customization || !result.tenantHost)
    return provisioned;

  try {
    const customized = await customizeTenant(
      env,
      { customerId: customer.customerId, tenantHost: result.tenantHost, ...config.customization },
      common,
    );
    // Qlik answers an impersonation client's secret only to the run that made the client: keep it now.
    const impersonation = customized.outputs.impersonationClient;
    if (impersonation.clientId && impersonation.clientSecret)
      await config.impersonationSecrets.set(result.tenantHost, {
        clientId: impersonation.clientId,
        clientSecret: impersonation.clientSecret,
      });
    const status =
      provisioned.status === 'provisioned' || customized.status === 'provisioned' ? 'provisioned' : 'unchanged';
    return { ...provisioned, status, webIntegrationId: customized.outputs.webIntegration.webIntegrationId };
  } catch (error) {
    const step = (error as { step?: unknown }).step;
    return {
      ...provisioned,
      status: options.signal.aborted ? 'aborted' : 'failed',
      ...(typeof step === 'string' ? { failedStep: step } : {}),
      error,
    };
  }
}

/** True when the outcome is "another run holds this customer" (nothing was read or written). */
export function isLockedOutcome(outcome: ProvisionOutcome): boolean {
  return (
    outcome.error instanceof CustomerLockedError ||
    (outcome.error as { name?: unknown } | undefined)?.name === 'CustomerLockedError'
  );
}

/** True when the run was refused by input validation, before any request. */
export function isInvalidOutcome(outcome: ProvisionOutcome): boolean {
  return isQlikValidationError(outcome.error);
}

/** The `error` of a failed result line: scrubbed (no tokens, keys or passwords), with the step and a code. */
export function resultError(
  outcome: ProvisionOutcome,
): { step: string | null; message: string; code: string } | undefined {
  if (outcome.error === undefined) return undefined;
  const serialized = serializeError(outcome.error);
  const cause = serialized.cause;
  return {
    step: outcome.failedStep ?? null,
    message: serialized.message,
    // The most specific code known: Qlik's error code, else the kind of error that made the step fail.
    code: cause?.code ?? serialized.code ?? cause?.name ?? serialized.name,
  };
}
