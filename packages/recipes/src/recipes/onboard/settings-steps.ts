// The tenant-wide settings steps of onboardTenant: the tenant admin, group settings, license auto-assignment.
import { unwrap } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import type { ProvisioningEnvironment } from '../context.js';
import { findUserByEmail } from '../finders.js';
import type { OnboardStepContext } from './context.js';

// 4. An interactive tenant admin (optional), found by email.
export function adminStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'admin',
    async inspect(ctx: OnboardStepContext<{ tenant: { tenantId: string }; tenantName: { tenantHost: string } }>) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const admin = ctx.input.customer.admin;
      if (!admin) return { action: 'none', reason: 'no admin requested', outputs: { userId: null as string | null } };
      const user = await findUserByEmail(qc, admin.email, ctx.signal);
      if (user) return { action: 'none', reason: 'a user has the email', outputs: { userId: user.id } };
      return { action: 'create', reason: 'no user has the email', marker: admin.email };
    },
    async apply(ctx: OnboardStepContext<{ tenant: { tenantId: string }; tenantName: { tenantHost: string } }>) {
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
      return { userId: user.id };
    },
  });
}

// 5. Group auto-creation and IdP group sync.
export function groupSettingsStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'groupSettings',
    async inspect(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      const current = unwrap(await qc.groups.GET('/api/v1/groups/settings', { signal: ctx.signal }));
      const wanted = ctx.input.partner.groupSettings;
      const patch = (['autoCreateGroups', 'syncIdpGroups'] as const)
        .filter((key) => current[key] !== wanted[key])
        .map((key) => ({ op: 'replace' as const, path: `/${key}` as const, value: wanted[key] }));
      if (patch.length === 0) return { action: 'none', reason: 'group settings match', outputs: {} };
      return { action: 'update', reason: `different ${patch.map((op) => op.path).join(', ')}`, current: patch };
    },
    async apply(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>, inspection) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      unwrap(await qc.groups.PATCH('/api/v1/groups/settings', { body: inspection.current ?? [], signal: ctx.signal }));
      return {};
    },
  });
}

// 6. License auto-assignment.
export function licenseSettingsStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'licenseSettings',
    async inspect(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>) {
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
    async apply(ctx: OnboardStepContext<{ tenantName: { tenantHost: string } }>) {
      const qc = env.tenant(ctx.outputs.tenantName.tenantHost);
      unwrap(
        await qc.licenses.PUT('/api/v1/licenses/settings', {
          body: { ...ctx.input.partner.licenseSettings },
          signal: ctx.signal,
        }),
      );
      return {};
    },
  });
}
