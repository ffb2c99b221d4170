import { QlikError, isQlikAuthError } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineRecipe, type Recipe } from '../recipe.js';
import { applyRecipe, type ApplyOptions, type ApplyResult } from '../runner.js';
import { Secret } from '../validation/secret.js';
import type { ProvisioningEnvironment } from './context.js';
import { onboardInputSchema, spaceNameFor, type OnboardInput, type OnboardInputRaw } from './customer.js';
import {
  findGroupByName,
  findSpaceByExactName,
  findTenantByHost,
  findUserByEmail,
  type TenantSummary,
} from './finders.js';

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

export type GroupIds = Record<string, string>;
interface AssignmentChange {
  spaceId: string;
  groupId: string;
  roles: string[];
  /** Set when an assignment exists (update or delete it); absent for a create. */
  assignmentId?: string;
}

/**
 * The `onboardTenant` recipe for one environment: creates (or finds) the customer's tenant and
 * configures it. Every step reads first and writes only what is missing or different, so a second
 * run writes nothing.
 */
export function onboardTenantRecipe(env: ProvisioningEnvironment, options: OnboardRecipeOptions = {}) {
  const readLicenseKey = options.readLicenseKey ?? ((signal: AbortSignal) => readSourceLicenseKey(env, signal));
  const aliasHostOf = (input: OnboardInput) => tenantAliasHost(env, input.customer.alias);

  return (
    defineRecipe({ name: 'onboardTenant', input: onboardInputSchema, customerId: (input) => input.customer.customerId })
      // 1. The signed license key of the source tenant. Read-only; a Secret, so the journal keeps "[REDACTED]".
      .step({
        name: 'licenseKey',
        async inspect(ctx) {
          return {
            action: 'none',
            reason: 'read from the source tenant',
            outputs: { licenseKey: new Secret(await readLicenseKey(ctx.signal)) },
          };
        },
        async apply() {
          throw new Error('unreachable: licenseKey never writes');
        },
      })
      // 2. The tenant itself. There is no tenant list on the registration host, so a tenant is found by
      //    the id this step recorded, or by the customer's alias hostname (`GET /tenants/me` on it).
      .step({
        name: 'tenant',
        async inspect(ctx) {
          const recorded = ctx.journal.recordedOutputs as { tenantId?: string; primaryHost?: string } | undefined;
          if (recorded?.tenantId && recorded.primaryHost) {
            const byId = await getTenantById(env.tenant(recorded.primaryHost), recorded.tenantId, ctx.signal).catch(
              async (error: unknown) => {
                // A deactivated tenant refuses tokens on its own host; the registration host still knows it.
                if (!isQlikAuthError(error)) throw error;
                const seen = await getTenantById(env.registration(), recorded.tenantId!, ctx.signal).catch(
                  () => undefined,
                );
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
        async apply(ctx) {
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
      })
      // 3. Name and alias hostname (`PATCH /tenants/{id}`), on the tenant's own host.
      .step({
        name: 'tenantName',
        async inspect(ctx) {
          const { tenantId, primaryHost } = ctx.outputs.tenant;
          const tenant = await getTenantById(env.tenant(primaryHost), tenantId, ctx.signal);
          if (!tenant) throw new QlikError(`Tenant ${tenantId} disappeared after it was found`);
          const patch = tenantPatch(tenant, ctx.input.customer.alias, aliasHostOf(ctx.input));
          const outputs = { tenantHost: aliasHostOf(ctx.input) };
          if (patch.length === 0) return { action: 'none', reason: 'name and alias are set', outputs };
          return { action: 'update', reason: `different ${patch.map((op) => op.path).join(', ')}`, current: patch };
        },
        async apply(ctx, inspection) {
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
      })
      // 4. An interactive tenant admin (optional), found by email.
      .step({
        name: 'admin',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const admin = ctx.input.customer.admin;
          if (!admin)
            return { action: 'none', reason: 'no admin requested', outputs: { userId: null as string | null } };
          const user = await findUserByEmail(qc, admin.email, ctx.signal);
          if (user)
            return { action: 'none', reason: 'a user has the email', outputs: { userId: user.id as string | null } };
          return { action: 'create', reason: 'no user has the email', marker: admin.email };
        },
        async apply(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const admin = ctx.input.customer.admin!;
          const user = unwrap(
            await qc.users.POST('/api/v1/users', {
              body: {
                subject: admin.subject ?? admin.email,
                email: admin.email,
                name: admin.name ?? admin.email,
                status: 'invited',
                tenantId: ctx.outputs.tenant.tenantId,
                assignedRoles: [{ name: 'TenantAdmin' }],
              },
              signal: ctx.signal,
            }),
          );
          return { userId: user.id as string | null };
        },
      })
      // 5. Group auto-creation and IdP group sync.
      .step({
        name: 'groupSettings',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const current = unwrap(await qc.groups.GET('/api/v1/groups/settings', { signal: ctx.signal }));
          const wanted = ctx.input.partner.groupSettings;
          const patch = (['autoCreateGroups', 'syncIdpGroups'] as const)
            .filter((key) => current[key] !== wanted[key])
            .map((key) => ({ op: 'replace' as const, path: `/${key}` as const, value: wanted[key] }));
          if (patch.length === 0) return { action: 'none', reason: 'group settings match', outputs: {} };
          return { action: 'update', reason: `different ${patch.map((op) => op.path).join(', ')}`, current: patch };
        },
        async apply(ctx, inspection) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          unwrap(
            await qc.groups.PATCH('/api/v1/groups/settings', { body: inspection.current ?? [], signal: ctx.signal }),
          );
          return {};
        },
      })
      // 6. License auto-assignment.
      .step({
        name: 'licenseSettings',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const current = unwrap(await qc.licenses.GET('/api/v1/licenses/settings', { signal: ctx.signal }));
          const wanted = ctx.input.partner.licenseSettings;
          if (
            current.autoAssignProfessional === wanted.autoAssignProfessional &&
            current.autoAssignAnalyzer === wanted.autoAssignAnalyzer
          ) {
            return { action: 'none', reason: 'license settings match', outputs: {} };
          }
          return { action: 'update', reason: 'license auto-assignment differs', current };
        },
        async apply(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          unwrap(
            await qc.licenses.PUT('/api/v1/licenses/settings', {
              body: { ...ctx.input.partner.licenseSettings },
              signal: ctx.signal,
            }),
          );
          return {};
        },
      })
      // 7. The partner's JWT identity provider, found by protocol and issuer.
      .step({
        name: 'jwtIdp',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const { issuer, keyId, publicKeyPem } = ctx.input.partner.jwt;
          const existing = await findJwtIdp(qc, issuer, ctx.signal);
          if (!existing) return { action: 'create', reason: 'no JWT identity provider for the issuer', marker: issuer };
          const key = existing.options?.staticKeys?.[0];
          if (key?.kid === keyId && samePem(key.pem, publicKeyPem)) {
            return { action: 'none', reason: 'JWT identity provider has the key', outputs: { idpId: existing.id } };
          }
          return {
            action: 'update',
            reason: 'the signing key differs',
            current: { idpId: existing.id },
            marker: issuer,
          };
        },
        async apply(ctx, inspection) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          // A JWT IdP's key cannot be patched (one static key per IdP): replace the provider.
          if (inspection.action === 'update') {
            unwrap(
              await qc.identityProviders.DELETE('/api/v1/identity-providers/{id}', {
                params: { path: { id: inspection.current!.idpId } },
                signal: ctx.signal,
              }),
            );
          }
          const { issuer, keyId, publicKeyPem } = ctx.input.partner.jwt;
          const created = unwrap(
            await qc.identityProviders.POST('/api/v1/identity-providers', {
              body: {
                protocol: 'jwtAuth',
                provider: 'external',
                tenantIds: [ctx.outputs.tenant.tenantId],
                description: 'Partner single sign-on (JWT)',
                options: { issuer, staticKeys: [{ kid: keyId, pem: publicKeyPem }] },
              },
              signal: ctx.signal,
            }),
          );
          return { idpId: (created as { id: string }).id };
        },
      })
      // 8. The partner's groups, found by exact name.
      .step({
        name: 'groups',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const found: GroupIds = {};
          const missing: string[] = [];
          for (const name of groupNamesOf(ctx.input)) {
            const group = await findGroupByName(qc, name, ctx.signal);
            if (group) found[name] = group.id;
            else missing.push(name);
          }
          if (missing.length === 0) return { action: 'none', reason: 'all groups exist', outputs: { groupIds: found } };
          return {
            action: 'create',
            reason: `missing ${missing.length} group(s)`,
            marker: missing.join('\n'),
            current: { found, missing },
          };
        },
        async apply(ctx, inspection) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const { found, missing } = inspection.current!;
          const groupIds: GroupIds = { ...found };
          for (const name of missing) {
            const created = unwrap(
              await qc.groups.POST('/api/v1/groups', { body: { name, providerType: 'idp' }, signal: ctx.signal }),
            );
            groupIds[name] = created.id;
          }
          return { groupIds };
        },
      })
      // 9. A shared (development) and a managed (production) space, found by exact name.
      .step({
        name: 'spaces',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const names = spaceNamesOf(ctx.input);
          const shared = await findSpaceByExactName(qc, names.shared, ctx.signal);
          const managed = await findSpaceByExactName(qc, names.managed, ctx.signal);
          if (shared && managed)
            return {
              action: 'none',
              reason: 'both spaces exist',
              outputs: { sharedSpaceId: shared.id, managedSpaceId: managed.id },
            };
          const missing = [shared ? undefined : names.shared, managed ? undefined : names.managed].filter(
            (name) => name !== undefined,
          );
          return {
            action: 'create',
            reason: `missing space(s) ${missing.map((name) => JSON.stringify(name)).join(', ')}`,
            marker: missing.join('\n'),
            current: { sharedSpaceId: shared?.id, managedSpaceId: managed?.id },
          };
        },
        async apply(ctx, inspection) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const names = spaceNamesOf(ctx.input);
          const create = async (name: string, type: 'shared' | 'managed') =>
            unwrap(await qc.spaces.POST('/api/v1/spaces', { body: { name, type }, signal: ctx.signal })).id;
          const sharedSpaceId = inspection.current?.sharedSpaceId ?? (await create(names.shared, 'shared'));
          const managedSpaceId = inspection.current?.managedSpaceId ?? (await create(names.managed, 'managed'));
          return { sharedSpaceId, managedSpaceId };
        },
      })
      // 10. Group role assignments in the spaces: one per group and space, roles updated when they differ.
      .step({
        name: 'spaceRoles',
        async inspect(ctx) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          const { groupIds } = ctx.outputs.groups;
          const { managedSpaceId } = ctx.outputs.spaces;
          const changes = await assignmentChanges(
            qc,
            managedSpaceId,
            wantedManagedRoles(ctx.input, groupIds),
            ctx.signal,
          );
          if (changes.length === 0) return { action: 'none', reason: 'space roles match', outputs: {} };
          const creates = changes.filter((change) => change.assignmentId === undefined);
          const reason = `${creates.length} assignment(s) to create, ${changes.length - creates.length} to change`;
          return creates.length === changes.length
            ? {
                action: 'create',
                reason,
                marker: creates.map((change) => `${change.spaceId}/${change.groupId}`).join('\n'),
                current: changes,
              }
            : { action: 'update', reason, current: changes };
        },
        async apply(ctx, inspection) {
          const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
          for (const change of inspection.current ?? []) await applyAssignmentChange(qc, change, ctx.signal);
          return {};
        },
      })
  );
}

