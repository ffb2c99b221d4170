import { z } from 'zod';
import { customerIdSchema, spaceNameSchema, tenantHostnameSchema } from '../validation/schemas.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One customer of the multi-cloud setup: which QSEoW apps go to which tenant and space. */
export const multiCloudCustomerSchema = z
  .object({
    customerId: customerIdSchema,
    /** The customer's tenant, e.g. `acme.eu.qlikcloud.com`. */
    tenantHost: tenantHostnameSchema,
    /** The deployment's name on QSEoW (also the routing custom property's value). Default: the customer id. */
    deploymentName: z
      .string({ error: 'must be a string' })
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit',
      )
      .optional(),
    /** The published QSEoW apps to distribute (they keep their ids in the tenant). */
    appIds: z
      .array(z.string({ error: 'must be a string' }).regex(GUID, 'must be a QSEoW app GUID'), {
        error: 'must be an array of app GUIDs',
      })
      .min(1, 'must name at least one app')
      .max(100, 'must name at most 100 apps')
      .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, 'must not repeat an app'),
    /** The managed space the staged apps are moved into, by name (it must exist in the tenant)... */
    managedSpace: spaceNameSchema.optional(),
    /** ...or by id (e.g. onboardTenant's `spaces.managedSpaceId`). */
    managedSpaceId: z
      .string({ error: 'must be a string' })
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a space id')
      .optional(),
  })
  .refine((customer) => (customer.managedSpace === undefined) !== (customer.managedSpaceId === undefined), {
    path: ['managedSpace'],
    message: 'name the managed space by name (managedSpace) or by id (managedSpaceId): exactly one of them',
  })
  .transform((customer) => ({
    ...customer,
    deploymentName: customer.deploymentName ?? customer.customerId,
    appIds: customer.appIds.map((id) => id.toLowerCase()),
  }));

export type MultiCloudCustomer = z.output<typeof multiCloudCustomerSchema>;
export type MultiCloudCustomerInput = z.input<typeof multiCloudCustomerSchema>;
