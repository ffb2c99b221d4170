// The input schemas of deployAutomations, loaded on first validation.
import { z } from 'zod';

/** An automation's workspace, as Qlik's Automations API takes it. */
export const automationDefinitionSchema = z.object({
  description: z.string({ error: 'must be a string' }).default(''),
  workspace: z.record(z.string(), z.unknown(), { error: 'must be an object (the Qlik Automate workspace)' }),
  schedules: z.array(z.record(z.string(), z.unknown()), { error: 'must be a list of schedules' }).default([]),
});
export type AutomationDefinition = z.output<typeof automationDefinitionSchema>;

/** One automation a customer tenant gets. */
export const automationSpecSchema = z.object({
  /** Its name: how it is found in the source tenant and in the customer's. */
  name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
  /** The definition (e.g. from a JSON file in git, see `readAutomationFile`); default: the source tenant's. */
  definition: automationDefinitionSchema.optional(),
  /** Default true. */
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  /** Run it once (and wait for the run) after it was created or changed. Default false. */
  runOnce: z.boolean({ error: 'must be true or false' }).default(false),
});
export type AutomationSpec = z.output<typeof automationSpecSchema>;
export type AutomationSpecInput = z.input<typeof automationSpecSchema>;

export const automationListSchema = z
  .array(automationSpecSchema, { error: 'must be a list of automations' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((spec, index) => {
      if (seen.has(spec.name))
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'appears twice; names must be unique' });
      seen.add(spec.name);
    });
  });

export const deployAutomationsInputSchema = z.object({
  customerId: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
  tenantHost: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a hostname without a scheme'),
  automations: automationListSchema,
});
export type DeployAutomationsInput = z.input<typeof deployAutomationsInputSchema>;
export type DeployAutomationsParsedInput = z.output<typeof deployAutomationsInputSchema>;
