// The onboardTenant recipe: its steps in order, the outputs a partner keeps, and the apply entry point.
import { defineRecipe, type Recipe } from '../recipe.js';
import { applyRecipe, type ApplyOptions, type ApplyResult } from '../runner.js';
import type { ProvisioningEnvironment } from './context.js';
import { lazySchema } from '../validation/load.js';
import type { OnboardInput, OnboardInputRaw } from './customer.js';
import { jwtIdpStep } from './onboard/jwt-idp-step.js';
import { adminStep, groupSettingsStep, licenseSettingsStep } from './onboard/settings-steps.js';
import { groupsStep, spaceRolesStep, spacesStep } from './onboard/space-steps.js';
import { tenantOwnerStep } from './onboard/ownership.js';
import { createTenantLedger } from './onboard/tenant-ledger.js';
import {
  licenseKeyStep,
  readSourceLicenseKey,
  sourceSubscription,
  tenantAliasHost,
  tenantNameStep,
  tenantStep,
  type OnboardRecipeOptions,
} from './onboard/tenant-steps.js';

export { type GroupIds } from './onboard/space-steps.js';
export { TenantOwnershipError, ownershipMarkName } from './onboard/ownership.js';
export {
  TenantCreateAmbiguousError,
  TenantCreateUncertainError,
  createTenantLedger,
  type TenantLedger,
} from './onboard/tenant-ledger.js';
export {
  readSourceLicenseKey,
  sourceSubscription,
  tenantAliasHost,
  TenantDeactivatedError,
  type OnboardRecipeOptions,
} from './onboard/tenant-steps.js';

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadOnboardInput = lazySchema('onboardInputSchema');

/**
 * The `onboardTenant` recipe for one environment: creates (or finds) the customer's tenant and
 * configures it. Every step reads first and writes only what is missing or different, so a second
 * run writes nothing.
 */
export function onboardTenantRecipe(env: ProvisioningEnvironment, options: OnboardRecipeOptions = {}) {
  const readLicenseKey = options.readLicenseKey ?? ((signal: AbortSignal) => readSourceLicenseKey(env, signal));
  const aliasHostOf = (input: OnboardInput) => tenantAliasHost(env, input.customer.alias);
  const subscriptionOf = options.subscriptionOf ?? sourceSubscription(env);
  const ledger =
    options.ledger ??
    createTenantLedger({
      organization: env.organization,
      sourceTenantHost: env.sourceTenantHost,
      subscriptionId: subscriptionOf,
      ...(options.coordination ? { coordination: options.coordination } : {}),
      settle: settleWait(env),
    });

  return defineRecipe({
    name: 'onboardTenant',
    input: loadOnboardInput,
    customerId: (input) => input.customer.customerId,
  })
    .step(licenseKeyStep(readLicenseKey))
    .step(tenantStep(env, aliasHostOf, ledger, subscriptionOf))
    .step(tenantOwnerStep(env))
    .step(tenantNameStep(env, aliasHostOf))
    .step(adminStep(env))
    .step(groupSettingsStep(env))
    .step(licenseSettingsStep(env))
    .step(jwtIdpStep(env))
    .step(groupsStep(env))
    .step(spacesStep(env))
    .step(spaceRolesStep(env));
}

export type OnboardTenantRecipe = ReturnType<typeof onboardTenantRecipe>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OutputsOf<R> = R extends Recipe<any, infer Outputs, any> ? Outputs : never;
export type OnboardTenantOutputs = OutputsOf<OnboardTenantRecipe>;

/** What a partner usually needs from an onboarded tenant. */
export interface OnboardedTenant {
  tenantId: string;
  tenantHost: string;
  sharedSpaceId: string;
  managedSpaceId: string;
  groupIds: Record<string, string>;
  idpId: string;
  adminUserId: string | null;
}

export function onboardedTenantOf(outputs: OnboardTenantOutputs): OnboardedTenant {
  return {
    tenantId: outputs.tenant.tenantId,
    tenantHost: outputs.tenantName.tenantHost,
    sharedSpaceId: outputs.spaces.sharedSpaceId,
    managedSpaceId: outputs.spaces.managedSpaceId,
    groupIds: outputs.groups.groupIds,
    idpId: outputs.jwtIdp.idpId,
    adminUserId: outputs.admin.userId,
  };
}

/**
 * Onboards one customer: tenant, name and alias, admin, settings, JWT IdP, groups, spaces and role
 * assignments. Validates `{ customer, partner }` first (`QlikValidationError`, before any request);
 * a failed step throws a `RecipeStepError` naming the customer and the step.
 */
export async function onboardTenant(
  env: ProvisioningEnvironment,
  input: OnboardInputRaw,
  options: ApplyOptions = {},
): Promise<ApplyResult<OnboardTenantOutputs> & { tenant: OnboardedTenant }> {
  // The journal store's coordination (fleet-wide when processes share the store, as broker instances do), so a
  // lost create is reconciled knowing every process's creates, not only this call's.
  const coordination = options.journal?.coordination;
  const result = await applyRecipe(onboardTenantRecipe(env, coordination ? { coordination } : {}), input, options);
  return { ...result, tenant: onboardedTenantOf(result.outputs) };
}

/** How long a create may still be processing when its answer was lost (a minute of the environment's clock). */
export function settleWait(env: ProvisioningEnvironment): (signal: AbortSignal) => Promise<void> {
  return (signal) => env.clock.sleep(60_000, signal);
}
