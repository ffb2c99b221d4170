// A partner's broker on @qlik-oem/qlik-cloud: find or create a customer's space, give its group a role,
// allow the partner's web app (web integration + CSP origin), and sign the user's JWT for an embed.
// Each API from its own entry point, so the type-check reads these four APIs' declarations and no others.
import { createQlikCloudConnection, oauthClientCredentials, signUserJwt, unwrap } from '@qlik-oem/qlik-cloud/base';
import { createCspOriginsClient } from '@qlik-oem/qlik-cloud/csp-origins';
import { createGroupsClient } from '@qlik-oem/qlik-cloud/groups';
import { createSpacesClient } from '@qlik-oem/qlik-cloud/spaces';
import { createWebIntegrationsClient } from '@qlik-oem/qlik-cloud/web-integrations';

export interface Customer {
  id: string;
  name: string;
  tenantHost: string;
  appOrigin: string;
}

export async function prepareCustomer(customer: Customer, secrets: { clientId: string; clientSecret: string }) {
  const auth = oauthClientCredentials({ host: customer.tenantHost, ...secrets, scope: 'admin_classic' });
  const connection = createQlikCloudConnection({ host: customer.tenantHost, auth });
  const spacesApi = createSpacesClient(connection);
  const groupsApi = createGroupsClient(connection);
  const webIntegrationsApi = createWebIntegrationsClient(connection);
  const cspOriginsApi = createCspOriginsClient(connection);

  const spaceName = `customer-${customer.id}`;
  const spaces = unwrap(await spacesApi.GET('/api/v1/spaces', { params: { query: { name: spaceName } } }));
  const space =
    (spaces.data ?? []).find((s) => s.name === spaceName) ??
    unwrap(await spacesApi.POST('/api/v1/spaces', { body: { name: spaceName, type: 'managed' } }));

  const groups = unwrap(
    await groupsApi.GET('/api/v1/groups', { params: { query: { filter: `name eq "${customer.name}"` } } }),
  );
  const group = groups.data?.[0];
  if (group) {
    await spacesApi.POST('/api/v1/spaces/{spaceId}/assignments', {
      params: { path: { spaceId: space.id } },
      body: { type: 'group', assigneeId: group.id, roles: ['consumer'] },
    });
  }

  const integration = unwrap(
    await webIntegrationsApi.POST('/api/v1/web-integrations', {
      body: { name: `${customer.name} portal`, validOrigins: [customer.appOrigin] },
    }),
  );
  await cspOriginsApi.POST('/api/v1/csp-origins', {
    body: { name: `${customer.name} portal`, origin: customer.appOrigin, frameAncestors: true },
  });
  return { spaceId: space.id, webIntegrationId: integration.id };
}

export function userJwt(customer: Customer, user: { id: string; name: string; email: string }, privateKey: string) {
  return signUserJwt({
    privateKey,
    keyId: 'partner-key-1',
    issuer: 'https://broker.partner.example',
    subject: `partner|${user.id}`,
    name: user.name,
    email: user.email,
    groups: [customer.name],
  });
}