export type OnboardTenantRecipe = ReturnType<typeof onboardTenantRecipe>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OutputsOf<R> = R extends Recipe<any, infer Outputs, any> ? Outputs : never;
export type OnboardTenantOutputs = OutputsOf<OnboardTenantRecipe>;

/** What a partner usually needs from an onboarded tenant. */
export interface OnboardedTenant {
  tenantId: string;
  tenantHost: string;
  sharedSpaceId: string;
  managedSpaceId: string;
  groupIds: Record<string, string>;
  idpId: string;
  adminUserId: string | null;
}

export function onboardedTenantOf(outputs: OnboardTenantOutputs): OnboardedTenant {
  return {
    tenantId: outputs.tenant.tenantId,
    tenantHost: outputs.tenantName.tenantHost,
    sharedSpaceId: outputs.spaces.sharedSpaceId,
    managedSpaceId: outputs.spaces.managedSpaceId,
    groupIds: outputs.groups.groupIds,
    idpId: outputs.jwtIdp.idpId,
    adminUserId: outputs.admin.userId,
  };
}

/**
 * Onboards one customer: tenant, name and alias, admin, settings, JWT IdP, groups, spaces and role
 * assignments. Validates `{ customer, partner }` first (`QlikValidationError`, before any request);
 * a failed step throws a `RecipeStepError` naming the customer and the step.
 */
