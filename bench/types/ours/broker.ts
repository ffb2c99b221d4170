// A partner's broker on @qlik-oem/qlik-cloud: find or create a customer's space, give its group a role,
// allow the partner's web app (web integration + CSP origin), and sign the user's JWT for an embed.
import { createQlikCloud, oauthClientCredentials, signUserJwt, unwrap } from '@qlik-oem/qlik-cloud';

export interface Customer {
  id: string;
  name: string;
  tenantHost: string;
  appOrigin: string;
}

export async function prepareCustomer(customer: Customer, secrets: { clientId: string; clientSecret: string }) {
  const auth = oauthClientCredentials({ host: customer.tenantHost, ...secrets, scope: 'admin_classic' });
  const cloud = createQlikCloud({ host: customer.tenantHost, auth });

  const spaceName = `customer-${customer.id}`;
  const spaces = unwrap(await cloud.spaces.GET('/api/v1/spaces', { params: { query: { name: spaceName } } }));
  const space =
    (spaces.data ?? []).find((s) => s.name === spaceName) ??
    unwrap(await cloud.spaces.POST('/api/v1/spaces', { body: { name: spaceName, type: 'managed' } }));

  const groups = unwrap(
    await cloud.groups.GET('/api/v1/groups', { params: { query: { filter: `name eq "${customer.name}"` } } }),
  );
  const group = groups.data?.[0];
  if (group) {
    await cloud.spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
      params: { path: { spaceId: space.id } },
      body: { type: 'group', assigneeId: group.id, roles: ['consumer'] },
    });
  }

  const integration = unwrap(
    await cloud.webIntegrations.POST('/api/v1/web-integrations', {
      body: { name: `${customer.name} portal`, validOrigins: [customer.appOrigin] },
    }),
  );
  await cloud.cspOrigins.POST('/api/v1/csp-origins', {
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
