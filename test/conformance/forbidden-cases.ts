/**
 * The conformance cases that expect a 403 from authorization, as one table: the conformance suite
 * (rest-auth.test.ts) asserts each gets 403 from the simulator as it ships, and the meta-test
 * (forbidden-without-authorization.test.ts) runs the same cases against a simulator with
 * `authorization: 'off'` and asserts that none of them gets 403 there, so each case can fail.
 *
 * Each case is one call through @qlik/api (unchanged) and answers its HTTP status. A case only reads, or
 * writes what it is refused, so the cases run in any order against one simulator.
 */
import { apiKeys, apps, identityProviders, items, licenses, roles, spaces, users } from '@qlik/api';
import { generateKeyPairSync } from 'node:crypto';
import { defaultStateFile, type AuthorizationMode, type Simulator } from '@qlik-oem/simulator';
import { routeGlobalFetch, startHttpsSimulator, statusOf } from './setup.js';

export const HOST = 'source.eu.qlikcloud.com';
export const BOT = { clientId: 'sim-source-client', clientSecret: 'sim-source-secret' };
export const IMPERSONATOR = { clientId: 'conformance-impersonator', clientSecret: 'conformance-impersonator-secret' };
/** A user of the source tenant with no tenant role, no group and no space role. */
export const VIEWER_SUBJECT = 'partner|viewer';

/** @qlik/api request options (a fresh token per call; no response cache). */
export type QlikApiOptions = { hostConfig: never; noCache: true };

/** The source tenant's bot (a TenantAdmin, no space role) with these OAuth scopes. */
export const botWith = (scope: string): QlikApiOptions => ({
  hostConfig: { authType: 'oauth2', host: HOST, ...BOT, scope } as never,
  noCache: true,
});

/** The viewer, through the user-impersonation grant (its token has the user_default scope). */
export const asViewer = (): QlikApiOptions => ({
  hostConfig: {
    authType: 'oauth2',
    host: HOST,
    ...IMPERSONATOR,
    subject: VIEWER_SUBJECT,
    noCache: true,
  } as never,
  noCache: true,
});

/** A valid JWT identity provider (what a broker creates for its single sign-on). */
const jwtIdentityProvider = () => ({
  provider: 'external',
  protocol: 'jwtAuth',
  interactive: false,
  options: {
    issuer: 'https://sso.partner.example',
    staticKeys: [
      {
        kid: 'k1',
        pem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      },
    ],
  },
});

export interface ForbiddenTarget {
  readonly sim: Simulator;
  /** The template app, in the shared space Templates, where neither the bot nor the viewer has a role. */
  readonly templateAppId: string;
  close(): Promise<void>;
}

/** The default state plus the impersonating client and the viewer, over HTTPS; @qlik/api's fetch routed to it. */
export async function startForbiddenTarget(authorization: AuthorizationMode): Promise<ForbiddenTarget> {
  const state = defaultStateFile();
  state.oauthClients.push({
    ...IMPERSONATOR,
    tenant: HOST,
    scopes: ['user_default'],
    allowedGrantTypes: ['urn:qlik:oauth:user-impersonation'],
  });
  state.tenants[0]!.users!.push({ subject: VIEWER_SUBJECT, name: 'Viewer' });
  const sim = await startHttpsSimulator(state, { authorization });
  const restoreFetch = routeGlobalFetch(sim);
  const admin = botWith('admin_classic user_default');
  const templates = (await spaces.getSpaces({ name: 'Templates' }, admin)).data.data![0]!;
  const templateAppId = (await items.getItems({ spaceId: templates.id, resourceType: 'app' }, admin)).data.data[0]!
    .resourceId!;
  return {
    sim,
    templateAppId,
    close: async () => {
      restoreFetch();
      await sim.close();
    },
  };
}

export interface ForbiddenCase {
  /** What is refused, and the rule that refuses it. */
  readonly name: string;
  /** Makes the call; answers its HTTP status. */
  readonly status: (target: ForbiddenTarget) => Promise<number>;
}

export const FORBIDDEN_CASES: readonly ForbiddenCase[] = [
  {
    name: 'roles need the admin_classic scope, even for a TenantAdmin (@qlik/api defaults to user_default)',
    status: () => statusOf(roles.getRoles({}, botWith('user_default'))),
  },
  {
    name: 'creating an identity provider needs the admin_classic scope',
    status: () => statusOf(identityProviders.createIdp(jwtIdentityProvider() as never, botWith('user_default'))),
  },
  {
    name: 'the licenses overview needs the admin_classic scope',
    status: () => statusOf(licenses.getLicenseOverview(botWith('user_default'))),
  },
  {
    name: 'a bot without a role in the shared space cannot export its app (export needs edit rights)',
    status: ({ templateAppId }) => statusOf(apps.exportApp(templateAppId, {}, botWith('admin_classic user_default'))),
  },
  {
    name: 'a user without the Developer role cannot create an API key',
    status: () => statusOf(apiKeys.createApiKey({ description: 'refused' }, botWith('admin_classic user_default'))),
  },
  {
    name: 'a user who is no TenantAdmin cannot list users',
    status: () => statusOf(users.getUsers({}, asViewer())),
  },
  {
    name: 'a user who is no TenantAdmin cannot read roles',
    status: () => statusOf(roles.getRoles({}, asViewer())),
  },
  {
    name: 'a user with no role in a shared space cannot open its app',
    status: ({ templateAppId }) => statusOf(apps.getAppInfo(templateAppId, asViewer())),
  },
];