export async function onboardTenant(
  env: ProvisioningEnvironment,
  input: OnboardInputRaw,
  options: ApplyOptions = {},
): Promise<ApplyResult<OnboardTenantOutputs> & { tenant: OnboardedTenant }> {
  const result = await applyRecipe(onboardTenantRecipe(env), input, options);
  return { ...result, tenant: onboardedTenantOf(result.outputs) };
}

// ---- helpers ---------------------------------------------------------------------------------

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

function groupNamesOf(input: OnboardInput): string[] {
  const { consumers, contributors, additional } = input.partner.groups;
  return [...new Set([consumers, contributors, ...additional])];
}

function spaceNamesOf(input: OnboardInput): { shared: string; managed: string } {
  return {
    shared: spaceNameFor(input.partner.spaces.shared, input.customer),
    managed: spaceNameFor(input.partner.spaces.managed, input.customer),
  };
}

/** Group id → roles wanted in the managed space; `[]` means "no assignment". */
function wantedManagedRoles(input: OnboardInput, groupIds: GroupIds): Map<string, string[]> {
  const { consumers, contributors } = input.partner.groups;
  const wanted = new Map<string, string[]>();
  const consumersId = groupIds[consumers];
  const contributorsId = groupIds[contributors];
  if (consumersId) wanted.set(consumersId, ['consumer']);
  if (contributorsId && contributorsId !== consumersId)
    wanted.set(contributorsId, input.customer.allowContributors ? ['contributor'] : []);
  return wanted;
}

