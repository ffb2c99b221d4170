// What a fleet checks against Qlik before its first write: that its clients may read what the fleet
// needs, the template app and the connection its script names, and that no tenant of someone else holds a
// new customer's alias. Reads only.
import {
  isQlikAuthError,
  isQlikNotFoundError,
  isQlikPermissionError,
  type QlikHttpError,
  type ValidationIssue,
} from '@qlik-oem/core';
import { withSpan } from '@qlik-oem/core/tracing';
import { ORGANIZATION_HOST } from '@qlik-oem/qlik-cloud';
import { replayJournal } from '../journal/replay.js';
import { ownSignal } from '../own-signal.js';
import type { JournalStore } from '../journal/types.js';
import { createValidationError } from '../validation/parse.js';
import type { ProvisioningEnvironment } from './context.js';
import { hasOwnershipMark, ownershipMarkName } from './onboard/ownership.js';
import { findTenantByAlias, tenantAliasHost } from './onboard/tenant-steps.js';
import type { HydratePart, ProvisionCustomerInput } from './provision-fleet-input.js';
import type { TemplateExportCache } from './template-export.js';

/** The engine package (enigma.js, ws) is loaded only when a template's script is read. */
const loadEngine = () => import('@qlik-oem/engine');

/** The composed per-customer recipe's journal name and its tenant step: where a customer's tenant is recorded. */
export const PROVISION_CUSTOMER_RECIPE = 'provisionCustomer';

/** New customers' alias lookups in flight at once. */
const ALIAS_LOOKUPS = 16;

export interface FleetPreflight {
  /**
   * Throws one `QlikValidationError` listing every mistake found (`hydrate.template.appId`,
   * `customers[3].alias`, ...) before anything is written. A client Qlik refuses (401, 403, a scope it
   * may not have) is one issue at `oauth` (the regional client, on the source tenant) or `organization`
   * (the Organization API's client), found first, so a fleet whose token lacks a role stops once, not
   * once per customer. What could not be read (a fault, a timeout) is no finding: the steps read it again
   * before their own writes.
   */
  check(inputs: readonly ProvisionCustomerInput[], signal?: AbortSignal): Promise<void>;
}

/**
 * The checks of one fleet, or of one provisioner (its template is checked until it has passed once).
 */
export function createFleetPreflight(
  env: ProvisioningEnvironment,
  options: {
    journal: JournalStore;
    templates: TemplateExportCache;
    subscriptionOf: (signal: AbortSignal) => Promise<string>;
    /** The fleet's shared read of the source tenant's license key (the licenseKey step reuses it). */
    readLicenseKey: (signal: AbortSignal) => Promise<string>;
    label: string;
  },
): FleetPreflight {
  let templateChecked: Promise<ValidationIssue[]> | undefined;
  return {
    check(inputs, signal) {
      const attributes = { 'qlik_oem.fleet.customers': inputs.length };
      return withSpan('qlik-oem.preflight', { attributes }, () => checkAll(inputs, signal));
    },
  };

  async function checkAll(inputs: readonly ProvisionCustomerInput[], signal: AbortSignal | undefined) {
    // Every customer needs these reads; a client refused them would fail every customer the same way.
    const accessIssues = await checkAccess(env, options, signal);
    if (accessIssues.length > 0) throw createValidationError(options.label, accessIssues);
    const hydrate = inputs.find((input) => input.hydrate)?.hydrate;
    const template = hydrate
      ? (templateChecked ??= checkTemplate(env, options.templates, hydrate, signal).then(
          (issues) => {
            if (issues.length > 0) templateChecked = undefined;
            return issues;
          },
          (error: unknown) => {
            templateChecked = undefined;
            throw error;
          },
        ))
      : Promise.resolve([]);
    const [templateIssues, aliasIssues] = await Promise.all([template, checkAliases(env, options, inputs, signal)]);
    const issues = [...templateIssues, ...aliasIssues];
    if (issues.length > 0) throw createValidationError(options.label, issues);
  }
}

/**
 * The reads every customer's run starts with: the source tenant's license key with the regional client,
 * and with an organization client the source tenant's subscription through the Organization API.
 */
async function checkAccess(
  env: ProvisioningEnvironment,
  options: {
    readLicenseKey: (signal: AbortSignal) => Promise<string>;
    subscriptionOf: (signal: AbortSignal) => Promise<string>;
  },
  signal: AbortSignal | undefined,
): Promise<ValidationIssue[]> {
  const readSignal = signal ?? new AbortController().signal;
  const reads = [options.readLicenseKey(readSignal)];
  if (env.organization) reads.push(options.subscriptionOf(readSignal));
  const issues = new Map<string, ValidationIssue>();
  for (const outcome of await Promise.allSettled(reads)) {
    if (outcome.status === 'fulfilled') continue;
    const error: unknown = outcome.reason;
    if (signal?.aborted) throw error;
    // Not known now (a fault, a timeout): the steps read it again.
    if (!isQlikAuthError(error) && !isQlikPermissionError(error)) continue;
    // One issue per client: the first read it was refused.
    const issue = refusedClient(env, error);
    if (!issues.has(issue.path.join('.'))) issues.set(issue.path.join('.'), issue);
  }
  return [...issues.values()];
}

