// The package root's recipe entry points: each is the implementation's function of the same name, loaded on
// its first call (`lazy.ts`). Parameters, results and errors are the implementation's.
import { lazy } from './lazy.js';

/**
 * Onboards one customer: tenant, name and alias, admin, settings, JWT IdP, groups, spaces and role
 * assignments. Validates `{ customer, partner }` first (`QlikValidationError`, before any request);
 * a failed step throws a `RecipeStepError` naming the customer and the step.
 */
export const onboardTenant = lazy('onboardTenant');
/** Reads the source tenant's signed license key (the one a tenant create needs). */
export const readSourceLicenseKey = lazy('readSourceLicenseKey');
/** Deactivates the customer's tenant (Qlik purges it after `purgeAfterDays`). Input validated before any request. */
export const deprovisionTenant = lazy('deprovisionTenant');
/** Reactivates a deactivated tenant of the customer. Input validated before any request. */
export const reactivateTenant = lazy('reactivateTenant');
/**
 * Provisions a fleet: for every customer, onboarding, then customization, hydration, multi-cloud and
 * automations as configured, one journaled recipe per customer. The whole input is validated before any
 * request, then checked against Qlik (reads only) before the first write.
 */
export const provisionFleet = lazy('provisionFleet');
/** What `provisionFleet` would do, customer by customer, without writing anything (not even the journal). */
export const planProvisionFleet = lazy('planProvisionFleet');
/** Hydrates one customer's tenant from the template app (export, import, connection, reload, publish, schedule). */
export const hydrateFromTemplate = lazy('hydrateFromTemplate');
/** What `hydrateFromTemplate` would do, without writing. */
export const planHydrateFromTemplate = lazy('planHydrateFromTemplate');
/** Deploys the named automations into one customer tenant. Input is validated before any request. */
export const deployAutomations = lazy('deployAutomations');
/** What `deployAutomations` would do, without writing. */
export const planDeployAutomations = lazy('planDeployAutomations');
/** Reads an automation definition kept in git and returns a spec to put in `automations`. */
export const readAutomationFile = lazy('readAutomationFile');
/** The automation named exactly `name` (with its workspace), or undefined. */
export const findAutomationByName = lazy('findAutomationByName');
/**
 * Connects one customer's tenant to the partner's QSEoW site and brings the apps over: deployment, token,
 * tenant IdP, routing, forced distribution (waiting for the app to land), and the first move into the managed
 * space. The site options and the input are validated before any request.
 */
export const setupMultiCloud = lazy('setupMultiCloud');
/** `setupMultiCloud` for many customers (one journal and worker per customer; see `runFleet`). */
export const setupMultiCloudFleet = lazy('setupMultiCloudFleet');
/**
 * Validates the QSEoW site options (`QlikValidationError` naming the field, never the key) and returns the site;
 * its QRS client is built on the first `site.qrs()`.
 */
export const createQseowSite = lazy('createQseowSite');
/** White-labels and prepares one tenant for embedding: web integration, CSP origins, brand, extensions, themes, impersonation client. */
export const customizeTenant = lazy('customizeTenant');
/** What `customizeTenant` would do, without writing. */
export const planCustomizeTenant = lazy('planCustomizeTenant');
/** A new secret for the tenant's impersonation client, in place of all its others. */
export const replaceImpersonationClientSecret = lazy('replaceImpersonationClientSecret');
/** Rotates the tenant's impersonation client secret without a moment in which the partner holds none. */
export const rotateImpersonationClientSecret = lazy('rotateImpersonationClientSecret');
/** The id of the tenant's impersonation client of this name, or undefined. Reads only. */
export const findImpersonationClientId = lazy('findImpersonationClientId');
/**
 * Builds the per-customer Amazon S3 data connection for `hydrateFromTemplate` (its `dataConnection` input).
 * Options are validated first (`QlikValidationError`, values never echoed); the secret stays a `Secret`.
 */
export const s3DataConnection = lazy('s3DataConnection');
