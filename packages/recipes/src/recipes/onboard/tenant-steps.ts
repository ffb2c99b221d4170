// The tenant steps of onboardTenant: the source license key, the tenant (found or created), its name and alias.
import { QlikError, isQlikAuthError } from '@qlik-oem/core';
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import { Secret } from '../../validation/secret.js';
import type { ProvisioningEnvironment } from '../context.js';
import type { OnboardInput } from '../customer.js';
import { findTenantByHost, type TenantSummary } from '../finders.js';
import type { OnboardStepContext } from './context.js';

/** `<alias>.<region>.qlikcloud.com`: the hostname every later call (and every end user) uses. */
export function tenantAliasHost(env: Pick<ProvisioningEnvironment, 'region'>, alias: string): string {
  return `${alias}.${env.region}.qlikcloud.com`;
}

/** The tenant exists but is deactivated: onboarding does not silently reactivate it. */
export class TenantDeactivatedError extends QlikError {
  override name = 'TenantDeactivatedError';
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} is deactivated (status "disabled"); call reactivateTenant first if it should come back`);
  }
}

export interface OnboardRecipeOptions {
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
    async inspect(ctx: OnboardStepContext<{}>) {
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

// 2. The tenant itself. There is no tenant list on the registration host, so a tenant is found by
//    the id this step recorded, or by the customer's alias hostname (`GET /tenants/me` on it).
export function tenantStep(env: ProvisioningEnvironment, aliasHostOf: (input: OnboardInput) => string) {
  return defineStep({
    name: 'tenant',
    async inspect(ctx: OnboardStepContext<{ licenseKey: { licenseKey: Secret } }>) {
      const recorded = ctx.journal.recordedOutputs as { tenantId?: string; primaryHost?: string } | undefined;
      if (recorded?.tenantId && recorded.primaryHost) {
        const byId = await getTenantById(env.tenant(recorded.primaryHost), recorded.tenantId, ctx.signal).catch(
          async (error: unknown) => {
            // A deactivated tenant refuses tokens on its own host; the registration host still knows it.
            if (!isQlikAuthError(error)) throw error;
            const seen = await getTenantById(env.registration(), recorded.tenantId!, ctx.signal).catch(() => undefined);
            if (seen?.status === 'disabled') throw new TenantDeactivatedError(seen.id);
            throw error;
          },
        );
        if (byId) return tenantFound(byId, 'recorded tenant exists');
      }
      const byAlias = await findTenantByHost(env.tenant(aliasHostOf(ctx.input)), env.anonymous, ctx.signal);
      if (byAlias) return tenantFound(byAlias, 'a tenant has the alias hostname');
      const reason = ctx.journal.pendingIntent
        ? 'an earlier run was stopped during the create and no tenant has the alias yet; creating (see README: the create window)'
        : 'no tenant has the alias hostname';
      return { action: 'create', reason, marker: aliasHostOf(ctx.input) };
    },
    async apply(ctx: OnboardStepContext<{ licenseKey: { licenseKey: Secret } }>) {
      const { licenseKey } = ctx.outputs.licenseKey;
      const created = unwrap(
        await env
          .registration()
          .tenants.POST('/api/v1/tenants', { body: { licenseKey: licenseKey.reveal() }, signal: ctx.signal }),
      );
      const primaryHost = created.hostnames?.[0];
      if (!created.id || !primaryHost)
        throw new QlikError('The registration host created a tenant without an id or hostname');
      // Recorded by the runner as soon as this returns: the id is what a resumed run looks for first.
      return { tenantId: created.id, primaryHost };
    },
  });
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
  const tenant = unwrap(result);
  return {
    id: tenant.id,
    name: tenant.name ?? '',
    hostnames: tenant.hostnames ?? [],
    status: tenant.status ?? 'active',
  };
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
