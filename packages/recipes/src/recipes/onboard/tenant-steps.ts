// The tenant steps of onboardTenant: the source license key, the tenant (found or created), its name and alias.
import { QlikError, isQlikAuthError, isQlikPermissionError } from '@qlik-oem/core';
import { unwrap, type OrganizationTenant, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import { Secret } from '../../validation/secret.js';
import type { ProvisioningEnvironment } from '../context.js';
import type { OnboardInput } from '../customer.js';
import { findTenantByHost, scimString, tenantSummary, type TenantSummary } from '../finders.js';
import type { OnboardStepContext } from './context.js';
import { TenantOwnershipError, hasOwnershipMark, ownershipMarkName } from './ownership.js';
import type { FleetCoordination } from '../../journal/fleet-coordination.js';
import { intentMarker, parseIntentMarker, type TenantLedger } from './tenant-ledger.js';
import { TenantDeactivatedError } from '../errors.js';

export { TenantDeactivatedError };

/** `<alias>.<region>.qlikcloud.com`: the hostname every later call (and every end user) uses. */
export function tenantAliasHost(env: Pick<ProvisioningEnvironment, 'region'>, alias: string): string {
  return `${alias}.${env.region}.qlikcloud.com`;
}

export interface OnboardRecipeOptions {
  /** The fleet's record of tenant creates (one per fleet run, so lost creates are reconciled together). */
  ledger?: TenantLedger;
  /** Without `ledger`: the coordination the recipe's own ledger uses (the journal store's), else an in-process one. */
  coordination?: FleetCoordination;
  /** The source tenant's subscription, read once per fleet run. */
  subscriptionOf?: (signal: AbortSignal) => Promise<string>;
  /**
   * Reads the source tenant's signed license key. A fleet passes one shared, memoised reader so the
   * key is read once per run instead of once per customer.
   */
  readLicenseKey?: (signal: AbortSignal) => Promise<string>;
}

/** Reads `licenseKey` from `GET /api/v1/licenses/overview` on the source tenant. */
export async function readSourceLicenseKey(env: ProvisioningEnvironment, signal?: AbortSignal): Promise<string> {
  const overview = unwrap(
    await env.source().licenses.GET('/api/v1/licenses/overview', { ...(signal ? { signal } : {}) }),
  );
  if (!overview.licenseKey)
    throw new QlikError(`The source tenant ${env.sourceTenantHost} returned no signed license key`);
  return overview.licenseKey;
}

// 1. The signed license key of the source tenant. Read-only; a Secret, so the journal keeps "[REDACTED]".
export function licenseKeyStep(readLicenseKey: (signal: AbortSignal) => Promise<string>) {
  return defineStep({
    name: 'licenseKey',
    async inspect(ctx: OnboardStepContext<Record<never, never>>) {
      return {
        action: 'none',
        reason: 'read from the source tenant',
        outputs: { licenseKey: new Secret(await readLicenseKey(ctx.signal)) },
      };
    },
    async apply() {
      throw new Error('unreachable: licenseKey never writes');
    },
  });
}

// 2. The tenant itself, found by the id this step recorded, by a lost create's reconciliation, or by
//    the customer's alias hostname (the Organization API's `hostnames eq`, or without an organization
//    client `GET /tenants/me` on it); created only when none of them finds one. A tenant found by
//    alias is adopted only when it carries this customer's ownership mark. The create is journaled as
//    an intent first (alias, subscription, time), never retried blindly (a retry re-inspects, and a
//    pending intent is reconciled), and not aborted by the fleet's signal: Ctrl-C lets it finish.
export function tenantStep(
  env: ProvisioningEnvironment,
  aliasHostOf: (input: OnboardInput) => string,
  ledger: TenantLedger,
  subscriptionOf: (signal: AbortSignal) => Promise<string>,
) {
  return defineStep({
    name: 'tenant',
    async inspect(ctx: OnboardStepContext<{ licenseKey: { licenseKey: Secret } }>) {
      const recorded = ctx.journal.recordedOutputs as { tenantId?: string; primaryHost?: string } | undefined;
      if (recorded?.tenantId && recorded.primaryHost) {
        const byId = await getTenantById(env.tenant(recorded.primaryHost), recorded.tenantId, ctx.signal).catch(
          async (error: unknown) => {
            // A deactivated tenant refuses tokens on its own host; the registration host still knows it.
            if (!isQlikAuthError(error) && !isQlikPermissionError(error)) throw error;
            const seen = await getTenantById(env.registration(), recorded.tenantId!, ctx.signal).catch(() => undefined);
            if (seen?.status === 'disabled') throw new TenantDeactivatedError(seen.id);
            throw error;
          },
        );
        if (byId) {
          await ledger.claim(ctx.input.customer.customerId, byId.id);
          return tenantFound(byId, 'recorded tenant exists');
        }
      }
      const aliasHost = aliasHostOf(ctx.input);
      if (aliasHost === env.sourceTenantHost)
        throw new TenantOwnershipError(
          ctx.input.customer.customerId,
          '(source)',
          aliasHost,
          "it is the partner's source tenant",
        );
      const intent =
        ctx.journal.pendingIntent?.action === 'create'
          ? parseIntentMarker(ctx.journal.pendingIntent.marker)
          : undefined;
      if (intent) {
        const made = await ledger.reconcile(ctx.input.customer.customerId, intent, ctx.signal);
        if (made)
          return tenantFound(orgSummary(made), 'adopted the tenant an earlier create made (its answer was lost)');
      }
      const byAlias = await findTenantByAlias(env, aliasHost, subscriptionOf, ctx.signal);
      if (byAlias) {
        await checkOwnership(env, ctx.input, byAlias);
        await ledger.claim(ctx.input.customer.customerId, byAlias.id);
        return tenantFound(byAlias, "a tenant with this customer's mark has the alias hostname");
      }
      const subscriptionId = env.organization ? await subscriptionOf(ctx.signal) : undefined;
      const marker = intentMarker({
        aliasHost,
        since: new Date(env.clock.now()).toISOString(),
        ...(subscriptionId ? { subscriptionId } : {}),
      });
      const reason = intent ? 'an earlier create made no tenant; creating' : 'no tenant has the alias hostname';
      return { action: 'create', reason, marker };
    },
    async apply(ctx: OnboardStepContext<{ licenseKey: { licenseKey: Secret } }>) {
      const { licenseKey } = ctx.outputs.licenseKey;
      const customerId = ctx.input.customer.customerId;
      // Not the fleet's signal: an interrupted fleet lets a create finish, so its answer is journaled. The ledger
      // claims the answered tenant; a create that may have gone through unanswered is reconciled by the next look.
      const created = await ledger.creating(customerId, async () =>
        unwrap(await env.registration().tenants.POST('/api/v1/tenants', { body: { licenseKey: licenseKey.reveal() } })),
      );
      const primaryHost = created.hostnames?.[0];
      if (!created.id || !primaryHost)
        throw new QlikError('The registration host created a tenant without an id or hostname');
      // Recorded by the runner as soon as this returns: the id is what a resumed run looks for first.
      return { tenantId: created.id, primaryHost };
    },
  });
}

function orgSummary(tenant: OrganizationTenant): TenantSummary {
  return { id: tenant.id, name: tenant.name ?? '', hostnames: tenant.hostnames, status: tenant.status };
}

/** The tenant with the alias hostname: through the Organization API when there is a client, else the probe. */
export async function findTenantByAlias(
  env: ProvisioningEnvironment,
  aliasHost: string,
  subscriptionOf: (signal: AbortSignal) => Promise<string>,
  signal: AbortSignal,
): Promise<TenantSummary | undefined> {
  if (env.organization) {
    const subscriptionId = await subscriptionOf(signal);
    const [found] = await env.organization.listTenants(
      `subscriptionId eq ${scimString(subscriptionId)} and hostnames eq ${scimString(aliasHost)}`,
      { signal },
    );
    if (found) return orgSummary(found);
  }
  // Not in the subscription (or no organization client): a tenant elsewhere may still hold the alias.
  return findTenantByHost(env.tenant(aliasHost), env.anonymous, signal);
}

/** Refuses a tenant found by alias unless it carries this customer's mark; nothing has been written to it yet. */
async function checkOwnership(env: ProvisioningEnvironment, input: OnboardInput, tenant: TenantSummary): Promise<void> {
  const customerId = input.customer.customerId;
  const host = tenant.hostnames[0] ?? '';
  if (tenant.hostnames.includes(env.sourceTenantHost))
    throw new TenantOwnershipError(customerId, tenant.id, host, "it is the partner's source tenant");
  if (tenant.status === 'disabled') return; // tenantFound reports it as deactivated
  if (!(await hasOwnershipMark(env, host, input, new AbortController().signal)))
    throw new TenantOwnershipError(
      customerId,
      tenant.id,
      host,
      `it has the alias but not this customer's ownership mark (${ownershipMarkName(input)}); it may be another customer's`,
    );
}

/**
 * The subscription of the source tenant (what the Organization API filters on): the source tenant's
 * id from its own `/tenants/me`, then its record in the Organization API. Read once per environment.
 */
export function sourceSubscription(env: ProvisioningEnvironment): (signal: AbortSignal) => Promise<string> {
  let pending: Promise<string> | undefined;
  return (signal) => {
    pending ??= (async () => {
      if (!env.organization) throw new QlikError('The Organization API needs an organization client');
      const me = unwrap(await env.source().tenants.GET('/api/v1/tenants/me', { signal })) as { id?: string };
      if (!me.id) throw new QlikError(`The source tenant ${env.sourceTenantHost} did not say its id`);
      const record = await env.organization.getTenant(me.id, { signal });
      if (!record?.subscriptionId)
        throw new QlikError(`The Organization API does not know the source tenant ${env.sourceTenantHost}`);
      return record.subscriptionId;
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

// 3. Name and alias hostname (`PATCH /tenants/{id}`), on the tenant's own host.
export function tenantNameStep(env: ProvisioningEnvironment, aliasHostOf: (input: OnboardInput) => string) {
  return defineStep({
    name: 'tenantName',
    async inspect(ctx: OnboardStepContext<{ tenant: { tenantId: string; primaryHost: string } }>) {
      const { tenantId, primaryHost } = ctx.outputs.tenant;
      const tenant = await getTenantById(env.tenant(primaryHost), tenantId, ctx.signal);
      if (!tenant) throw new QlikError(`Tenant ${tenantId} disappeared after it was found`);
      const patch = tenantPatch(tenant, ctx.input.customer.alias, aliasHostOf(ctx.input));
      const outputs = { tenantHost: aliasHostOf(ctx.input) };
      if (patch.length === 0) return { action: 'none', reason: 'name and alias are set', outputs };
      return { action: 'update', reason: `different ${patch.map((op) => op.path).join(', ')}`, current: patch };
    },
    async apply(ctx: OnboardStepContext<{ tenant: { tenantId: string; primaryHost: string } }>, inspection) {
      const { tenantId, primaryHost } = ctx.outputs.tenant;
      unwrap(
        await env.tenant(primaryHost).tenants.PATCH('/api/v1/tenants/{tenantId}', {
          params: { path: { tenantId } },
          body: inspection.current ?? [],
          signal: ctx.signal,
        }),
      );
      return { tenantHost: aliasHostOf(ctx.input) };
    },
  });
}

function tenantFound(tenant: TenantSummary, reason: string) {
  if (tenant.status === 'disabled') throw new TenantDeactivatedError(tenant.id);
  const primaryHost = tenant.hostnames[0];
  if (!primaryHost) throw new QlikError(`Tenant ${tenant.id} has no hostname`);
  return { action: 'none' as const, reason, outputs: { tenantId: tenant.id, primaryHost } };
}

async function getTenantById(qc: QlikCloud, tenantId: string, signal: AbortSignal): Promise<TenantSummary | undefined> {
  const result = await qc.tenants.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } }, signal });
  if (result.response.status === 404) return undefined;
  return tenantSummary(unwrap(result));
}

type TenantPatchOp = { op: 'replace'; path: '/name' | '/hostnames/1'; value: string };

/**
 * The tenant's name becomes its alias: Qlik shows the first hostname's label as the tenant name, and
 * the name must be a lowercase DNS label.
 */
function tenantPatch(tenant: TenantSummary, alias: string, aliasHost: string): TenantPatchOp[] {
  const patch: TenantPatchOp[] = [];
  if (tenant.name !== alias) patch.push({ op: 'replace', path: '/name', value: alias });
  if (tenant.hostnames[1] !== aliasHost) patch.push({ op: 'replace', path: '/hostnames/1', value: aliasHost });
  return patch;
}
