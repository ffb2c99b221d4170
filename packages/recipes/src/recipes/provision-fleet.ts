import { resolve } from 'node:path';
import { createFileJournalStore } from '../journal/file-store.js';
import { createMemoryJournalStore } from '../journal/memory-store.js';
import { replayJournal } from '../journal/replay.js';
import type { JournalStore } from '../journal/types.js';
import { DEFAULT_JOURNAL_DIRECTORY } from '../runner.js';
import { createTenantLedger, type JournalTenantClaims, type TenantLedger } from './onboard/tenant-ledger.js';
import { sourceSubscription } from './onboard/tenant-steps.js';
import type { RecipeEvent } from '../events.js';
import {
  planFleet,
  runFleet,
  type CustomerPlan,
  type CustomerResult,
  type FleetOptions,
  type FleetPlanOptions,
} from '../fleet.js';
import { ownSignal } from '../own-signal.js';
import { defineRecipe, type AnyStep, type Recipe } from '../recipe.js';
import { isRetryableStepError, type StepRetryOptions } from '../retry.js';
import type { StepResult } from '../runner.js';
import type { StepContext } from '../step.js';
import type { ProvisioningEnvironment } from './context.js';
import { hydrateFromTemplateRecipe } from './hydrate-from-template.js';
import type { HydrateFromTemplateOptions, HydrateFromTemplateParsedInput } from './hydrate/input.js';
import { BoundedCache } from '../bounded-cache.js';
import { createValidationError } from '../validation/parse.js';
import { createFleetPreflight, PROVISION_CUSTOMER_RECIPE, type FleetPreflight } from './fleet-preflight.js';
import type { FleetMultiCloudConfig, ProvisionCustomerInput, ProvisionFleetInput } from './provision-fleet-input.js';
import { loadValidators } from '../validation/load.js';
import { loadOnce } from '../load-once.js';
import type { TenantCustomization } from './customize-tenant-input.js';
import { isAppReloadFailedError } from './reload-wait.js';
import { onboardTenantRecipe, readSourceLicenseKey, settleWait, type OnboardTenantOutputs } from './onboard-tenant.js';
import { createTemplateExportCache } from './template-export.js';
import { setupMultiCloudSteps } from './setup-multi-cloud.js';
import { resolveQseowSite, type QseowSite } from './setup-multi-cloud-site.js';
import { customizeTenantSteps } from './customize-tenant.js';
import type { ImpersonationClientSecretStore } from './customize-tenant-impersonation.js';
import { Secret } from '../validation/secret.js';
import { deployAutomationsStep } from './deploy-automations.js';
import { totalLinesFetched, type FetchedTable } from './reload-log.js';

export type { FleetHydrateConfig, FleetMultiCloudConfig, ProvisionFleetInput } from './provision-fleet-input.js';

export interface ProvisionFleetOptions extends FleetOptions {
  /**
   * Step-level retries (see `StepRetryOptions`); `retries` defaults to 15 here, so a write the transport
   * may not re-send gets the 16 attempts the environment gives a read.
   */
  retry?: StepRetryOptions;
  /** Reload waits of the hydrate steps. */
  reload?: HydrateFromTemplateOptions['reload'];
  /**
   * Keeps each impersonation client secret as soon as its customer's step creates it (awaited before the step is
   * journaled done), so a fleet killed after customer k has stored k secrets. It still also comes back in
   * `ProvisionedCustomer.impersonationClientSecret`.
   */
  storeImpersonationClientSecret?: ImpersonationClientSecretStore;
}

