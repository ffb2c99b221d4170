import { createHash } from 'node:crypto';
import { redactText, type ValidationIssue } from '@qlik-oem/core';
import { z } from 'zod';
import { createValidationError } from '../validation/parse.js';
import {
  customerSchema,
  partnerSchema,
  spaceNameProblems,
  type Customer,
  type CustomerInput,
  type PartnerConfig,
  type PartnerConfigInput,
} from './customer-schema.js';
import {
  tenantCustomizationSchema,
  type TenantCustomization,
  type TenantCustomizationInput,
} from './customize-tenant-input.js';
import { hydrateFromTemplateInputSchema, type HydrateFromTemplateInput } from './hydrate/input.js';
import { automationListSchema, type AutomationSpec, type AutomationSpecInput } from './deploy-automations-input.js';
import { multiCloudCustomerSchema } from './setup-multi-cloud-input.js';
import type { QseowSite, QseowSiteOptions } from './setup-multi-cloud-site.js';

// The input of provisionFleet and its validation: everything is checked before the first request.

/** The hydrate settings of a fleet: the same template for everyone, a data connection per customer. */
export interface FleetHydrateConfig {
  template: HydrateFromTemplateInput['template'];
  /** The customer's data connection, e.g. `(c) => ({ name: 'Customer data', datasourceId: 'postgres', connectionString: `host=db;database=${c.alias}` })`. */
  dataConnection:
    HydrateFromTemplateInput['dataConnection'] | ((customer: Customer) => HydrateFromTemplateInput['dataConnection']);
  scriptConnection?: HydrateFromTemplateInput['scriptConnection'];
  reloadSchedule?: HydrateFromTemplateInput['reloadSchedule'];
}

/** Multi-cloud for partners on QSEoW: the partner's site distributes apps to each customer's tenant (see `setupMultiCloud`). */
export interface FleetMultiCloudConfig {
  site: QseowSite | QseowSiteOptions;
  /** The published QSEoW apps a customer gets; `undefined` (from a function) for a customer without multi-cloud. */
  appIds: readonly string[] | ((customer: Customer) => readonly string[] | undefined);
  /** The deployment's name on QSEoW; default: the customer id. */
  deploymentName?: (customer: Customer) => string;
}

export interface ProvisionFleetInput {
  partner: PartnerConfigInput;
  customers: readonly CustomerInput[];
  /**
   * Embedding and white-label settings for every tenant (web integration, CSP origins, brand,
   * extensions, themes; see `customizeTenant`), the same for all or built per customer. Applied after
   * onboarding, before hydrating.
   */
  customize?: TenantCustomizationInput | ((customer: Customer) => TenantCustomizationInput);
  /** Hydrate every tenant from the template after onboarding. Omit to onboard only. */
  hydrate?: FleetHydrateConfig;
  /** Distribute QSEoW apps to each tenant's managed space after onboarding (`setupMultiCloud`'s steps). */
  multiCloud?: FleetMultiCloudConfig;
  /**
   * Automations every tenant gets (see `deployAutomations`), the same for all or built per customer
   * (`undefined` for none). Deployed after hydrating.
   */
  automations?: readonly AutomationSpecInput[] | ((customer: Customer) => readonly AutomationSpecInput[] | undefined);
}

const hydratePartSchema = hydrateFromTemplateInputSchema.omit({
  customerId: true,
  tenantHost: true,
  sharedSpaceId: true,
  managedSpaceId: true,
});
export type HydratePart = z.output<typeof hydratePartSchema>;

/** What each customer's composed run gets: validated once, up front. */
export interface ProvisionCustomerInput {
  customer: Customer;
  partner: PartnerConfig;
  customize?: TenantCustomization;
  hydrate?: HydratePart;
  multiCloud?: { appIds: string[]; deploymentName: string };
  automations?: AutomationSpec[];
}

const fleetSchema = (env: { region: string; sourceTenantHost: string }) =>
  z
    .object({ partner: partnerSchema, customers: z.array(customerSchema, { error: 'must be an array of customers' }) })
    .superRefine((input, ctx) => {
      const firstById = new Map<string, number>();
      const firstByAlias = new Map<string, number>();
      input.customers.forEach((customer, index) => {
        if (isSourceTenantAlias(customer.alias, env))
          ctx.addIssue({
            code: 'custom',
            path: ['customers', index, 'alias'],
            message: `names the partner's source tenant ${env.sourceTenantHost}; a customer needs a tenant of its own`,
          });
        for (const problem of spaceNameProblems(customer, input.partner)) {
          ctx.addIssue({ code: 'custom', path: ['customers', index, ...problem.path], message: problem.message });
        }
        const sameId = firstById.get(customer.customerId);
        if (sameId !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['customers', index, 'customerId'],
            message: `is the same as customers[${sameId}]; each customer must appear once`,
          });
        else firstById.set(customer.customerId, index);
        const sameAlias = firstByAlias.get(customer.alias);
        if (sameAlias !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['customers', index, 'alias'],
            message: `is the same as customers[${sameAlias}]; every tenant needs its own alias`,
          });
        else firstByAlias.set(customer.alias, index);
      });
    });

/** True when `<alias>.<region>.qlikcloud.com` is the source tenant's host (by alias or by its first label). */
export function isSourceTenantAlias(alias: string, env: { region: string; sourceTenantHost: string }): boolean {
  return (
    `${alias}.${env.region}.qlikcloud.com` === env.sourceTenantHost || env.sourceTenantHost.split('.')[0] === alias
  );
}

