// Recipes the runner's tests run: a small onboarding-shaped recipe over the fake store, and the start of a one-off
// recipe whose input is its customer id.
import { z } from 'zod';
import { defineRecipe } from '../../src/recipe.js';
import { customerIdSchema, groupNameSchema, spaceNameSchema, tenantAliasSchema } from '../../src/validation/schemas.js';
import { createMemoryJournalStore } from '../../src/journal/memory-store.js';
import { MemoryResourceStore, type ResourceStore } from './fake-store.js';

export const sampleInput = z.object({
  customerId: customerIdSchema,
  alias: tenantAliasSchema,
  spaceName: spaceNameSchema,
  groups: z.array(groupNameSchema).max(10),
  autoCreateGroups: z.boolean().default(true),
});

export type SampleInput = z.input<typeof sampleInput>;

export interface SampleHooks {
  /** Runs inside every apply, before the write (after the runner journaled the intent). */
  beforeWrite?: (step: string) => Promise<void> | void;
  /** Runs inside every apply, after the write and before the step returns (crash window tests). */
  afterWrite?: (step: string) => Promise<void> | void;
}

/**
 * A small recipe in the shape of onboardTenant: a tenant (found by its alias marker), its settings
 * (an update step), a space and groups inside the tenant. Each step reads first and writes only what
 * is missing or different.
 */
export function sampleRecipe(store: ResourceStore, hooks: SampleHooks = {}) {
  return defineRecipe({ name: 'sampleOnboard', input: sampleInput, customerId: (input) => input.customerId })
    .step({
      name: 'tenant',
      async inspect(ctx) {
        const existing = (await store.list('tenant')).find((tenant) => tenant.name === ctx.input.alias);
        if (existing)
          return { action: 'none', reason: `tenant ${ctx.input.alias} exists`, outputs: { tenantId: existing.id } };
        return { action: 'create', reason: `no tenant with alias ${ctx.input.alias}`, marker: ctx.input.alias };
      },
      async apply(ctx) {
        await hooks.beforeWrite?.('tenant');
        const tenant = await store.create('tenant', { name: ctx.input.alias });
        await hooks.afterWrite?.('tenant');
        return { tenantId: tenant.id };
      },
    })
    .step({
      name: 'settings',
      async inspect(ctx) {
        const { tenantId } = ctx.outputs.tenant;
        const tenant = (await store.list('tenant')).find((candidate) => candidate.id === tenantId);
        if (!tenant) throw new Error('tenant vanished');
        if (tenant.props.autoCreateGroups === ctx.input.autoCreateGroups) {
          return {
            action: 'none',
            reason: 'settings match',
            outputs: { autoCreateGroups: ctx.input.autoCreateGroups },
          };
        }
        return { action: 'update', reason: 'autoCreateGroups differs', current: tenant.props };
      },
      async apply(ctx) {
        await hooks.beforeWrite?.('settings');
        await store.update(ctx.outputs.tenant.tenantId, { autoCreateGroups: ctx.input.autoCreateGroups });
        await hooks.afterWrite?.('settings');
        return { autoCreateGroups: ctx.input.autoCreateGroups };
      },
    })
    .step({
      name: 'space',
      async inspect(ctx) {
        const tenantId = ctx.outputs.tenant.tenantId;
        const existing = (await store.list('space')).find(
          (space) => space.parentId === tenantId && space.name === ctx.input.spaceName,
        );
        if (existing) return { action: 'none', reason: 'space exists', outputs: { spaceId: existing.id } };
        return { action: 'create', reason: 'space missing', marker: ctx.input.spaceName };
      },
      async apply(ctx) {
        await hooks.beforeWrite?.('space');
        const space = await store.create('space', { name: ctx.input.spaceName, parentId: ctx.outputs.tenant.tenantId });
        await hooks.afterWrite?.('space');
        return { spaceId: space.id };
      },
    })
    .step({
      name: 'groups',
      async inspect(ctx) {
        const tenantId = ctx.outputs.tenant.tenantId;
        const existing = (await store.list('group')).filter((group) => group.parentId === tenantId);
        const missing = ctx.input.groups.filter((name) => !existing.some((group) => group.name === name));
        const ids = Object.fromEntries(existing.map((group) => [group.name, group.id]));
        if (missing.length === 0) return { action: 'none', reason: 'all groups exist', outputs: { groupIds: ids } };
        return {
          action: 'create',
          reason: `missing groups: ${missing.join(', ')}`,
          marker: missing.join(','),
          current: ids,
        };
      },
      async apply(ctx, inspection) {
        const ids: Record<string, string> = { ...inspection.current };
        for (const name of ctx.input.groups) {
          if (ids[name] !== undefined) continue;
          await hooks.beforeWrite?.('groups');
          const group = await store.create('group', { name, parentId: ctx.outputs.tenant.tenantId });
          ids[name] = group.id;
          await hooks.afterWrite?.('groups');
        }
        return { groupIds: ids };
      },
    });
}

/** A recipe with no steps yet whose input is `{ id }`, the customer id: the start of a one-off recipe in a test. */
export const idRecipe = (name: string) =>
  defineRecipe({ name, input: z.object({ id: z.string() }), customerId: (input) => input.id });

/** An empty fake store, a memory journal and the sample recipe over that store: where most runner tests start. */
export function sampleRun() {
  const store = new MemoryResourceStore();
  return { store, journal: createMemoryJournalStore(), recipe: sampleRecipe(store) };
}
