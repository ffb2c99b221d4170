// The input schemas of deprovisionTenant and reactivateTenant, loaded on first validation.
import { z } from 'zod';
import { customerIdSchema, tenantAliasSchema } from '../validation/schemas.js';

/** Which tenant to deactivate or reactivate: the customer's alias, and its id when known. */
export const tenantLifecycleInputSchema = z.object({
  customerId: customerIdSchema,
  alias: tenantAliasSchema,
  /** The tenant id (e.g. `onboardTenant`'s `tenant.tenantId`). Without it the tenant is found by its alias host. */
  tenantId: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').optional(),
});

export const deprovisionInputSchema = tenantLifecycleInputSchema.extend({
  /** Days until Qlik purges the deactivated tenant (10–90 per the tenants spec; default 30). */
  purgeAfterDays: z
    .number({ error: 'must be a number' })
    .int('must be a whole number of days')
    .min(10, 'must be at least 10')
    .max(90, 'must be at most 90')
    .default(30),
});

export type TenantLifecycleInput = z.input<typeof tenantLifecycleInputSchema>;
export type DeprovisionInput = z.input<typeof deprovisionInputSchema>;