/** Validates the whole fleet before anything is sent; one `QlikValidationError` lists every problem. */
export function validateFleet(
  input: ProvisionFleetInput,
  env: { region: string; sourceTenantHost: string },
): ProvisionCustomerInput[] {
  const { region } = env;
  const label = 'provisionFleet input';
  const issues: ValidationIssue[] = [];
  const toIssues = (error: z.ZodError, prefix: ReadonlyArray<string | number>) =>
    error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))],
      message: issue.message,
    }));

  const parsed = fleetSchema(env).safeParse({ partner: input?.partner, customers: input?.customers });
  if (!parsed.success) throw createValidationError(label, toIssues(parsed.error, []));
  const { partner, customers } = parsed.data;

  const built = <T>(index: number, field: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (error) {
      issues.push({
        path: ['customers', index, field],
        // A builder's text may quote the connection string it failed on, password included.
        message: `could not be built: ${redactText(error instanceof Error ? error.message : String(error))}`,
      });
      return undefined;
    }
  };
  const { hydrate, customize, multiCloud, automations } = input;
  const composed = customers.map((customer, index): ProvisionCustomerInput => {
    const entry: ProvisionCustomerInput = { customer, partner };
    if (customize !== undefined) {
      const raw = built(index, 'customize', () => (typeof customize === 'function' ? customize(customer) : customize));
      // A builder may return nothing for a customer: nothing to customize there.
      const part = tenantCustomizationSchema.safeParse(raw ?? {});
      if (part.success) entry.customize = part.data;
      else issues.push(...toIssues(part.error, ['customers', index, 'customize']));
    }
    if (hydrate) {
      const dataConnection = built(index, 'dataConnection', () =>
        typeof hydrate.dataConnection === 'function' ? hydrate.dataConnection(customer) : hydrate.dataConnection,
      );
      const part = hydratePartSchema.safeParse({
        template: hydrate.template,
        dataConnection,
        ...(hydrate.scriptConnection !== undefined ? { scriptConnection: hydrate.scriptConnection } : {}),
        ...(hydrate.reloadSchedule !== undefined ? { reloadSchedule: hydrate.reloadSchedule } : {}),
      });
      if (part.success) entry.hydrate = part.data;
      else if (dataConnection !== undefined) issues.push(...toIssues(part.error, ['customers', index, 'hydrate']));
    }
    if (multiCloud) {
      const appIds = built(index, 'multiCloud', () =>
        typeof multiCloud.appIds === 'function' ? multiCloud.appIds(customer) : multiCloud.appIds,
      );
      const deploymentName = built(index, 'multiCloud', () => multiCloud.deploymentName?.(customer));
      if (appIds !== undefined) {
        // Tenant host and managed space come from onboarding; their placeholders only let the rest be checked now.
        const part = multiCloudCustomerSchema.safeParse({
          customerId: customer.customerId,
          tenantHost: `${customer.alias}.${region}.qlikcloud.com`,
          managedSpaceId: 'to-be-onboarded',
          appIds,
          ...(deploymentName !== undefined ? { deploymentName } : {}),
        });
        if (part.success) entry.multiCloud = { appIds: part.data.appIds, deploymentName: part.data.deploymentName };
        else issues.push(...toIssues(part.error, ['customers', index, 'multiCloud']));
      }
    }
    if (automations !== undefined) {
      const raw = built(index, 'automations', () =>
        typeof automations === 'function' ? automations(customer) : automations,
      );
      if (raw !== undefined) {
        const part = automationListSchema.safeParse(raw);
        if (part.success) entry.automations = part.data;
        else issues.push(...toIssues(part.error, ['customers', index, 'automations']));
      }
    }
    return entry;
  });
  issues.push(...sharedConnectionIssues(composed));
  if (issues.length > 0) throw createValidationError(label, issues);
  return composed;
}

/**
 * What makes a customer's data connection reach that customer's data: its connector, connection
 * string or create body. Two customers with the same one would read each other's data. A hash, so no
 * credential is kept.
 */
export function dataConnectionFingerprint(entry: ProvisionCustomerInput): string | undefined {
  const connection = entry.hydrate?.dataConnection;
  if (!connection) return undefined;
  const { datasourceId, connectionString, createBody } = connection;
  return createHash('sha256')
    .update(JSON.stringify([datasourceId ?? null, connectionString ?? null, createBody ?? null]))
    .digest('hex');
}

/** The field a shared connection shows in: the connection string, or the create body. */
export function dataConnectionPath(entry: ProvisionCustomerInput, index: number): Array<string | number> {
  const field = entry.hydrate?.dataConnection.createBody !== undefined ? 'createBody' : 'connectionString';
  return ['customers', index, 'hydrate', 'dataConnection', field];
}

/** Customers whose data connection is another customer's (a builder that forgot the customer's placeholder). */
function sharedConnectionIssues(composed: readonly ProvisionCustomerInput[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const firstBy = new Map<string, number>();
  composed.forEach((entry, index) => {
    const fingerprint = dataConnectionFingerprint(entry);
    if (fingerprint === undefined) return;
    const first = firstBy.get(fingerprint);
    if (first === undefined) firstBy.set(fingerprint, index);
    else issues.push(sharedConnectionIssue(entry, index, composed[first]!.customer.customerId));
  });
  return issues;
}

export function sharedConnectionIssue(
  entry: ProvisionCustomerInput,
  index: number,
  otherCustomerId: string,
): ValidationIssue {
  return {
    path: dataConnectionPath(entry, index),
    message: `customer "${entry.customer.customerId}" gets the same data connection as customer "${otherCustomerId}"; build it from the customer (its alias or id) so each reads its own data`,
  };
}

/** The composed recipe's input: customers `validateFleet` already checked (Secrets included, which a second parse would reject). */
export const validatedCustomerInputSchema = z.custom<ProvisionCustomerInput>(
  (value) => typeof value === 'object' && value !== null,
  'must be a validated customer input',
);
