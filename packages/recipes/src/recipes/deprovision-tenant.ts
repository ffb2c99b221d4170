import { QlikError } from '@qlik-oem/core';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { defineRecipe } from '../recipe.js';
import { applyRecipe, type ApplyOptions, type ApplyResult } from '../runner.js';
import type { StepContext } from '../step.js';
import { lazySchema } from '../validation/load.js';
import type { DeprovisionInput, TenantLifecycleInput } from './deprovision-tenant-input.js';
import type { ProvisioningEnvironment } from './context.js';
import { findTenantByHost } from './finders.js';
import { tenantAliasHost } from './onboard-tenant.js';

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadDeprovisionInput = lazySchema('deprovisionInputSchema');

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadTenantLifecycleInput = lazySchema('tenantLifecycleInputSchema');

export type { DeprovisionInput, TenantLifecycleInput } from './deprovision-tenant-input.js';

interface TenantState {
  tenantId: string;
  status: string;
}

/**
 * The tenant's id and status, read on the registration host (which also answers for deactivated
 * tenants, whose own host refuses tokens): the tenant the input names, else the one this step last
 * recorded, else the one with the alias. `undefined` when no tenant has the id or the alias.
 */
async function currentTenant(
  env: ProvisioningEnvironment,
  ctx: StepContext<{ alias: string; tenantId?: string | undefined }, unknown>,
): Promise<TenantState | undefined> {
  const { input, signal } = ctx;
  const recorded = (ctx.journal.recordedOutputs as { tenantId?: string | null } | undefined)?.tenantId;
  let tenantId = input.tenantId ?? recorded ?? undefined;
  if (tenantId === undefined) {
    const found = await findTenantByHost(env.tenant(tenantAliasHost(env, input.alias)), env.anonymous, signal);
    if (!found) return undefined;
    tenantId = found.id;
  }
  const result = await env
    .registration()
    .tenants.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } }, signal });
  if (result.response.status === 404) return undefined;
  const tenant = unwrap(result);
  return { tenantId: tenant.id, status: tenant.status ?? 'active' };
}

/** Deactivates the customer's tenant (on the registration host). Already deactivated → nothing to do. */
export function deprovisionTenantRecipe(env: ProvisioningEnvironment) {
  return defineRecipe({
    name: 'deprovisionTenant',
    input: loadDeprovisionInput,
    customerId: (input) => input.customerId,
  }).step({
    name: 'deactivate',
    async inspect(ctx) {
      const tenant = await currentTenant(env, ctx);
      if (!tenant)
        return { action: 'none', reason: 'no tenant has the alias', outputs: { tenantId: null as string | null } };
      if (tenant.status !== 'active')
        return {
          action: 'none',
          reason: `tenant is ${tenant.status}`,
          outputs: { tenantId: tenant.tenantId },
        };
      return { action: 'update', reason: 'tenant is active', current: tenant };
    },
    async apply(ctx, inspection) {
      const { tenantId } = inspection.current!;
      const result = await env.registration().tenants.POST('/api/v1/tenants/{tenantId}/actions/deactivate', {
        params: { path: { tenantId }, header: { 'qlik-confirm-hostname': tenantAliasHost(env, ctx.input.alias) } },
        body: { purgeAfterDays: ctx.input.purgeAfterDays },
        signal: ctx.signal,
      });
      const body = unwrap(result);
      if (body.status !== 'disabled')
        throw new QlikError(`Deactivating tenant ${tenantId} returned status "${String(body.status)}"`);
      return { tenantId: tenantId };
    },
  });
}

/** Reactivates a deactivated tenant (before it is purged). Already active → nothing to do. */
export function reactivateTenantRecipe(env: ProvisioningEnvironment) {
  return defineRecipe({
    name: 'reactivateTenant',
    input: loadTenantLifecycleInput,
    customerId: (input) => input.customerId,
  }).step({
    name: 'reactivate',
    async inspect(ctx) {
      const tenant = await currentTenant(env, ctx);
      if (!tenant) throw new QlikError(`No tenant found for alias "${ctx.input.alias}"; pass its tenantId`);
      if (tenant.status === 'active')
        return { action: 'none', reason: 'tenant is active', outputs: { tenantId: tenant.tenantId } };
      return { action: 'update', reason: `tenant is ${tenant.status}`, current: tenant };
    },
    async apply(ctx, inspection) {
      const { tenantId } = inspection.current!;
      unwrap(
        await env.registration().tenants.POST('/api/v1/tenants/{tenantId}/actions/reactivate', {
          params: { path: { tenantId }, header: { 'qlik-confirm-hostname': tenantAliasHost(env, ctx.input.alias) } },
          signal: ctx.signal,
        }),
      );
      return { tenantId };
    },
  });
}

/**
 * Deactivates a customer's tenant: `POST /api/v1/tenants/{id}/actions/deactivate` on the registration
 * host with `qlik-confirm-hostname` and `purgeAfterDays`. Idempotent: a deactivated (or absent) tenant
 * is left alone. Reverse it with `reactivateTenant` until the purge date.
 */
export function deprovisionTenant(
  env: ProvisioningEnvironment,
  input: DeprovisionInput,
  options: ApplyOptions = {},
): Promise<ApplyResult<{ deactivate: { tenantId: string | null } }>> {
  return applyRecipe(deprovisionTenantRecipe(env), input, options);
}

/** Reactivates a deactivated tenant. Idempotent: an active tenant is left alone. */
export function reactivateTenant(
  env: ProvisioningEnvironment,
  input: TenantLifecycleInput,
  options: ApplyOptions = {},
): Promise<ApplyResult<{ reactivate: { tenantId: string } }>> {
  return applyRecipe(reactivateTenantRecipe(env), input, options);
}
