// Ownership of a customer's tenant: the mark the SDK sets right after a create (a group only the SDK
// writes, named for this partner and customer), the check before a tenant found by alias is adopted,
// and the typed refusal when it belongs to someone else.
import { sha256Hex } from '@qlik-oem/core/advanced';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import type { ProvisioningEnvironment } from '../context.js';
import type { OnboardInput } from '../customer.js';
import { findGroupByName } from '../finders.js';
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
  const partner = sha256Hex(input.partner.jwt.issuer).slice(0, 16);
  return `qlik-oem-owner:${partner}:${input.customer.customerId}`;
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