/** One customer's outcome, flat, for tables and reports. */
export interface ProvisionedCustomer {
  customerId: string;
  status: CustomerResult<unknown>['status'];
  /** The customer's tenant, also for a failed or aborted customer whose tenant exists (the next run continues with it). */
  tenantId?: string;
  tenantHost?: string;
  /** The published app in the managed space (when hydrated). */
  appId?: string;
  /** The web integration id for the embed code (when customized with one). */
  webIntegrationId?: string;
  /** The OAuth client for user impersonation (when customized with one). */
  impersonationClientId?: string;
  /**
   * Its secret, only in the run that created the client (Qlik answers it once; the journal keeps
   * `[REDACTED]`): store it now, or get a new one later with `replaceImpersonationClientSecret`.
   */
  impersonationClientSecret?: Secret;
  /**
   * Lines the app's last reload fetched, per table and in all, as its script log reports them (when
   * hydrated and Qlik kept the log): the customer's data arrived.
   */
  fetched?: { tables: FetchedTable[]; lines: number };
  /** Wall time of this customer's run in ms (as measured by the fleet scheduler). */
  durationMs?: number;
  /** The step that failed, for failed customers. */
  failedStep?: string;
  /** What each step did (action and reason), in order. */
  steps: StepResult[];
  /** The `RecipeStepError` (or abort reason) of failed and aborted customers. */
  error?: unknown;
}

export interface ProvisionFleetResult {
  /** One entry per customer, in input order. */
  customers: ProvisionedCustomer[];
  counts: Record<ProvisionedCustomer['status'], number>;
  /** How many times the template app was exported during this run (at most once per template). */
  templateExports: number;
  /**
   * Customers whose tenant create got no answer and who could not be reconciled because the
   * environment has no organization client: each may have an orphan tenant (see
   * `TenantCreateUncertainError`). Empty when every create was accounted for.
   */
  possibleOrphans: string[];
}

/** A hydrate step run inside the composed recipe: its input is built from the onboarding outputs. */
function withHydrateInput(step: AnyStep): AnyStep {
  type Ctx = StepContext<ProvisionCustomerInput, OnboardTenantOutputs>;
  const view = (ctx: Ctx): StepContext<HydrateFromTemplateParsedInput, unknown> => {
    const { customer, hydrate } = ctx.input;
    const input: HydrateFromTemplateParsedInput = {
      ...hydrate!,
      customerId: customer.customerId,
      // Reading these throws in `plan` while onboarding would still act: the plan says "depends on".
      tenantHost: ctx.outputs.tenantName.tenantHost,
      sharedSpaceId: ctx.outputs.spaces.sharedSpaceId,
      managedSpaceId: ctx.outputs.spaces.managedSpaceId,
    };
    return { ...ctx, input };
  };
  // hydrate's reload step asks for no retries because a failed reload would only fail again; in a
  // fleet, a lost response or a 5xx around the reload call is worth another attempt (inspect finds a
  // reload that did start), so the fleet's retry policy decides, and it never retries a failed reload.
  const retries = step.name === 'reload' ? undefined : step.retries;
  return {
    name: step.name,
    ...(retries !== undefined ? { retries } : {}),
    inspect: (ctx: Ctx) => step.inspect(view(ctx)),
    apply: (ctx: Ctx, inspection: never) => step.apply(view(ctx), inspection),
  };
}

/** Gives each step invocation its own signal that follows the fleet's (a thousand customers share it). */
function withOwnSignal(step: AnyStep): AnyStep {
  const own = <C extends { signal: AbortSignal }>(ctx: C): C => ({ ...ctx, signal: ownSignal(ctx.signal) });
  return {
    name: step.name,
    ...(step.retries !== undefined ? { retries: step.retries } : {}),
    inspect: (ctx: StepContext<unknown, unknown>) => step.inspect(own(ctx)),
    apply: (ctx: StepContext<unknown, unknown>, inspection: never) => step.apply(own(ctx), inspection),
  };
}

type ProvisionCustomerRecipe = Recipe<ProvisionCustomerInput, Record<string, unknown>, ProvisionCustomerInput>;

/**
 * One recipe per customer: the onboarding steps, then (when configured) the hydrate steps. One
 * journal run per customer, so a resumed fleet picks up inside either part.
 */