async function assignmentChanges(
  qc: QlikCloud,
  spaceId: string,
  wanted: Map<string, string[]>,
  signal: AbortSignal,
): Promise<AssignmentChange[]> {
  const existing = await collectAll(
    paginate(
      qc.spaces,
      '/api/v1/spaces/{spaceId}/assignments',
      { params: { path: { spaceId }, query: { type: 'group', limit: 100 } } },
      { signal },
    ),
    { limit: 10_000 },
  );
  const changes: AssignmentChange[] = [];
  for (const [groupId, roles] of wanted) {
    const current = existing.find((assignment) => assignment.assigneeId === groupId);
    if (!current) {
      if (roles.length > 0) changes.push({ spaceId, groupId, roles });
    } else if (!sameRoles(current.roles ?? [], roles)) {
      changes.push({ spaceId, groupId, roles, assignmentId: current.id });
    }
  }
  return changes;
}

async function applyAssignmentChange(qc: QlikCloud, change: AssignmentChange, signal: AbortSignal): Promise<void> {
  const { spaceId, groupId, roles, assignmentId } = change;
  type Role = 'consumer';
  if (assignmentId === undefined) {
    unwrap(
      await qc.spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId } },
        body: { type: 'group', assigneeId: groupId, roles: roles as Role[] },
        signal,
      }),
    );
  } else if (roles.length === 0) {
    unwrap(
      await qc.spaces.DELETE('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
        params: { path: { spaceId, assignmentId } },
        signal,
      }),
    );
  } else {
    unwrap(
      await qc.spaces.PUT('/api/v1/spaces/{spaceId}/assignments/{assignmentId}', {
        params: { path: { spaceId, assignmentId } },
        body: { roles: roles as Role[] },
        signal,
      }),
    );
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

interface JwtIdpView {
  id: string;
  protocol?: string;
  options?: { issuer?: string; staticKeys?: Array<{ kid?: string; pem?: string }> };
}

async function findJwtIdp(qc: QlikCloud, issuer: string, signal: AbortSignal): Promise<JwtIdpView | undefined> {
  const all = await collectAll(
    paginate(qc.identityProviders, '/api/v1/identity-providers', { params: { query: { limit: 100 } } }, { signal }),
    {
      limit: 10_000,
    },
  );
  return (all as unknown as JwtIdpView[]).find((idp) => idp.protocol === 'jwtAuth' && idp.options?.issuer === issuer);
}

/** PEMs compared without line-ending and trailing-whitespace differences. */
function samePem(a: string | undefined, b: string): boolean {
  const norm = (pem: string) => pem.replace(/\r\n/g, '\n').trim();
  return a !== undefined && norm(a) === norm(b);
}
