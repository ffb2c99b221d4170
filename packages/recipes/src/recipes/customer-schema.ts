import { z } from 'zod';
import {
  customerIdSchema,
  groupNameSchema,
  publicKeyPemSchema,
  spaceNameSchema,
  tenantAliasSchema,
  text,
} from '../validation/schemas.js';
import { TEMPLATE_PLACEHOLDER, spaceNameFor } from './customer.js';

// The input schemas of onboarding (loaded on first validation): one partner configuration shared by the fleet,
// one record per customer.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An interactive tenant admin for the customer (invited; signs in through the tenant's interactive IdP). */
export const tenantAdminSchema = z.object({
  email: z.string({ error: 'must be a string' }).trim().toLowerCase().regex(EMAIL, 'must be an email address'),
  name: text().optional(),
  /** The IdP subject; defaults to the email. */
  subject: text().optional(),
});

/** One end customer of the partner. */
export const customerSchema = z.object({
  customerId: customerIdSchema,
  /** Display name, e.g. "Acme Corporation"; substituted into space names. */
  name: text(),
  /** The tenant alias: the customer's tenant becomes `<alias>.<region>.qlikcloud.com`. */
  alias: tenantAliasSchema,
  /** Give the partner's contributors group the contributor role in the managed space. */
  allowContributors: z.boolean({ error: 'must be true or false' }).default(false),
  admin: tenantAdminSchema.optional(),
});

export type Customer = z.output<typeof customerSchema>;
export type CustomerInput = z.input<typeof customerSchema>;

const spaceTemplateSchema = text().refine(
  (template) => template.replace(TEMPLATE_PLACEHOLDER, '').match(/[{}]/) === null,
  'may only use the placeholders {name}, {alias} and {customerId}',
);

/** The partner's configuration, the same for every customer. */
export const partnerSchema = z.object({
  /** The partner's JWT signing key for single sign-on into every customer tenant. */
  jwt: z.object({
    issuer: text(1024),
    keyId: text(),
    publicKeyPem: publicKeyPemSchema,
  }),
  /** Authorization groups created in every tenant (so they can be assigned before anyone signs in). */
  groups: z
    .object({
      consumers: groupNameSchema.default('Consumers'),
      contributors: groupNameSchema.default('Contributors'),
      /** More groups to create up front (not assigned to spaces). */
      additional: z.array(groupNameSchema).default([]),
    })
    .default({ consumers: 'Consumers', contributors: 'Contributors', additional: [] }),
  /** Space-name templates; `{name}`, `{alias}` and `{customerId}` are replaced per customer. */
  spaces: z
    .object({
      shared: spaceTemplateSchema.default('{name} (development)'),
      managed: spaceTemplateSchema.default('{name}'),
    })
    .default({ shared: '{name} (development)', managed: '{name}' }),
  groupSettings: z
    .object({ autoCreateGroups: z.boolean().default(true), syncIdpGroups: z.boolean().default(true) })
    .default({ autoCreateGroups: true, syncIdpGroups: true }),
  licenseSettings: z
    .object({ autoAssignProfessional: z.boolean().default(false), autoAssignAnalyzer: z.boolean().default(true) })
    .default({ autoAssignProfessional: false, autoAssignAnalyzer: true }),
});

export type PartnerConfig = z.output<typeof partnerSchema>;
export type PartnerConfigInput = z.input<typeof partnerSchema>;

/**
 * Problems a customer's space names have under the partner's templates (a template that is fine on
 * its own can still produce a forbidden name for one customer). Paths are relative to the customer.
 */
export function spaceNameProblems(
  customer: Customer,
  partner: PartnerConfig,
): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  for (const kind of ['shared', 'managed'] as const) {
    const result = spaceNameSchema.safeParse(spaceNameFor(partner.spaces[kind], customer));
    if (!result.success) {
      problems.push({
        path: ['name'],
        message: `gives a ${kind} space name that ${result.error.issues[0]?.message ?? 'is not valid'} (partner.spaces.${kind})`,
      });
    }
  }
  if (
    spaceNameFor(partner.spaces.shared, customer).toLowerCase() ===
    spaceNameFor(partner.spaces.managed, customer).toLowerCase()
  ) {
    problems.push({
      path: [],
      message:
        'gets the same name for the shared and the managed space (partner.spaces); space names are unique per tenant',
    });
  }
  return problems;
}

/** The input of `onboardTenant`: the customer and the partner configuration. */
export const onboardInputSchema = z
  .object({ customer: customerSchema, partner: partnerSchema })
  .superRefine((input, ctx) => {
    for (const problem of spaceNameProblems(input.customer, input.partner)) {
      ctx.addIssue({ code: 'custom', path: ['customer', ...problem.path], message: problem.message });
    }
  });

export type OnboardInput = z.output<typeof onboardInputSchema>;
export type OnboardInputRaw = z.input<typeof onboardInputSchema>;