function provisionCustomerRecipe(
  env: ProvisioningEnvironment,
  parts: {
    readLicenseKey: (signal: AbortSignal) => Promise<string>;
    ledger?: TenantLedger;
    subscriptionOf?: (signal: AbortSignal) => Promise<string>;
    customize: boolean;
    storeClientSecret?: ImpersonationClientSecretStore | undefined;
    hydrate: boolean;
    hydrateOptions: HydrateFromTemplateOptions;
    multiCloudSite?: (() => Promise<QseowSite>) | undefined;
    automations: boolean;
  },
): ProvisionCustomerRecipe {
  // Inputs were validated by `validateFleet` (Secrets included, which a second parse would reject).
  // The default customization comes with the schemas, which the recipe loads before its first step.
  let defaultCustomization: TenantCustomization | undefined;
  let recipe = defineRecipe({
    name: PROVISION_CUSTOMER_RECIPE,
    input: async () => {
      const validators = await loadValidators();
      defaultCustomization ??= validators.tenantCustomizationSchema.parse({});
      return validators.validatedCustomerInputSchema;
    },
    customerId: (value) => value.customer.customerId,
  }) as unknown as ProvisionCustomerRecipe;
  const steps: AnyStep[] = [
    ...onboardTenantRecipe(env, {
      readLicenseKey: parts.readLicenseKey,
      ...(parts.ledger ? { ledger: parts.ledger } : {}),
      ...(parts.subscriptionOf ? { subscriptionOf: parts.subscriptionOf } : {}),
    }).steps,
  ];
  if (parts.customize) {
    const customizeSteps = customizeTenantSteps<ProvisionCustomerInput, OnboardTenantOutputs>({
      access: env,
      target: (ctx) => ({
        tenantHost: ctx.outputs.tenantName.tenantHost,
        customization: ctx.input.customize ?? defaultCustomization!,
      }),
      ...(parts.storeClientSecret ? { storeClientSecret: parts.storeClientSecret } : {}),
    });
    const { webIntegration, cspOrigins, brand, extensions, themes, impersonationClient } = customizeSteps;
    steps.push(webIntegration, cspOrigins, brand, extensions, themes, impersonationClient);
  }
  if (parts.hydrate) steps.push(...hydrateFromTemplateRecipe(env, parts.hydrateOptions).steps.map(withHydrateInput));
  if (parts.multiCloudSite) {
    steps.push(
      ...setupMultiCloudSteps<ProvisionCustomerInput, OnboardTenantOutputs>(env, parts.multiCloudSite, (ctx) => {
        const multiCloud = ctx.input.multiCloud;
        if (!multiCloud) return undefined;
        return {
          customerId: ctx.input.customer.customerId,
          tenantHost: ctx.outputs.tenantName.tenantHost,
          managedSpaceId: ctx.outputs.spaces.managedSpaceId,
          appIds: multiCloud.appIds,
          deploymentName: multiCloud.deploymentName,
        };
      }),
    );
  }
  if (parts.automations) {
    steps.push(
      deployAutomationsStep<ProvisionCustomerInput, OnboardTenantOutputs>(env, ({ input, outputs }) =>
        input.automations ? { tenantHost: outputs.tenantName.tenantHost, automations: input.automations } : undefined,
      ) as AnyStep,
    );
  }
  for (const step of steps) recipe = recipe.step(withOwnSignal(step) as never);
  return recipe;
}

/**
 * One QSEoW site per fleet run (its QRS client and JWT are shared by every customer), created on first use; the
 * entry points await it before their first request, so bad site options are a `QlikValidationError` up front.
 */
function siteOf(config: FleetMultiCloudConfig | undefined): (() => Promise<QseowSite>) | undefined {
  if (!config) return undefined;
  const { site } = config;
  return loadOnce(() => resolveQseowSite(site));
}

/** Reads the license key once per fleet run; a failed read is retried by the next customer that asks. */
function sharedLicenseKey(
  env: ProvisioningEnvironment,
  signal: AbortSignal | undefined,
): (signal: AbortSignal) => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= readSourceLicenseKey(env, signal).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * Step retries of a fleet by default: a write the transport may not re-send (a POST's 5xx, a connection
 * lost mid-request) gets as many attempts as the environment's transport gives a read (16), each after
 * inspecting again, so a write whose answer was lost is found instead of repeated. Never on top of the
 * transport's own attempts: `isRetryableStepError` refuses what the transport already retried.
 */
