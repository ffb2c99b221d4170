// The jwtIdp step of onboardTenant: the partner's JWT identity provider, replaced when its key changes.
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineStep } from '../../step.js';
import type { ProvisioningEnvironment } from '../context.js';
import type { OnboardStepContext } from './context.js';

// 7. The partner's JWT identity provider, found by protocol and issuer.
export function jwtIdpStep(env: ProvisioningEnvironment) {
  return defineStep({
    name: 'jwtIdp',
    async inspect(ctx: OnboardStepContext<{ tenant: { tenantId: string }; tenantName: { tenantHost: string } }>) {
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
    async apply(
      ctx: OnboardStepContext<{ tenant: { tenantId: string }; tenantName: { tenantHost: string } }>,
      inspection,
    ) {
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
  });
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
