// The package root's recipe entry points: each is the implementation's function of the same name, loaded on
// its first call (`lazy.ts`). Each is published with its signature written out, which the compiler checks is
// exactly the implementation's (`lazy`), so the API report shows it and a changed signature fails `api:check`.
import type { QlikCloud } from '@qlik-oem/qlik-cloud';
import { lazy } from './lazy.js';
import type { CustomerPlan, FleetOptions, FleetPlanOptions, FleetResult } from './fleet.js';
import type { ApplyOptions, ApplyResult, PlanOptions, PlanResult } from './runner.js';
import type { ProvisioningEnvironment } from './recipes/context.js';
import type { OnboardInputRaw } from './recipes/customer.js';
import type { OnboardedTenant, OnboardTenantOutputs, OutputsOf } from './recipes/onboard-tenant.js';
import type { DeprovisionInput, TenantLifecycleInput } from './recipes/deprovision-tenant.js';
import type { ProvisionFleetInput, ProvisionFleetOptions, ProvisionFleetResult } from './recipes/provision-fleet.js';
import type {
  HydrateEnvironment,
  HydrateFromTemplateInput,
  HydrateFromTemplateOptions,
  HydrateFromTemplateOutputs,
} from './recipes/hydrate/input.js';
import type { HydrateFromTemplateRecipe } from './recipes/hydrate-from-template.js';
import type {
  Automation,
  DeployAutomationsEnvironment,
  DeployAutomationsOutputs,
} from './recipes/deploy-automations.js';
import type { AutomationSpecInput, DeployAutomationsInput } from './recipes/deploy-automations-input.js';
import type { MultiCloudCustomerInput, SetupMultiCloudOutputs } from './recipes/setup-multi-cloud.js';
import type { QseowSite, QseowSiteOptions } from './recipes/setup-multi-cloud-site.js';
import type { CustomizeTenantOutputs, TenantAccess } from './recipes/customize-tenant.js';
import type { ImpersonationClientSecretStore, RotatedClientSecret } from './recipes/customize-tenant-impersonation.js';
import type { CustomizeTenantInputRaw } from './recipes/customize-tenant-input.js';
import type { S3DataConnection, S3DataConnectionOptions } from './recipes/customize-tenant-s3-connection.js';
import type { Secret } from './validation/secret.js';

/**
 * Onboards one customer: tenant, name and alias, admin, settings, JWT IdP, groups, spaces and role
 * assignments. Validates `{ customer, partner }` first (`QlikValidationError`, before any request);
 * a failed step throws a `RecipeStepError` naming the customer and the step.
 */
export const onboardTenant: (
  env: ProvisioningEnvironment,
  input: OnboardInputRaw,
  options?: ApplyOptions,
) => Promise<ApplyResult<OnboardTenantOutputs> & { tenant: OnboardedTenant }> = lazy('onboardTenant');
/** Reads the source tenant's signed license key (the one a tenant create needs). */
export const readSourceLicenseKey: (env: ProvisioningEnvironment, signal?: AbortSignal) => Promise<string> =
  lazy('readSourceLicenseKey');
/** Deactivates the customer's tenant (Qlik purges it after `purgeAfterDays`). Input validated before any request. */
export const deprovisionTenant: (
  env: ProvisioningEnvironment,
  input: DeprovisionInput,
  options?: ApplyOptions,
) => Promise<ApplyResult<{ deactivate: { tenantId: string | null } }>> = lazy('deprovisionTenant');
/** Reactivates a deactivated tenant of the customer. Input validated before any request. */
export const reactivateTenant: (
  env: ProvisioningEnvironment,
  input: TenantLifecycleInput,
  options?: ApplyOptions,
) => Promise<ApplyResult<{ reactivate: { tenantId: string } }>> = lazy('reactivateTenant');
/**
 * Provisions a fleet: for every customer, onboarding, then customization, hydration, multi-cloud and
 * automations as configured, one journaled recipe per customer. The whole input is validated before any
 * request, then checked against Qlik (reads only) before the first write.
 */
export const provisionFleet: (
  env: ProvisioningEnvironment,
  input: ProvisionFleetInput,
  options?: ProvisionFleetOptions,
) => Promise<ProvisionFleetResult> = lazy('provisionFleet');
/** What `provisionFleet` would do, customer by customer, without writing anything (not even the journal). */
export const planProvisionFleet: (
  env: ProvisioningEnvironment,
  input: ProvisionFleetInput,
  options?: FleetPlanOptions,
) => Promise<{ customers: CustomerPlan[]; changes: number }> = lazy('planProvisionFleet');
/** Hydrates one customer's tenant from the template app (export, import, connection, reload, publish, schedule). */
export const hydrateFromTemplate: (
  env: HydrateEnvironment,
  input: HydrateFromTemplateInput,
  options?: ApplyOptions & HydrateFromTemplateOptions,
) => Promise<ApplyResult<OutputsOf<HydrateFromTemplateRecipe>> & { ids: HydrateFromTemplateOutputs }> =
  lazy('hydrateFromTemplate');