const FLEET_STEP_RETRIES = 15;

/** What every customer of one fleet shares: the composed recipe, the template export cache, the retry policy. */
function prepareFleet(
  env: ProvisioningEnvironment,
  input: FleetConfig,
  options: ProvisionFleetOptions,
  customerIds: readonly string[],
): {
  recipe: ProvisionCustomerRecipe;
  templates: ReturnType<typeof createTemplateExportCache>;
  retry: FleetOptions['retry'];
  journal: JournalStore;
  preflight: FleetPreflight;
  /** Creates (and validates) the fleet's QSEoW site once; undefined without multi-cloud. */
  site: (() => Promise<QseowSite>) | undefined;
} {
  const templates = createTemplateExportCache(env);
  // One journal store for the runs and for the ledger: its coordination is every process's record of tenant
  // creates (a shared store's is fleet-wide), and its journals say what customers recorded before that.
  const journal = options.journal ?? createFileJournalStore({ directory: resolve(DEFAULT_JOURNAL_DIRECTORY) });
  const subscriptionOf = sourceSubscription(env);
  const ledger = createTenantLedger({
    organization: env.organization,
    sourceTenantHost: env.sourceTenantHost,
    subscriptionId: subscriptionOf,
    ...(journal.coordination ? { coordination: journal.coordination } : {}),
    ...(customerIds.length > 0 ? { journalClaims: fleetJournalClaims(journal, customerIds) } : {}),
    settle: settleWait(env),
  });
  const readLicenseKey = sharedLicenseKey(env, options.signal);
  const site = siteOf(input.multiCloud);
  const recipe = provisionCustomerRecipe(env, {
    ledger,
    subscriptionOf,
    readLicenseKey,
    customize: input.customize !== undefined,
    storeClientSecret: options.storeImpersonationClientSecret,
    hydrate: input.hydrate !== undefined,
    hydrateOptions: { templates, ...(options.reload ? { reload: options.reload } : {}) },
    multiCloudSite: site,
    automations: input.automations !== undefined,
  });
  const isRetryable = options.retry?.isRetryable ?? isRetryableStepError;
  const retry = {
    retries: FLEET_STEP_RETRIES,
    ...options.retry,
    isRetryable: (error: unknown) => !isAppReloadFailedError(error) && isRetryable(error),
  };
  const preflight = createFleetPreflight(env, {
    journal,
    templates,
    subscriptionOf,
    readLicenseKey,
    label: 'provisionFleet input',
  });
  return { recipe, templates, retry, journal, preflight, site };
}

