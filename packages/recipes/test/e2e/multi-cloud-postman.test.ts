// A tenant and QSEoW site set up by hand with Qlik's multi-cloud flow (the Postman collection's deployment,
// token and IdP requests; the routing custom property and a distribution policy made in the QMC, as Qlik's
// help describes) are adopted: setupMultiCloud adds no second deployment, IdP or policy.
import { createDeployment, getDeploymentToken } from '@qlik-oem/distribution';
import { createMultiCloudIdentityProvider, unwrap } from '@qlik-oem/qlik-cloud';
import { QRS_RULE_ACTIONS, dataOrThrow, ensureCustomPropertyDefinition, ensureSystemRule } from '@qlik-oem/qrs';
import { describe, expect, it } from 'vitest';
import { createMemoryJournalStore, setupMultiCloud } from '../../src/index.js';
import { customerOf, spaceOf, startMultiCloudWorldPerTest, tenantOf } from './multi-cloud-harness.js';

const startWorld = startMultiCloudWorldPerTest();

describe('setupMultiCloud on a site and tenant set up by hand (strict simulator)', () => {
  it('adopts the hand-made deployment, IdP and distribution policy without a second of any', async () => {
    const w = await startWorld(['acme']);
    const appId = await w.publishedApp('Sales');
    const tenant = w.env.tenant(tenantOf('acme'));

    // The Postman flow: 1. the deployment, 2. its token, 4. the tenant id, 5. the multi-cloud IdP.
    const deployment = await createDeployment(w.admin, { name: 'acme', tenantHost: tenantOf('acme') });
    const token = await getDeploymentToken(w.admin, deployment.id);
    const me = unwrap(await tenant.users.GET('/api/v1/users/me'));
    const handIdp = unwrap(
      await createMultiCloudIdentityProvider(tenant.identityProviders, {
        base64Encoded: token,
        tenantId: me.tenantId ?? '',
        description: 'Automatic',
      }),
    ) as { id: string };
    // In the QMC: the custom property with the deployment's name, and a distribution policy of the admin's naming.
    await ensureCustomPropertyDefinition(w.admin, {
      name: 'deployments',
      choiceValues: ['acme'],
      objectTypes: ['App'],
    });
    await ensureSystemRule(w.admin, {
      name: 'Multi-cloud: apps to their customers',
      category: 'Security',
      type: 'Custom',
      resourceFilter: 'App_*',
      rule: '(resource.@deployments = subject.name)',
      actions: QRS_RULE_ACTIONS.distribute,
    });
    w.requests.length = 0;

    const result = await setupMultiCloud(w.env, await w.site(), customerOf('acme', [appId]), {
      journal: createMemoryJournalStore(),
    });
    expect(result.status).toBe('provisioned');
    expect(result.outputs.deployment.deploymentId).toBe(deployment.id);
    expect(result.outputs.idp.idpId).toBe(handIdp.id);
    expect(await spaceOf(w, 'acme', appId)).toBe('Analytics');

    // Nothing was made twice: no deployment, IdP or policy create, and one of each is there.
    const creates = w.writes().filter((r) => r.method === 'POST' || r.method === 'DELETE');
    expect(
      creates.map((r) => `${r.method} ${r.path}`).filter((r) => /Deployments$|identity-providers|systemrule/.test(r)),
    ).toEqual([]);
    expect((await w.deploymentsInQmc()).map((d) => d.name)).toEqual(['acme']);
    const idps = unwrap(await tenant.identityProviders.GET('/api/v1/identity-providers')).data ?? [];
    expect(
      idps.filter((i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token').map((i) => i.id),
    ).toEqual([handIdp.id]);
    const policies = dataOrThrow(await w.admin.api.GET('/systemrule/full', {}), 'GET').filter(
      (rule) => ((rule.actions ?? 0) & QRS_RULE_ACTIONS.distribute) !== 0,
    );
    expect(policies.map((rule) => rule.name)).toEqual(['Multi-cloud: apps to their customers']);
    expect(w.sim.violations).toEqual([]);
  });
});