/** What `hydrateFromTemplate` would do, without writing. */
export const planHydrateFromTemplate: (
  env: HydrateEnvironment,
  input: HydrateFromTemplateInput,
  options?: PlanOptions & HydrateFromTemplateOptions,
) => Promise<PlanResult> = lazy('planHydrateFromTemplate');
/** Deploys the named automations into one customer tenant. Input is validated before any request. */
export const deployAutomations: (
  env: DeployAutomationsEnvironment,
  input: DeployAutomationsInput,
  options?: ApplyOptions & { runTimeoutMs?: number },
) => Promise<ApplyResult<{ automations: DeployAutomationsOutputs }>> = lazy('deployAutomations');
/** What `deployAutomations` would do, without writing. */
export const planDeployAutomations: (
  env: DeployAutomationsEnvironment,
  input: DeployAutomationsInput,
  options?: PlanOptions,
) => Promise<PlanResult> = lazy('planDeployAutomations');
/** Reads an automation definition kept in git and returns a spec to put in `automations`. */
export const readAutomationFile: (
  path: string,
  options?: Pick<AutomationSpecInput, 'enabled' | 'runOnce'>,
) => Promise<AutomationSpecInput> = lazy('readAutomationFile');
/** The automation named exactly `name` (with its workspace), or undefined. */
export const findAutomationByName: (
  qc: QlikCloud,
  name: string,
  signal?: AbortSignal,
) => Promise<Automation | undefined> = lazy('findAutomationByName');
/**
 * Connects one customer's tenant to the partner's QSEoW site and brings the apps over: deployment, token,
 * tenant IdP, routing, forced distribution (waiting for the app to land), and the first move into the managed
 * space. The site options and the input are validated before any request.
 */
export const setupMultiCloud: (
  env: ProvisioningEnvironment,
  site: QseowSite | QseowSiteOptions,
  customer: MultiCloudCustomerInput,
  options?: ApplyOptions,
) => Promise<ApplyResult<SetupMultiCloudOutputs>> = lazy('setupMultiCloud');
/** `setupMultiCloud` for many customers (one journal and worker per customer; see `runFleet`). */
export const setupMultiCloudFleet: (
  env: ProvisioningEnvironment,
  site: QseowSite | QseowSiteOptions,
  customers: readonly MultiCloudCustomerInput[],
  options?: FleetOptions,
) => Promise<FleetResult<SetupMultiCloudOutputs>> = lazy('setupMultiCloudFleet');
/**
 * Validates the QSEoW site options (`QlikValidationError` naming the field, never the key) and returns the site;
 * its QRS client is built on the first `site.qrs()`.
 */
export const createQseowSite: (options: QseowSiteOptions) => Promise<QseowSite> = lazy('createQseowSite');
/** White-labels and prepares one tenant for embedding: web integration, CSP origins, brand, extensions, themes, impersonation client. */
export const customizeTenant: (
  access: TenantAccess,
  input: CustomizeTenantInputRaw,
  options?: ApplyOptions,
) => Promise<ApplyResult<CustomizeTenantOutputs>> = lazy('customizeTenant');
/** What `customizeTenant` would do, without writing. */
export const planCustomizeTenant: (
  access: TenantAccess,
  input: CustomizeTenantInputRaw,
  options?: PlanOptions,
) => Promise<PlanResult> = lazy('planCustomizeTenant');
/** A new secret for the tenant's impersonation client, in place of all its others. */
export const replaceImpersonationClientSecret: (
  access: TenantAccess,
  target: { tenantHost: string; clientId: string },
  options?: { signal?: AbortSignal },
) => Promise<Secret> = lazy('replaceImpersonationClientSecret');
/** Rotates the tenant's impersonation client secret without a moment in which the partner holds none. */
export const rotateImpersonationClientSecret: (
  access: TenantAccess,
  target: { customerId: string; tenantHost: string; clientId: string; keepHint?: string },
  options: { store: ImpersonationClientSecretStore; signal?: AbortSignal },
) => Promise<RotatedClientSecret> = lazy('rotateImpersonationClientSecret');
/** The id of the tenant's impersonation client of this name, or undefined. Reads only. */
export const findImpersonationClientId: (
  access: TenantAccess,
  target: { tenantHost: string; clientName: string },
  options?: { signal?: AbortSignal },
) => Promise<string | undefined> = lazy('findImpersonationClientId');
/**
 * Builds the per-customer Amazon S3 data connection for `hydrateFromTemplate` (its `dataConnection` input).
 * Options are validated first (`QlikValidationError`, values never echoed); the secret stays a `Secret`.
 */
export const s3DataConnection: (options: S3DataConnectionOptions) => Promise<S3DataConnection> =
  lazy('s3DataConnection');
