// The errors the recipes throw that partners check for (`instanceof`, `name`), in a module of their own so
// that the package root defines them without loading the recipes' implementation.
import { QlikError } from '@qlik-oem/core';
import type { OrganizationTenant } from '@qlik-oem/qlik-cloud';

/** A tenant that is not this customer's: the partner's source tenant, another customer's, or one nobody marked. */
export class TenantOwnershipError extends QlikError {
  override name = 'TenantOwnershipError';
  constructor(
    readonly customerId: string,
    readonly tenantId: string,
    readonly host: string,
    readonly reason: string,
  ) {
    super(`Tenant ${tenantId} at ${host} is not customer "${customerId}"'s: ${reason}; nothing was written to it`);
  }
}

/** The tenant exists but is deactivated: onboarding does not silently reactivate it. */
export class TenantDeactivatedError extends QlikError {
  override name = 'TenantDeactivatedError';
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} is deactivated (status "disabled"); call reactivateTenant first if it should come back`);
  }
}

/**
 * A tenant create of this customer may have gone through (its answer was lost, it timed out, or a run
 * was killed during it) and there is no organization client to find out: the customer stops rather
 * than risk a second tenant. Give the environment an `organization` client, or check My Qlik's tenant
 * list for a tenant created since `since` and record it.
 */
export class TenantCreateUncertainError extends QlikError {
  override name = 'TenantCreateUncertainError';
  constructor(
    readonly customerId: string,
    readonly since: string,
  ) {
    super(
      `Customer "${customerId}" may have an orphan tenant: a tenant create sent at ${since} got no answer, and without an organization OAuth client the SDK cannot find out whether it went through; it does not create a second one`,
    );
  }
}

/** More unclaimed tenants were created in the window than this process lost answers for: someone else creates tenants too. */
export class TenantCreateAmbiguousError extends QlikError {
  override name = 'TenantCreateAmbiguousError';
  constructor(
    readonly customerId: string,
    readonly candidates: ReadonlyArray<Pick<OrganizationTenant, 'id' | 'hostnames' | 'createdAt'>>,
  ) {
    super(
      `Customer "${customerId}": a tenant create got no answer and ${candidates.length} unclaimed tenants were created since (${candidates
        .map((tenant) => `${tenant.id} ${tenant.hostnames[0] ?? ''} at ${tenant.createdAt}`)
        .join('; ')}); adopt one by hand (record it in the journal) instead of creating a second`,
    );
  }
}

/** An automation run of `runOnce` ended without finishing. */
export class AutomationRunFailedError extends QlikError {
  override name = 'AutomationRunFailedError';
  constructor(
    readonly automationName: string,
    readonly runId: string,
    readonly status: string,
  ) {
    super(`The run ${runId} of automation "${automationName}" ended ${status}`);
  }
}
