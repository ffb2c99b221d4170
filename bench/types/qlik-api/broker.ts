// The same broker on @qlik/api's REST modules: find or create a customer's space, give its group a role,
// allow the partner's web app (web integration + CSP origin), and sign the user's JWT for an embed.
import type { HostConfig } from '@qlik/api/auth';
import { createCSPEntry } from '@qlik/api/csp-origins';
import { getGroups } from '@qlik/api/groups';
import { createSpace, createSpaceAssignment, getSpaces } from '@qlik/api/spaces';
import { createWebIntegration } from '@qlik/api/web-integrations';
import { SignJWT, importPKCS8 } from 'jose';

export interface Customer {
  id: string;
  name: string;
  tenantHost: string;
  appOrigin: string;
}

export async function prepareCustomer(customer: Customer, secrets: { clientId: string; clientSecret: string }) {
  const hostConfig: HostConfig = {
    authType: 'oauth2',
    host: customer.tenantHost,
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    scope: 'admin_classic',
  };
  const options = { hostConfig };

  const spaceName = `customer-${customer.id}`;
  const spaces = (await getSpaces({ name: spaceName }, options)).data;
  const space =
    (spaces.data ?? []).find((s) => s.name === spaceName) ??
    (await createSpace({ name: spaceName, type: 'managed' }, options)).data;

  const groups = (await getGroups({ filter: `name eq "${customer.name}"` }, options)).data;
  const group = groups.data?.[0];
  if (group) {
    await createSpaceAssignment(space.id, { type: 'group', assigneeId: group.id, roles: ['consumer'] }, options);
  }

  const integration = (
    await createWebIntegration({ name: `${customer.name} portal`, validOrigins: [customer.appOrigin] }, options)
  ).data;
  await createCSPEntry({ name: `${customer.name} portal`, origin: customer.appOrigin, frameAncestors: true }, options);
  return { spaceId: space.id, webIntegrationId: integration.id };
}

export async function userJwt(
  customer: Customer,
  user: { id: string; name: string; email: string },
  privateKey: string,
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    subType: 'user',
    name: user.name,
    email: user.email,
    email_verified: true,
    groups: [customer.name],
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'partner-key-1', typ: 'JWT' })
    .setIssuer('https://broker.partner.example')
    .setAudience('qlik.api/login/jwt-session')
    .setSubject(`partner|${user.id}`)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .sign(await importPKCS8(privateKey, 'RS256'));
}