/** Runs validated customers through the prepared fleet and flattens each outcome for tables and reports. */
async function runPrepared(
  prepared: ReturnType<typeof prepareFleet>,
  inputs: ProvisionCustomerInput[],
  options: ProvisionFleetOptions,
): Promise<{ customers: ProvisionedCustomer[]; counts: ProvisionFleetResult['counts'] }> {
  const { reload: _reload, storeImpersonationClientSecret: _store, ...fleetOptions } = options;
  const durations = new Map<string, number>();
  const userOnEvent = options.onEvent;
  const onEvent = (event: RecipeEvent) => {
    if (event.type === 'customer:done') durations.set(event.customerId, event.durationMs);
    userOnEvent?.(event);
  };
  const result = await runFleet(prepared.recipe, inputs, {
    concurrency: 256,
    ...fleetOptions,
    journal: prepared.journal,
    retry: prepared.retry,
    onEvent,
  });
  const customers = result.customers.map((entry): ProvisionedCustomer => {
    // A failed customer still names what it has (its tenant above all): it is in its journal, not an orphan.
    const outputs = (entry.outputs ?? entry.partialOutputs) as
      | (Partial<OnboardTenantOutputs> & {
          publish?: { publishedAppId?: string };
          reload?: { fetched?: FetchedTable[] | null };
          webIntegration?: { webIntegrationId?: string | null };
          impersonationClient?: { clientId?: string | null; clientSecret?: unknown };
        })
      | undefined;
    const failedStep = (entry.error as { step?: unknown } | undefined)?.step;
    const durationMs = durations.get(entry.customerId);
    const fetchedTables = outputs?.reload?.fetched;
    const lines = totalLinesFetched(fetchedTables);
    return {
      customerId: entry.customerId,
      status: entry.status,
      steps: entry.steps,
      ...(outputs?.tenant ? { tenantId: outputs.tenant.tenantId } : {}),
      ...(outputs?.tenantName ? { tenantHost: outputs.tenantName.tenantHost } : {}),
      ...(outputs?.publish?.publishedAppId ? { appId: outputs.publish.publishedAppId } : {}),
      ...(outputs?.webIntegration?.webIntegrationId
        ? { webIntegrationId: outputs.webIntegration.webIntegrationId }
        : {}),
      ...(outputs?.impersonationClient?.clientId
        ? { impersonationClientId: outputs.impersonationClient.clientId }
        : {}),
      // A journaled (resumed) output holds "[REDACTED]" in place of the Secret: only a live one is handed out.
      ...(outputs?.impersonationClient?.clientSecret instanceof Secret
        ? { impersonationClientSecret: outputs.impersonationClient.clientSecret }
        : {}),
      ...(fetchedTables && lines !== null ? { fetched: { tables: fetchedTables, lines } } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(typeof failedStep === 'string' ? { failedStep } : {}),
      ...(entry.error !== undefined ? { error: entry.error } : {}),
    };
  });
  return { customers, counts: result.counts };
}

/**
 * Onboards (and hydrates) many customers at once: `concurrency` customers in flight, the registration
 * host and the source tenant paced through the environment's one limiter while each new tenant's own
 * buckets run in parallel, the license key read and the template exported once per run, every
 * customer journaled and resumable. One customer's failure never stops the others unless `failFast`.
 *
 * The whole input is validated first: a `QlikValidationError` naming e.g. `customers[3].alias` or
 * `partner.jwt.publicKeyPem`, before any request; then checked against Qlik before the first write
 * (the template app and the connection its script names, aliases held by tenants of someone else).
 */
export async function provisionFleet(
  env: ProvisioningEnvironment,
  input: ProvisionFleetInput,
  options: ProvisionFleetOptions = {},
): Promise<ProvisionFleetResult> {
  const inputs = (await loadValidators()).validateFleet(input, env);
  const prepared = prepareFleet(
    env,
    input,
    options,
    inputs.map((entry) => entry.customer.customerId),
  );
  await prepared.site?.();
  await prepared.preflight.check(inputs, options.signal);
  const { customers, counts } = await runPrepared(prepared, inputs, options);
  const possibleOrphans = customers
    .filter((entry) => entry.error instanceof Error && hasCause(entry.error, 'TenantCreateUncertainError'))
    .map((entry) => entry.customerId);
  if (possibleOrphans.length > 0)
    env.logger?.error(
      { customerIds: possibleOrphans },
      'Customers whose tenant create got no answer may have an orphan tenant (no organization client to check)',
    );
  return { customers, counts, templateExports: prepared.templates.exportCount, possibleOrphans };
}

/** True when `error` or one of its causes has this name. */
function hasCause(error: unknown, name: string): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if ((current as Error).name === name) return true;
    current = (current as Error).cause;
  }
  return false;
}

/**
 * What the fleet's journals say about tenants, read once per run on the first reconciliation: the
 * tenants customers recorded (never candidates for another), and the customers whose create is pending.
 */
function fleetJournalClaims(journal: JournalStore, customerIds: readonly string[]): () => Promise<JournalTenantClaims> {
  let pending: Promise<JournalTenantClaims> | undefined;
  return () => {
    pending ??= (async () => {
      const claimed = new Set<string>();
      const open = new Set<string>();
      for (const customerId of customerIds) {
        const tenant = replayJournal(await journal.read(customerId), PROVISION_CUSTOMER_RECIPE).step('tenant');
        const recorded = tenant.recordedOutputs as { tenantId?: unknown } | undefined;
        if (typeof recorded?.tenantId === 'string') claimed.add(recorded.tenantId);
        if (tenant.pendingIntent?.action === 'create') open.add(customerId);
      }
      return { claimed, pending: open };
    })();
    return pending;
  };
}

