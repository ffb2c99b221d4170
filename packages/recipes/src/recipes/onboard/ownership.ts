// Ownership of a customer's tenant: the mark the SDK sets right after a create (a group only the SDK
// writes, named for this partner and customer), the check before a tenant found by alias is adopted,
// and the typed refusal when it belongs to someone else.
import { sha256Hex } from '@qlik-oem/core/advanced';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import type { ProvisioningEnvironment } from '../context.js';
import type { OnboardInput } from '../customer.js';
import { findGroupByName, scimString } from '../finders.js';
import type { OnboardStepContext } from './context.js';
import { TenantOwnershipError } from '../errors.js';

export { TenantOwnershipError };

/**
 * The group that marks a tenant as this partner's tenant for this customer. The partner is named by a
 * hash of its JWT issuer (stable, and no partner detail shows in the customer's tenant).
 */
export function ownershipMarkName(input: {
  partner: { jwt: { issuer: string } };
  customer: { customerId: string };
}): string {
  return `${partnerMarkPrefix(input)}${input.customer.customerId}`;
}

/** What every mark of this partner starts with, whichever customer it names. */
function partnerMarkPrefix(input: { partner: { jwt: { issuer: string } } }): string {
  return `qlik-oem-owner:${sha256Hex(input.partner.jwt.issuer).slice(0, 16)}:`;
}

/**
 * A mark of this partner for another customer on the tenant at `host`, if it has one. Groups filters are
 * case-insensitive (Groups API spec), so the prefix is compared again exactly.
 */
async function otherCustomersMark(
  env: ProvisioningEnvironment,
  host: string,
  input: Pick<OnboardInput, 'partner' | 'customer'>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const prefix = partnerMarkPrefix(input);
  const page = unwrap(
    await env.tenant(host).groups.GET('/api/v1/groups', {
      params: { query: { filter: `name sw ${scimString(prefix)}`, limit: 100 } },
      signal,
    }),
  );
  const ours = ownershipMarkName(input);
  return (page.data ?? []).map((group) => group.name).find((name) => name.startsWith(prefix) && name !== ours);
}

/** True when the tenant at `host` carries this customer's mark. */
export async function hasOwnershipMark(
  env: ProvisioningEnvironment,
  host: string,
  input: Pick<OnboardInput, 'partner' | 'customer'>,
  signal: AbortSignal,
): Promise<boolean> {
  return (await findGroupByName(env.tenant(host), ownershipMarkName(input), signal)) !== undefined;
}

// 2b. The ownership mark, right after the tenant exists (and recorded in the journal as this step's output).
export function tenantOwnerStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'tenantOwner',
    async inspect(ctx: OnboardStepContext<{ tenant: { tenantId: string; primaryHost: string } }>) {
      const name = ownershipMarkName(ctx.input);
      const found = await findGroupByName(env.tenant(ctx.outputs.tenant.primaryHost), name, ctx.signal);
      if (found)
        return {
          action: 'none',
          reason: "the tenant carries this customer's mark",
          outputs: { markGroupId: found.id },
        };
      // A tenant already marked for another customer is that customer's, however this one came to it (a lost
      // create reconciled by a process that could not see another process's new tenant): never mark it twice.
      const host = ctx.outputs.tenant.primaryHost;
      const other = await otherCustomersMark(env, host, ctx.input, ctx.signal);
      if (other)
        throw new TenantOwnershipError(
          ctx.input.customer.customerId,
          ctx.outputs.tenant.tenantId,
          host,
          `it carries another customer's ownership mark (${other})`,
        );
      return { action: 'create', reason: 'a tenant created for this customer is marked as its own', marker: name };
    },
    async apply(ctx: OnboardStepContext<{ tenant: { tenantId: string; primaryHost: string } }>) {
      const created = unwrap(
        await env.tenant(ctx.outputs.tenant.primaryHost).groups.POST('/api/v1/groups', {
          body: { name: ownershipMarkName(ctx.input), providerType: 'idp' },
          signal: ctx.signal,
        }),
      );
      return { markGroupId: created.id };
    },
  });
}