function refusedClient(env: ProvisioningEnvironment, error: QlikHttpError): ValidationIssue {
  const host = error.url ? new URL(error.url).hostname : undefined;
  const refusal =
    `${error.method ?? ''} ${error.url ?? ''} answered ${error.status}${error.code ? ` ${error.code}` : ''}`.trim();
  if (host === ORGANIZATION_HOST)
    return {
      path: ['organization'],
      message: `Qlik refused the organization client (${refusal}): it must be an organization-level OAuth client allowed the scope cloud-console.tenants:read`,
    };
  return {
    path: ['oauth'],
    message: `Qlik refused the regional client on the source tenant ${env.sourceTenantHost} (${refusal}): the fleet reads its license key and id, which takes a tenant admin's access (scope admin_classic)`,
  };
}

/** The template app exists and this client can read it, and its script uses the connection the fleet rewrites. */
async function checkTemplate(
  env: ProvisioningEnvironment,
  templates: TemplateExportCache,
  hydrate: HydratePart,
  signal: AbortSignal | undefined,
): Promise<ValidationIssue[]> {
  const { appId } = hydrate.template;
  const where = `the source tenant ${env.sourceTenantHost}`;
  try {
    await templates.metadata(appId, signal);
  } catch (error) {
    if (isQlikNotFoundError(error))
      return [{ path: ['hydrate', 'template', 'appId'], message: `no app "${appId}" on ${where}` }];
    if (isQlikPermissionError(error) || isQlikAuthError(error))
      return [
        {
          path: ['hydrate', 'template', 'appId'],
          message: `app "${appId}" on ${where} cannot be read by this client (${(error as { status?: number }).status})`,
        },
      ];
    if (signal?.aborted) throw error;
    return []; // Not known now: the templateExport step reads it again.
  }
  let script: string;
  try {
    const { getScript, withApp } = await loadEngine();
    script = await withApp(
      { ...env.engine.options(env.sourceTenantHost), ...(signal ? { signal } : {}) },
      appId,
      (doc) => getScript(doc),
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    return []; // The scriptConnection step reads the customer's copy again.
  }
  const { findConnectionReferences } = await loadEngine();
  const references = findConnectionReferences(script).filter(
    (reference) => reference.kind === 'lib-connect' || hydrate.scriptConnection.libPaths,
  );
  const named = [...new Set(references.map((reference) => reference.name))];
  const from = hydrate.scriptConnection.from;
  if (from === undefined && named.length === 0)
    return [
      {
        path: ['hydrate', 'scriptConnection'],
        message: `the script of template app "${appId}" connects to no data connection (no LIB CONNECT TO), so no customer's app would read the customer's data`,
      },
    ];
  if (from !== undefined && !named.includes(from))
    return [
      {
        path: ['hydrate', 'scriptConnection', 'from'],
        message: `the script of template app "${appId}" has no LIB CONNECT TO '${from}'${named.length ? ` (it connects to ${named.map((name) => `'${name}'`).join(', ')})` : ''}`,
      },
    ];
  return [];
}

/**
 * Every customer without a recorded tenant: a tenant that already has its alias hostname must carry
 * this customer's ownership mark and be claimed by no other customer's journal, or the fleet stops.
 */
async function checkAliases(
  env: ProvisioningEnvironment,
  { journal, subscriptionOf }: { journal: JournalStore; subscriptionOf: (signal: AbortSignal) => Promise<string> },
  inputs: readonly ProvisionCustomerInput[],
  signal: AbortSignal | undefined,
): Promise<ValidationIssue[]> {
  const claimedBy = new Map<string, string>();
  const fresh: number[] = [];
  await eachLimited(inputs.length, ALIAS_LOOKUPS, async (index) => {
    const customerId = inputs[index]!.customer.customerId;
    const tenant = replayJournal(await journal.read(customerId), PROVISION_CUSTOMER_RECIPE).step('tenant');
    const recorded = (tenant.recordedOutputs as { tenantId?: unknown } | undefined)?.tenantId;
    if (typeof recorded === 'string') claimedBy.set(recorded, customerId);
    else fresh.push(index);
  });
  const issues: ValidationIssue[] = [];
  const fleetSignal = signal ?? new AbortController().signal;
  await eachLimited(fresh.length, ALIAS_LOOKUPS, async (position) => {
    const lookupSignal = ownSignal(fleetSignal);
    const index = fresh[position]!;
    const input = inputs[index]!;
    const { customerId, alias } = input.customer;
    const aliasHost = tenantAliasHost(env, alias);
    try {
      const found = await findTenantByAlias(env, aliasHost, subscriptionOf, lookupSignal);
      if (!found || found.status === 'disabled') return;
      const owner = claimedBy.get(found.id);
      if (owner !== undefined && owner !== customerId) {
        issues.push({
          path: ['customers', index, 'alias'],
          message: `"${alias}" is the alias of tenant ${found.id}, which customer "${owner}" has; customer "${customerId}" needs a tenant of its own`,
        });
        return;
      }
      const marked = await hasOwnershipMark(env, found.hostnames[0] ?? aliasHost, input, lookupSignal).catch(
        (error: unknown) => {
          // A tenant this partner's client may not even read is not this partner's.
          if (isQlikAuthError(error) || isQlikPermissionError(error)) return false;
          throw error;
        },
      );
      if (!marked)
        issues.push({
          path: ['customers', index, 'alias'],
          message: `"${alias}" is taken by tenant ${found.id}, which lacks customer "${customerId}"'s ownership mark (${ownershipMarkName(input)}): it is someone else's`,
        });
    } catch (error) {
      if (signal?.aborted) throw error;
      // Not known now: the tenant step looks again, and refuses a foreign tenant before writing to it.
    }
  });
  return issues.sort((a, b) => Number(a.path[1]) - Number(b.path[1]));
}

/** Runs `work(0..count-1)`, at most `limit` at a time. */
async function eachLimited(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}