/** A fleet's settings without its customers: what every customer of the fleet gets. */
export type FleetConfig = Omit<ProvisionFleetInput, 'customers'>;

/** `provisionFleet` one customer at a time, for a queue worker that receives customers as jobs. */
export interface CustomerProvisioner {
  /**
   * Validates the customer against the fleet's settings (a `QlikValidationError` before any request,
   * or before the first write for what only Qlik can tell, as `provisionFleet` does) and runs the same
   * composed recipe as `provisionFleet`. Never throws for a failed run: see `status`.
   */
  provision(
    customer: ProvisionFleetInput['customers'][number],
    options?: Pick<ProvisionFleetOptions, 'signal' | 'onEvent' | 'events'>,
  ): Promise<ProvisionedCustomer>;
  /** Template exports so far (at most one per template for the provisioner's lifetime). */
  readonly templateExports: number;
}

/**
 * Prepares `provisionFleet`'s per-customer work once (composed recipe, template export cache, license
 * key, retry policy) for running customers one by one as they arrive, e.g. from a job queue. `options`
 * are `provisionFleet`'s (journal, retry, reload, resume); `signal` and events can be given per call.
 */
export function createCustomerProvisioner(
  env: ProvisioningEnvironment,
  fleet: FleetConfig,
  options: Omit<ProvisionFleetOptions, 'concurrency' | 'failFast'> = {},
): CustomerProvisioner {
  // Customers arrive one by one: what other processes' creates did, the ledger learns from the store's coordination.
  const prepared = prepareFleet(env, fleet, options, []);
  // Whose data connection this process has seen, so a second customer given the first one's is refused.
  const connections = new BoundedCache<string, string>(10_000);
  return {
    get templateExports() {
      return prepared.templates.exportCount;
    },
    async provision(customer, callOptions = {}) {
      const { validateFleet, dataConnectionFingerprint, sharedConnectionIssue } = await loadValidators();
      const inputs = validateFleet({ ...fleet, customers: [customer] }, env);
      await prepared.site?.();
      const fingerprint = dataConnectionFingerprint(inputs[0]!);
      const other = fingerprint === undefined ? undefined : connections.get(fingerprint);
      if (other !== undefined && other !== customer.customerId)
        throw createValidationError('provisionFleet input', [sharedConnectionIssue(inputs[0]!, 0, other)]);
      await prepared.preflight.check(inputs, callOptions.signal);
      if (fingerprint !== undefined) connections.set(fingerprint, customer.customerId);
      const { customers } = await runPrepared(prepared, inputs, { ...options, ...callOptions, concurrency: 1 });
      return customers[0]!;
    },
  };
}

/**
 * What `provisionFleet` would do, customer by customer, without writing anything (not even the
 * journal): steps that would act, and how many customers would change. Validates and checks the fleet
 * against Qlik like `provisionFleet` (reads only).
 */
export async function planProvisionFleet(
  env: ProvisioningEnvironment,
  input: ProvisionFleetInput,
  options: FleetPlanOptions = {},
): Promise<{ customers: CustomerPlan[]; changes: number }> {
  const inputs = (await loadValidators()).validateFleet(input, env);
  const site = siteOf(input.multiCloud);
  await site?.();
  const templates = createTemplateExportCache(env);
  const readLicenseKey = sharedLicenseKey(env, options.signal);
  // The same checks apply runs before its first write: a plan of a fleet that would be refused says so.
  await createFleetPreflight(env, {
    journal: options.journal ?? createMemoryJournalStore(),
    templates,
    subscriptionOf: sourceSubscription(env),
    readLicenseKey,
    label: 'provisionFleet input',
  }).check(inputs, options.signal);
  const recipe = provisionCustomerRecipe(env, {
    readLicenseKey,
    customize: input.customize !== undefined,
    hydrate: input.hydrate !== undefined,
    hydrateOptions: { templates },
    multiCloudSite: site,
    automations: input.automations !== undefined,
  });
  return planFleet(recipe, inputs, { concurrency: 64, ...options });
}
